-- Adds members to a group: all of them, or none.
-- KEYS[1] the group's profile (hash), KEYS[2] its members (hash user id -> packed member)
-- ARGV pairs of user id (decimal, kept as a string) and packed member
-- Returns 1 when added, 0 when there is no such group, -1 when a user is a member already or
-- listed twice. Every check runs before the first write, so a refusal writes nothing.
if redis.call('EXISTS', KEYS[1]) == 0 then
  return 0
end
local seen = {}
for i = 1, #ARGV, 2 do
  local user = ARGV[i]
  if seen[user] or redis.call('HEXISTS', KEYS[2], user) == 1 then
    return -1
  end
  seen[user] = true
end
in_chunks('HSET', KEYS[2], ARGV, 1)
return 1
