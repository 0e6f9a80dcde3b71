// Room snapshots for the cluster: a node joining a running room starts from
// another node's copy of the room at a log position, then applies the log
// entries after it.
//
// Everything that decides the room's future behaviour is in it, the who
// lists' pacing included, so that a restored room is the same state machine
// as the original: fed the same events, it makes the same deliveries and
// its own snapshot is byte for byte the original's. Left out, because they
// are rebuilt or are the node's own: settings (and what is compiled from
// them: filters, welcome frames), RoomOptions, the connections' who-list
// entries and the who-list builders' caches, and the output of the batch
// being built (a snapshot is taken between batches).
//
// The who lists: the viewers that get deltas, the pacer's queues and budget
// and the changes not yet sent as deltas are copied as they are, so that the
// same viewers get the same lists at the same times. In a cluster a node
// serves the lists of its own viewers only (Room::set_local_node), so these
// name the writer's viewers: the reader forgets them (set_local_node after
// restore) and serves its own, which all sign in after the snapshot.
#include <algorithm>
#include <unordered_set>

#include "chat/room.hpp"
#include "chat/snapshot_codec.hpp"

namespace chat {

std::string Room::snapshot() const {
  std::string out;
  util::ByteWriter w(out);
  SnapshotCodec::write_room(w, *this);
  return out;
}

std::expected<void, std::string> Room::restore(std::string_view snapshot) {
  SnapshotReader r(snapshot);
  RoomImage image;
  SnapshotCodec::read_room(r, *this, image);
  if (!r.done()) return std::unexpected("room snapshot: " + r.error());
  SnapshotCodec::adopt(*this, std::move(image));
  return {};
}

namespace {

// The least a connection takes (ids, flags, empty strings and sets, two
// buckets of 10 bytes): a count the input cannot hold fails at once.
constexpr size_t kMinConnectionBytes = 40;

void write_connections(util::ByteWriter& w, const ConnectionMap& conns) {
  std::vector<const Connection*> sorted;
  sorted.reserve(conns.size());
  for (const auto& [_, c] : conns) sorted.push_back(&c);
  std::sort(sorted.begin(), sorted.end(), [](auto* a, auto* b) { return a->id < b->id; });
  w.u64(sorted.size());
  for (const auto* c : sorted) SnapshotCodec::write(w, *c);
}

void read_connections(SnapshotReader& r, RoomImage& image) {
  const size_t n = r.count(kMinConnectionBytes);
  for (size_t i = 0; i < n && r.ok(); ++i) {
    Connection c;
    SnapshotCodec::read(r, c);
    const ConnId id = c.id;
    if (c.authenticated && !image.by_name.emplace(c.username, id).second) {
      r.fail("a name signed in twice");
    }
    if (!image.conns.emplace(id, std::move(c)).second) r.fail("a connection twice");
  }
}

void write_blocklists(util::ByteWriter& w,
                      const std::unordered_map<std::string, std::vector<std::string>>& lists) {
  std::vector<const std::string*> names;
  names.reserve(lists.size());
  for (const auto& [name, _] : lists) names.push_back(&name);
  std::sort(names.begin(), names.end(), [](auto* a, auto* b) { return *a < *b; });
  w.u64(names.size());
  for (const auto* name : names) {
    const auto& list = lists.at(*name);
    w.str(*name).u64(list.size());
    for (const auto& blocked : list) w.str(blocked);  // in the website's order
  }
}

void read_blocklists(SnapshotReader& r, RoomImage& image) {
  const size_t n = r.count(2);
  for (size_t i = 0; i < n && r.ok(); ++i) {
    auto [it, added] = image.cached_blocklists.try_emplace(r.str());
    if (!added) r.fail("a blocklist twice");
    const size_t names = r.count(1);
    for (size_t j = 0; j < names && r.ok(); ++j) it->second.push_back(r.str());
  }
}

void read_dm_parties(SnapshotReader& r, RoomImage& image) {
  const size_t n = r.count(3);
  for (size_t i = 0; i < n && r.ok(); ++i) {
    const int64_t id = r.i64();
    auto sender = r.str();
    auto recipient = r.str();
    if (!image.dm_parties.try_emplace(id, std::move(sender), std::move(recipient)).second) {
      r.fail("a direct message twice");
    }
    image.dm_order.push_back(id);
  }
}

void write_ids(util::ByteWriter& w, const std::unordered_set<ConnId>& ids) {
  std::vector<ConnId> sorted(ids.begin(), ids.end());
  std::sort(sorted.begin(), sorted.end());
  w.u64(sorted.size());
  for (ConnId id : sorted) w.u64(id);
}

void read_ids(SnapshotReader& r, std::vector<ConnId>& ids) {
  const size_t n = r.count(1);
  for (size_t i = 0; i < n && r.ok(); ++i) ids.push_back(r.u64());
}

// Who-list viewers are signed-in connections, each in one place: delta
// viewers asked for deltas, the pacer's did not (the room looks each up).
void check_viewers(SnapshotReader& r, const RoomImage& image) {
  std::unordered_set<ConnId> seen;
  auto check = [&](const std::vector<ConnId>& ids, bool deltas) {
    for (ConnId id : ids) {
      auto it = image.conns.find(id);
      if (it == image.conns.end() || !it->second.authenticated || it->second.who_deltas != deltas ||
          !seen.insert(id).second) {
        return r.fail("who-list viewers that do not match the connections");
      }
    }
  };
  check(image.delta_viewers, true);
  check(image.pacer_new, false);
  check(image.pacer_served, false);
}

}  // namespace

void SnapshotCodec::write_room(util::ByteWriter& w, const Room& room) {
  w.u64(kVersion);
  w.i64(room.now_ms_).i64(room.next_msg_id_).boolean(room.history_);
  w.i64(room.next_link_sweep_ms_);
  write_connections(w, room.conns_);
  write(w, room.echo_);
  write(w, room.bans_);
  write(w, room.link_spam_);
  write(w, room.context_);
  write(w, room.presence_budget_);
  write(w, room.pings_);
  write_blocklists(w, room.cached_blocklists_);
  w.u64(room.dm_order_.size());
  for (int64_t id : room.dm_order_) {
    const auto& [sender, recipient] = room.dm_parties_.at(id);
    w.i64(id).str(sender).str(recipient);
  }
  write(w, room.who_changes_);
  w.i64(room.who_delta_due_ms_);
  write_ids(w, room.delta_viewers_);
  write(w, room.who_pacer_);
}

void SnapshotCodec::read_room(SnapshotReader& r, const Room& room, RoomImage& image) {
  if (r.u64() != kVersion) return r.fail("not a snapshot of this version");
  image.now_ms = r.time(kMaxTimeMs);
  r.now_ms = image.now_ms;
  image.next_msg_id = r.time(kMaxMessageId);
  image.history = r.boolean();
  image.next_link_sweep_ms = r.time(2 * kMaxTimeMs);
  read_connections(r, image);
  read(r, image.echo);
  read(r, image.bans);
  read(r, image.link_spam);
  read(r, image.context);
  image.presence_budget = room.presence_budget_;  // this node's rate
  read(r, image.presence_budget);
  read(r, image.pings);
  read_blocklists(r, image);
  read_dm_parties(r, image);
  read(r, image.who_changes);
  image.who_delta_due_ms = r.time(2 * kMaxTimeMs);
  read_ids(r, image.delta_viewers);
  image.pacer_bytes = room.who_pacer_.bytes_;  // this node's rate
  read(r, image);
  if (r.ok()) check_viewers(r, image);
}

void SnapshotCodec::adopt(Room& room, RoomImage&& image) {
  room.now_ms_ = image.now_ms;
  room.next_msg_id_ = image.next_msg_id;
  room.history_ = image.history;
  room.next_link_sweep_ms_ = image.next_link_sweep_ms;
  room.conns_ = std::move(image.conns);
  room.by_name_ = std::move(image.by_name);
  room.echo_ = std::move(image.echo);
  room.bans_ = std::move(image.bans);
  room.link_spam_ = std::move(image.link_spam);
  room.context_ = std::move(image.context);
  room.presence_budget_ = image.presence_budget;
  room.pings_ = std::move(image.pings);
  room.cached_blocklists_ = std::move(image.cached_blocklists);
  room.dm_parties_ = std::move(image.dm_parties);
  room.dm_order_ = std::move(image.dm_order);

  room.who_changes_ = std::move(image.who_changes);
  room.who_delta_due_ms_ = image.who_delta_due_ms;
  adopt(room.who_pacer_, image);
  room.delta_viewers_ = {image.delta_viewers.begin(), image.delta_viewers.end()};
  // Nothing of the replaced state may show: no half-built batch, no list
  // built from the old connections.
  room.out_ = {};
  room.who_new_.clear();
  room.who_marked_ = false;
  room.who_lists_.begin(*room.settings_, room.conns_, room.by_name_);
}

}  // namespace chat
