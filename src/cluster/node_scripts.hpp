// The Lua scripts the nodes run in Redis: each is atomic there, which is
// what makes joining and reaping safe when nodes race.
#pragma once

namespace cluster::script {

// Redis's clock, in ms: every node's heartbeat is compared on one clock.
#define BARERTC_REDIS_NOW         \
  "local t = redis.call('TIME') " \
  "local now = tonumber(t[1]) * 1000 + math.floor(tonumber(t[2]) / 1000) "

// KEYS: nodes, log. ARGV: node, timeout ms, NodeJoined entry, max length.
// Counts the other live nodes, beats, appends NodeJoined:
// {entry ID, others, the stream's entries-added count with it}.
// Two nodes joining at once are ordered here, so only one can find an empty
// room and start it.
inline constexpr const char* kJoin = BARERTC_REDIS_NOW
    "local others = 0 "
    "local all = redis.call('HGETALL', KEYS[1]) "
    "for i = 1, #all, 2 do "
    "  if all[i] ~= ARGV[1] and tonumber(all[i + 1]) >= now - tonumber(ARGV[2]) then "
    "    others = others + 1 "
    "  end "
    "end "
    "redis.call('HSET', KEYS[1], ARGV[1], now) "
    "local id = redis.call('XADD', KEYS[2], 'MAXLEN', '~', ARGV[4], '*', 'e', ARGV[3]) "
    "local info = redis.call('XINFO', 'STREAM', KEYS[2]) "
    "local added = -1 "
    "for i = 1, #info, 2 do "
    "  if info[i] == 'entries-added' then added = info[i + 1] end "
    "end "
    "return {id, others, added}";

// KEYS: nodes, log. ARGV: node, timeout ms, max age ms (0: none).
// Beats and trims the log by age; returns {node count, {stale nodes}}, or
// {-1, {}} when this node is no longer in the hash: another node reaped it,
// or Redis lost its data. It must not come back by beating.
inline constexpr const char* kBeat = BARERTC_REDIS_NOW
    "if redis.call('HEXISTS', KEYS[1], ARGV[1]) == 0 then return {-1, {}} end "
    "redis.call('HSET', KEYS[1], ARGV[1], now) "
    "local age = tonumber(ARGV[3]) "
    "if age > 0 then "
    "  redis.call('XTRIM', KEYS[2], 'MINID', '~', string.format('%.0f', now - age)) "
    "end "
    "local stale = {} "
    "local all = redis.call('HGETALL', KEYS[1]) "
    "for i = 1, #all, 2 do "
    "  if tonumber(all[i + 1]) < now - tonumber(ARGV[2]) then stale[#stale + 1] = all[i] end "
    "end "
    "return {#all / 2, stale}";

// KEYS: nodes, log. ARGV: node, timeout ms, NodeLeft entry, max length.
// Removes a node whose heartbeat ran out and appends its NodeLeft, once
// however many nodes saw it go: 1 if this call did it.
inline constexpr const char* kReap = BARERTC_REDIS_NOW
    "local beat = redis.call('HGET', KEYS[1], ARGV[1]) "
    "if not beat or tonumber(beat) >= now - tonumber(ARGV[2]) then return 0 end "
    "redis.call('HDEL', KEYS[1], ARGV[1]) "
    "redis.call('XADD', KEYS[2], 'MAXLEN', '~', ARGV[4], '*', 'e', ARGV[3]) "
    "return 1";

// KEYS: log. ARGV: last ID read, count. Up to `count` entries after the
// last one read, with the stream's entries-added and length as of the same
// instant: {added, length, [[id, [field, value, ...]], ...]}, or {-2, 0, {}}
// when the stream is gone. Reading and counting in one script is what makes
// the gap check exact (XINFO's own reply, which carries the first and last
// entries, stays in Redis).
inline constexpr const char* kRead =
    "if redis.call('EXISTS', KEYS[1]) == 0 then return {-2, 0, {}} end "
    "local info = redis.call('XINFO', 'STREAM', KEYS[1]) "
    "local added, length = -1, 0 "
    "for i = 1, #info, 2 do "
    "  if info[i] == 'entries-added' then added = info[i + 1] end "
    "  if info[i] == 'length' then length = info[i + 1] end "
    "end "
    "local entries = redis.call('XRANGE', KEYS[1], '(' .. ARGV[1], '+', 'COUNT', ARGV[2]) "
    "return {added, length, entries}";

#undef BARERTC_REDIS_NOW

}  // namespace cluster::script
