-- Reads a group's members, telling an unknown group from an empty one in the same snapshot.
-- KEYS[1] the group's profile (hash), KEYS[2] its members (hash user id -> packed member)
-- Returns {0} when there is no such group, else {1, {user id, packed member, ...}}.
if redis.call('EXISTS', KEYS[1]) == 0 then
  return {0}
end
return {1, redis.call('HGETALL', KEYS[2])}
