-- Removes members from a group: all of them, or none.
-- KEYS[1] the group's profile (hash), KEYS[2] its members (hash user id -> packed member)
-- ARGV user ids (decimal, kept as strings), each once
-- Returns 1 when removed, 0 when there is no such group, -2 when a user is not a member.
-- Every check runs before the first write, so a refusal writes nothing.
if redis.call('EXISTS', KEYS[1]) == 0 then
  return 0
end
for i = 1, #ARGV do
  if redis.call('HEXISTS', KEYS[2], ARGV[i]) == 0 then
    return -2
  end
end
in_chunks('HDEL', KEYS[2], ARGV, 1)
return 1
