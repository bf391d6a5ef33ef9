-- Drops a device from a user's list if the entry still holds the given version.
-- KEYS[1] the user's devices (hash device id -> version); ARGV[1] device id, ARGV[2] version
if redis.call('HGET', KEYS[1], ARGV[1]) == ARGV[2] then
  redis.call('HDEL', KEYS[1], ARGV[1])
end
return 0
