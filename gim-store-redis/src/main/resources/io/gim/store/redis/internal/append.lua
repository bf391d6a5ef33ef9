-- Allocates the next seq of each user and appends the message to their inboxes, atomically.
-- KEYS: [dedupe key, when ARGV[1] = '1'], then per user: seq, inbox[, marker when ARGV[2] = '1']
-- ARGV[1]  '1': check the dedupe key first and remember the result in it (one-shot appends)
-- ARGV[2]  '1': per-user markers make the append idempotent per message id (cluster fan-out)
-- ARGV[3]  dedupe window / marker lifetime, milliseconds
-- ARGV[4]  message id (decimal)
-- ARGV[5]  created at, Unix milliseconds (decimal)
-- ARGV[6]  the entry's binary tail (message id, sender, device, command, content)
-- ARGV[7]  inbox cap, entries (0 = none)
-- ARGV[8]  inbox age cutoff, Unix milliseconds (0 = none)
-- ARGV[9]  inbox key lifetime, milliseconds (0 = none): with age retention, an inbox whose
--          newest entry is older than the retention goes as a whole
-- ARGV[10] the sender's position among the users, 1-based (0: not a receiver)
-- Returns {1, seq per user} or, for a dedupe key already present, {0, its value}.
local dedupe = ARGV[1] == '1'
local markers = ARGV[2] == '1'
local first = 1
if dedupe then
  local seen = redis.call('GET', KEYS[1])
  if seen then
    return {0, seen}
  end
  first = 2
end
local per_user = markers and 3 or 2
local cap = tonumber(ARGV[7])
local cutoff = tonumber(ARGV[8])
local lifetime = tonumber(ARGV[9])
local head = ':' .. ARGV[5] .. ':' .. ARGV[6]
local seqs = {}
local i = first
while i <= #KEYS do
  local seq
  if markers then
    seq = redis.call('GET', KEYS[i + 2])
  end
  if seq then
    seq = tonumber(seq)
  else
    seq = redis.call('INCR', KEYS[i])
    local inbox = KEYS[i + 1]
    redis.call('ZADD', inbox, seq, string.format('%d', seq) .. head)
    if cap > 0 then
      redis.call('ZREMRANGEBYRANK', inbox, 0, -(cap + 1))
    end
    purge_older(inbox, cutoff)
    if lifetime > 0 then
      redis.call('PEXPIRE', inbox, lifetime)
    end
    if markers then
      redis.call('SET', KEYS[i + 2], seq, 'PX', ARGV[3])
    end
  end
  seqs[#seqs + 1] = seq
  i = i + per_user
end
if dedupe then
  local sender = tonumber(ARGV[10])
  local sender_seq = 0
  if sender > 0 then
    sender_seq = seqs[sender]
  end
  redis.call('SET', KEYS[1], 'd:' .. ARGV[4] .. ':' .. ARGV[5] .. ':' .. string.format('%d', sender_seq), 'PX', ARGV[3])
end
return {1, seqs}
