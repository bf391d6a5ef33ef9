-- Shared by the scripts that keep an inbox (prepended to them).
-- An inbox is a sorted set: score = seq, member = "<seq>:<createdAtMillis>:<binary tail>".

-- Drops the oldest entries whose createdAt is below cutoff (0 = keep every age), oldest first,
-- stopping at the first younger entry; at most 1,000 per call, the rest on the next call.
local function purge_older(inbox, cutoff)
  if cutoff <= 0 then
    return
  end
  for _ = 1, 10 do
    local firsts = redis.call('ZRANGE', inbox, 0, 99)
    local old = 0
    for _, m in ipairs(firsts) do
      if tonumber(string.match(m, '^%d+:(%d+):')) < cutoff then
        old = old + 1
      else
        break
      end
    end
    if old > 0 then
      redis.call('ZREMRANGEBYRANK', inbox, 0, old - 1)
    end
    if old < 100 then
      return
    end
  end
end
