-- Ends a claimed fan-out: sets the dedupe key to ARGV[2] if it still names message ARGV[1].
-- KEYS[1] the dedupe key; ARGV[1] message id, ARGV[2] the new value ("d:..." or "p:...:0")
local seen = redis.call('GET', KEYS[1])
if seen and string.match(seen, '^[pd]:(%d+):') == ARGV[1] then
  redis.call('SET', KEYS[1], ARGV[2], 'KEEPTTL')
end
return 0
