-- Replaces a group's profile if the group exists.
-- KEYS[1] the group's profile (hash); ARGV[1..4] name, avatar URL, introduction, extra
-- Returns 1 when replaced, 0 when there is no such group.
if redis.call('EXISTS', KEYS[1]) == 0 then
  return 0
end
redis.call('HSET', KEYS[1], 'name', ARGV[1], 'avatar', ARGV[2], 'intro', ARGV[3], 'extra', ARGV[4])
return 1
