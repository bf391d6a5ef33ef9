-- Sets the route of one device, replacing any older one, live for a TTL.
-- KEYS[1] the user's routes hash: field = device id, value = "<expires at ms>|<connection id>|<node id>"
-- ARGV[1] device id, ARGV[2] TTL ms, ARGV[3] connection id, ARGV[4] node id (may hold '|': last)
-- The hash lives as long as its longest-lived route; lookups drop routes that expired before it.
local ttl = tonumber(ARGV[2])
local expires = string.format('%d', now_ms() + ttl)
redis.call('HSET', KEYS[1], ARGV[1], expires .. '|' .. ARGV[3] .. '|' .. ARGV[4])
if redis.call('PTTL', KEYS[1]) < ttl then
  redis.call('PEXPIRE', KEYS[1], ARGV[2])
end
return 1
