-- Marks a node alive for a TTL. KEYS[1] the nodes sorted set: member = node id, score = the Unix
-- ms its liveness ends; a node that lapsed stays listed (so lookups drop its routes) for a while.
-- ARGV[1] node id, ARGV[2] TTL ms, ARGV[3] how long a lapsed node stays listed, ms
-- Returns 1 if the node was not alive just before (absent or lapsed), else 0.
local now = now_ms()
local ttl = tonumber(ARGV[2])
local kept = tonumber(ARGV[3])
local ends = redis.call('ZSCORE', KEYS[1], ARGV[1])
local was_alive = ends and tonumber(ends) > now
redis.call('ZADD', KEYS[1], string.format('%d', now + ttl), ARGV[1])
redis.call('ZREMRANGEBYSCORE', KEYS[1], '-inf', '(' .. string.format('%d', now - kept))
-- Nodes that all stopped leave nothing behind once the last one's lapse is forgotten.
if redis.call('PTTL', KEYS[1]) < ttl + kept then
  redis.call('PEXPIRE', KEYS[1], string.format('%d', ttl + kept))
end
if was_alive then
  return 0
end
return 1
