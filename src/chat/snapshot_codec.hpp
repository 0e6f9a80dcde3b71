// The encoding of Room::snapshot() (room_snapshot.cpp), and of the room's
// parts (snapshot_parts.cpp, connection_codec.cpp). SnapshotCodec is a
// friend of each part, so that the parts carry no serialization code of
// their own and the snapshot copies their state exactly.
//
// The encoding is canonical: unordered containers are written sorted, so
// that two rooms in the same state give the same bytes (a node can check
// its copy against another's). Decoding validates what the room relies on
// (no index into a missing connection, no arithmetic that could overflow)
// and never reserves memory for a count the input cannot hold.
#pragma once

#include <deque>
#include <string>
#include <string_view>
#include <unordered_map>
#include <utility>
#include <vector>

#include "chat/ban_list.hpp"
#include "chat/connection.hpp"
#include "chat/echo_buffer.hpp"
#include "chat/link_spam.hpp"
#include "chat/ping_schedule.hpp"
#include "chat/recent_context.hpp"
#include "chat/token_bucket.hpp"
#include "chat/who_changes.hpp"
#include "chat/who_list.hpp"
#include "chat/who_pacer.hpp"
#include "util/bytes.hpp"

namespace chat {

class Room;

// A ByteReader that also keeps the first semantic error (a duplicate, an
// impossible value), and the room's clock to check times against.
class SnapshotReader {
 public:
  // Token levels and claim times are far smaller: bounded, they cannot
  // overflow where the room turns them into integers.
  static constexpr double kMaxMagnitude = 1e15;

  explicit SnapshotReader(std::string_view in) : in_(in) {}

  uint64_t u64() { return in_.u64(); }
  int64_t i64() { return in_.i64(); }
  bool boolean() { return in_.boolean(); }
  std::string str() { return in_.str(); }
  size_t count(size_t min_item_bytes) { return in_.count(min_item_bytes); }
  // A number (not NaN, not infinite) of at most kMaxMagnitude either way.
  double number();
  int64_t time(int64_t max);                  // 0..max
  int64_t past_ms() { return time(now_ms); }  // a moment up to the room's now
  int64_t past_seconds() { return time(now_ms / 1000); }
  int non_negative_int();

  // Records why the input is not a snapshot (the first reason is kept).
  void fail(std::string_view why) {
    if (error_.empty()) error_ = why;
  }
  bool ok() const { return error_.empty() && !in_.failed(); }
  bool done() const { return error_.empty() && in_.done(); }
  std::string error() const;

  int64_t now_ms = 0;  // read first, then the bound of every past time

 private:
  util::ByteReader in_;
  std::string error_;
};

// The room's state, decoded and checked before any of it replaces the
// room's own (so that a bad snapshot leaves the room as it was).
struct RoomImage {
  int64_t now_ms = 0;
  int64_t next_msg_id = 0;
  bool history = false;
  int64_t next_link_sweep_ms = 0;
  ConnectionMap conns;
  NameIndex by_name;
  EchoBuffer echo;
  BanList bans;
  LinkSpamGuard link_spam;
  RecentContext context;
  TokenBucket presence_budget;  // the rate is this node's, the level the snapshot's
  PingSchedule pings;
  std::unordered_map<std::string, std::vector<std::string>> cached_blocklists;
  std::unordered_map<int64_t, std::pair<std::string, std::string>> dm_parties;
  std::deque<int64_t> dm_order;
  WhoChanges who_changes;
  int64_t who_delta_due_ms = 0;
  std::vector<ConnId> delta_viewers;
  // The who pacer's queues: never served, then served (the first `stale` of
  // them before the fresh ones).
  std::vector<ConnId> pacer_new, pacer_served;
  size_t pacer_stale = 0;
  TokenBucket pacer_bytes;
};

struct SnapshotCodec {
  static constexpr uint64_t kVersion = 1;
  // Bounds that keep the room's arithmetic on times and message ids far
  // from overflow, whatever a snapshot holds: year 33658, and 2^62.
  static constexpr int64_t kMaxTimeMs = 1'000'000'000'000'000;
  static constexpr int64_t kMaxMessageId = int64_t{1} << 62;

  // The room (room_snapshot.cpp).
  static void write_room(util::ByteWriter& w, const Room& room);
  static void read_room(SnapshotReader& r, const Room& room, RoomImage& image);
  static void adopt(Room& room, RoomImage&& image);

  // One connection, its claims and its token buckets (connection_codec.cpp).
  static void write(util::ByteWriter& w, const Connection& c);
  static void read(SnapshotReader& r, Connection& c);
  static void write(util::ByteWriter& w, const auth::Claims& c);
  static void read(SnapshotReader& r, auth::Claims& c);
  // Only the level and its time: the rate and capacity are configuration.
  static void write(util::ByteWriter& w, const TokenBucket& b);
  static void read(SnapshotReader& r, TokenBucket& b);

  // The room's parts (snapshot_parts.cpp).
  static void write(util::ByteWriter& w, const EchoBuffer& e);
  static void read(SnapshotReader& r, EchoBuffer& e);
  static void write(util::ByteWriter& w, const BanList& b);
  static void read(SnapshotReader& r, BanList& b);
  static void write(util::ByteWriter& w, const LinkSpamGuard& g);
  static void read(SnapshotReader& r, LinkSpamGuard& g);
  static void write(util::ByteWriter& w, const RecentContext& c);
  static void read(SnapshotReader& r, RecentContext& c);
  static void write(util::ByteWriter& w, const PingSchedule& p);
  static void read(SnapshotReader& r, PingSchedule& p);
  static void write(util::ByteWriter& w, const WhoChanges& c);
  static void read(SnapshotReader& r, WhoChanges& c);
  static void write(util::ByteWriter& w, const WhoPacer& p);
  static void read(SnapshotReader& r, RoomImage& image);  // the pacer's part
  static void adopt(WhoPacer& p, RoomImage& image);

  // Containers, sorted when unordered.
  template <typename Strings>
  static void write_names(util::ByteWriter& w, const Strings& names);
  template <typename Set>
  static void read_names(SnapshotReader& r, Set& names);
};

template <typename Strings>
void SnapshotCodec::write_names(util::ByteWriter& w, const Strings& names) {
  std::vector<std::string_view> sorted(names.begin(), names.end());
  std::sort(sorted.begin(), sorted.end());
  w.u64(sorted.size());
  for (auto n : sorted) w.str(n);
}

template <typename Set>
void SnapshotCodec::read_names(SnapshotReader& r, Set& names) {
  const size_t n = r.count(1);
  for (size_t i = 0; i < n && r.ok(); ++i) {
    if (!names.insert(r.str()).second) r.fail("a name twice in a set");
  }
}

}  // namespace chat
