-- Claims a send's dedupe key before a fan-out over several cluster slots.
-- KEYS[1] the dedupe key
-- ARGV[1] "<message id>:<created at>" of this attempt, ARGV[2] dedupe window ms, ARGV[3] lease ms
-- Values: "p:<message id>:<created at>:<lease end ms>" while a fan-out runs (or failed: lease 0),
--         "d:<message id>:<created at>:<sender seq>" once it is done.
-- Returns {'new'}, {'done', value}, {'wait', value} (another attempt holds a live lease) or
-- {'takeover', value} (the lease ended: this attempt finishes that fan-out, same message id).
local t = redis.call('TIME')
local now = tonumber(t[1]) * 1000 + math.floor(tonumber(t[2]) / 1000)
local lease_end = string.format('%d', now + tonumber(ARGV[3]))
local seen = redis.call('GET', KEYS[1])
if not seen then
  redis.call('SET', KEYS[1], 'p:' .. ARGV[1] .. ':' .. lease_end, 'PX', ARGV[2])
  return {'new'}
end
if string.sub(seen, 1, 2) == 'd:' then
  return {'done', seen}
end
local id, created, lease = string.match(seen, '^p:(%d+):(%d+):(%d+)$')
if tonumber(lease) <= now then
  redis.call('SET', KEYS[1], 'p:' .. id .. ':' .. created .. ':' .. lease_end, 'KEEPTTL')
  return {'takeover', seen}
end
return {'wait', seen}
