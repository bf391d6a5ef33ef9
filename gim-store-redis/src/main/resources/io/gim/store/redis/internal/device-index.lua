-- Lists a device under its user, remembering the highest save version that did so.
-- KEYS[1] the user's devices (hash device id -> version); ARGV[1] device id, ARGV[2] version
-- The version never moves back: device-forget.lua removes an entry only while it still holds the
-- version of a save that can no longer take effect (see RedisDeviceStore).
local current = redis.call('HGET', KEYS[1], ARGV[1])
if not current or tonumber(current) < tonumber(ARGV[2]) then
  redis.call('HSET', KEYS[1], ARGV[1], ARGV[2])
end
return 0
