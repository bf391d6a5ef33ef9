-- Writes a device record unless a save with a later version got there first.
-- KEYS[1] the device (hash: next = last version handed out, v = version of the record, d = record)
-- ARGV[1] this save's version, ARGV[2] the packed record
-- Returns {1, previous record or '', its version} when written, or {0, current record, its
-- version} when a later save has written already (this one then counts as overwritten by it).
-- Versions count the saves of one device: small numbers, safe as Lua doubles.
local applied = redis.call('HGET', KEYS[1], 'v') or '0'
local record = redis.call('HGET', KEYS[1], 'd') or ''
if tonumber(ARGV[1]) <= tonumber(applied) then
  return {0, record, applied}
end
redis.call('HSET', KEYS[1], 'v', ARGV[1], 'd', ARGV[2])
return {1, record, applied}
