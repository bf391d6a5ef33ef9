-- One page of an inbox after a seq, purging entries past the age retention first.
-- KEYS[1] inbox; ARGV[1] after seq (exclusive), ARGV[2] entries to return (limit + 1, so that
-- the caller sees whether more follow), ARGV[3] age cutoff, Unix milliseconds (0 = none)
purge_older(KEYS[1], tonumber(ARGV[3]))
return redis.call('ZRANGEBYSCORE', KEYS[1], '(' .. ARGV[1], '+inf', 'LIMIT', 0, ARGV[2])
