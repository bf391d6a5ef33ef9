-- The nodes alive now (ARGV[1] = 'live') or the listed ones whose liveness lapsed ('lapsed').
-- KEYS[1] the nodes sorted set (see heartbeat.lua)
local now = string.format('%d', now_ms())
if ARGV[1] == 'live' then
  return redis.call('ZRANGEBYSCORE', KEYS[1], '(' .. now, '+inf')
end
return redis.call('ZRANGEBYSCORE', KEYS[1], '-inf', now)
