-- Removes the route of one device if it still names exactly this connection of this node.
-- KEYS[1] the user's routes hash; ARGV[1] device id, ARGV[2] connection id, ARGV[3] node id
-- Returns 1 if it removed the route, 0 if the device had none or a newer one.
local value = redis.call('HGET', KEYS[1], ARGV[1])
if not value then
  return 0
end
local bar = string.find(value, '|', 1, true)
if bar and string.sub(value, bar + 1) == ARGV[2] .. '|' .. ARGV[3] then
  redis.call('HDEL', KEYS[1], ARGV[1])
  return 1
end
return 0
