/**
 * Lua scripts: every membership change is one atomic script that updates the room hash, the
 * instance's member set and the room's sequence number, and publishes the event with that
 * number (see mirror.ts for why the number matters).
 *
 * Keys (P = prefix):
 *   P r:<room>:m    hash   peer id -> "<instance>\n<name>"   (names hold no control characters)
 *   P r:<room>:s    string sequence number of the room's events (expires a day after it empties)
 *   P i:<inst>:m    set    "<room>\n<peer id>" of that instance's sessions
 *   P i:<inst>:alive       heartbeat, PX = heartbeat TTL; its value `v<protocol version>` is
 *                          the version the instance attests for its members (an older
 *                          instance writes '1': it attests none)
 *   P instances     set    instance ids
 * Channels: P r:<room> (presence events, JSON), P i:<inst> (signal frames for that instance).
 *
 * The sweep script reads keys it derives from set members; fine on a single Redis (not on Redis
 * Cluster, which is not supported here).
 */

/**
 * KEYS: room hash, room seq, instance set. ARGV: inst, peer, name, max, room, channel, version,
 * prefix. The event carries the joiner's attested version (`v`); the reply is the room's
 * members and, per instance among them, its heartbeat value (`v<version>` from an instance that
 * attests one, '' for a dead one).
 */
export const JOIN = `
if redis.call('HLEN', KEYS[1]) >= tonumber(ARGV[4]) then return {0} end
redis.call('HSET', KEYS[1], ARGV[2], ARGV[1] .. '\\n' .. ARGV[3])
redis.call('SADD', KEYS[3], ARGV[5] .. '\\n' .. ARGV[2])
redis.call('PERSIST', KEYS[2])
local seq = redis.call('INCR', KEYS[2])
redis.call('PUBLISH', ARGV[6],
  cjson.encode({t='j', s=seq, i=ARGV[1], id=ARGV[2], n=ARGV[3], v=tonumber(ARGV[7])}))
local all = redis.call('HGETALL', KEYS[1])
local beats, seen = {}, {}
for j = 2, #all, 2 do
  local nl = string.find(all[j], '\\n', 1, true)
  local inst = nl and string.sub(all[j], 1, nl - 1) or ''
  if not seen[inst] then
    seen[inst] = true
    table.insert(beats, inst)
    table.insert(beats, redis.call('GET', ARGV[8] .. 'i:' .. inst .. ':alive') or '')
  end
end
return {1, seq, all, beats}
`;

const REMOVE_MEMBER = `
local function remove_member(P, inst, room, peer)
  local hash = P .. 'r:' .. room .. ':m'
  if redis.call('HDEL', hash, peer) == 0 then return 0 end
  local seqKey = P .. 'r:' .. room .. ':s'
  local seq = redis.call('INCR', seqKey)
  redis.call('PUBLISH', P .. 'r:' .. room, cjson.encode({t='l', s=seq, i=inst, id=peer}))
  if redis.call('HLEN', hash) == 0 then redis.call('PEXPIRE', seqKey, 86400000) end
  return 1
end
`;

/** ARGV: prefix, inst, room, peer. */
export const LEAVE = `${REMOVE_MEMBER}
redis.call('SREM', ARGV[1] .. 'i:' .. ARGV[2] .. ':m', ARGV[3] .. '\\n' .. ARGV[4])
return remove_member(ARGV[1], ARGV[2], ARGV[3], ARGV[4])
`;

/**
 * ARGV: prefix, self, retire. With retire = '' removes the members of every instance whose
 * heartbeat expired (not self); otherwise removes every member of instance `retire` (graceful
 * shutdown). Returns the number of members removed.
 */
export const SWEEP = `${REMOVE_MEMBER}
local P = ARGV[1]
local function retire(inst)
  local setKey = P .. 'i:' .. inst .. ':m'
  local n = 0
  for _, entry in ipairs(redis.call('SMEMBERS', setKey)) do
    local nl = string.find(entry, '\\n', 1, true)
    if nl then
      n = n + remove_member(P, inst, string.sub(entry, 1, nl - 1), string.sub(entry, nl + 1))
    end
  end
  redis.call('DEL', setKey)
  redis.call('SREM', P .. 'instances', inst)
  return n
end
if ARGV[3] ~= '' then return retire(ARGV[3]) end
local total = 0
for _, inst in ipairs(redis.call('SMEMBERS', P .. 'instances')) do
  if inst ~= ARGV[2] and redis.call('EXISTS', P .. 'i:' .. inst .. ':alive') == 0 then
    total = total + retire(inst)
  end
end
return total
`;
