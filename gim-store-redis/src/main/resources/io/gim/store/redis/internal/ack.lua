-- Records a device's ack: clamped to the user's largest seq, never moving back.
-- KEYS[1] the user's seq, KEYS[2] the user's acks (hash device -> ack)
-- ARGV[1] device id, ARGV[2] ack (decimal)
local largest = redis.call('GET', KEYS[1]) or '0'
local ack = ARGV[2]
if tonumber(ack) > tonumber(largest) then
  ack = largest
end
local current = redis.call('HGET', KEYS[2], ARGV[1])
if current == false or tonumber(ack) > tonumber(current) then
  redis.call('HSET', KEYS[2], ARGV[1], ack)
end
return 0
