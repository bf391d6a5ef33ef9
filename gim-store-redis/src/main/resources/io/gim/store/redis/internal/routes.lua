-- The live routes of several users (whose hashes share a cluster slot); drops expired ones.
-- KEYS each user's routes hash
-- Returns one list per key: {device id, "<connection id>|<node id>", ...}, empty for none.
local now = now_ms()
local found = {}
for i, key in ipairs(KEYS) do
  local live = {}
  local expired = {}
  local fields = redis.call('HGETALL', key)
  for j = 1, #fields, 2 do
    local value = fields[j + 1]
    local bar = string.find(value, '|', 1, true)
    local expires = bar and tonumber(string.sub(value, 1, bar - 1))
    if expires and expires > now then
      live[#live + 1] = fields[j]
      live[#live + 1] = string.sub(value, bar + 1)
    else
      expired[#expired + 1] = fields[j]
    end
  end
  if #expired > 0 then
    redis.call('HDEL', key, unpack(expired))
  end
  found[i] = live
end
return found
