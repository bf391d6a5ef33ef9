-- Shared by the scripts that need the time (prepended to them): Redis's clock, so that every node
-- of a deployment measures TTLs against the same time whatever its own clock says.

-- Now, in Unix milliseconds.
local function now_ms()
  local t = redis.call('TIME')
  return tonumber(t[1]) * 1000 + math.floor(tonumber(t[2]) / 1000)
end
