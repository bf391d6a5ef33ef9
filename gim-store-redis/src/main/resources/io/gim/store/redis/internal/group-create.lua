-- Creates a group with its first members, unless a group with its id exists.
-- KEYS[1] the group's profile (hash), KEYS[2] its members (hash user id -> packed member)
-- ARGV[1..4] name, avatar URL, introduction, extra; then pairs of user id (decimal, kept as a
-- string) and packed member. The caller has checked that no user id appears twice.
-- Returns 1 when created, 0 when the id is taken (nothing written).
if redis.call('EXISTS', KEYS[1]) == 1 then
  return 0
end
-- No call of this store leaves members without a profile; clearing them anyway makes the new
-- group's members exactly these, whatever else wrote under the key.
redis.call('DEL', KEYS[2])
redis.call('HSET', KEYS[1], 'name', ARGV[1], 'avatar', ARGV[2], 'intro', ARGV[3], 'extra', ARGV[4])
in_chunks('HSET', KEYS[2], ARGV, 5)
return 1
