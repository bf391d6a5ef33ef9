-- Shared by the scripts that write many hash fields at once (prepended to them).

-- Calls a variadic command (HSET, HDEL) on key with args[from..#args] in slices of at most 1,000
-- values: unpack() of more would overflow Lua's C stack. 1,000 is even, so field-value pairs that
-- start at `from` never straddle two slices.
local function in_chunks(command, key, args, from)
  local i = from
  while i <= #args do
    local last = math.min(i + 999, #args)
    redis.call(command, key, unpack(args, i, last))
    i = last + 1
  end
end
