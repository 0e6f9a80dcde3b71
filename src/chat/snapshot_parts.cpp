// The room's parts in a room snapshot (snapshot_codec.hpp), each written in
// a canonical order and read back with the checks its code relies on.
#include <algorithm>
#include <climits>
#include <cmath>
#include <iterator>

#include "chat/snapshot_codec.hpp"

namespace chat {

// --- reading ----------------------------------------------------------------

double SnapshotReader::number() {
  const double v = in_.f64();
  if (!(std::abs(v) <= kMaxMagnitude)) {  // NaN fails too
    fail("a number out of range");
    return 0;
  }
  return v;
}

int64_t SnapshotReader::time(int64_t max) {
  const int64_t v = in_.i64();
  if (v < 0 || v > max) fail("a time or id out of range");
  return v;
}

int SnapshotReader::non_negative_int() {
  const int64_t v = in_.i64();
  if (v < 0 || v > INT_MAX) fail("a count out of range");
  return static_cast<int>(std::clamp<int64_t>(v, 0, INT_MAX));
}

std::string SnapshotReader::error() const {
  if (!error_.empty()) return error_;
  if (in_.failed()) return "truncated or malformed";
  if (!in_.at_end()) return "bytes after the end";
  return {};
}

namespace {

// The keys of a map, sorted.
template <typename Map>
std::vector<const typename Map::value_type*> sorted_entries(const Map& map) {
  std::vector<const typename Map::value_type*> out;
  out.reserve(map.size());
  for (const auto& entry : map) out.push_back(&entry);
  std::sort(out.begin(), out.end(), [](auto* a, auto* b) { return a->first < b->first; });
  return out;
}

}  // namespace

// --- echo buffer: channels by name; an emptied channel is left out ----------

void SnapshotCodec::write(util::ByteWriter& w, const EchoBuffer& e) {
  auto channels = sorted_entries(e.channels_);
  std::erase_if(channels, [](auto* c) { return c->second.empty(); });
  w.u64(channels.size());
  for (const auto* c : channels) {
    w.str(c->first).u64(c->second.size());
    for (const auto& m : c->second) w.str(m.username).str(m.html).i64(m.msg_id).str(m.timestamp);
  }
}

void SnapshotCodec::read(SnapshotReader& r, EchoBuffer& e) {
  const size_t channels = r.count(2);
  for (size_t i = 0; i < channels && r.ok(); ++i) {
    auto [it, added] = e.channels_.try_emplace(r.str());
    if (!added) r.fail("a channel twice in the echo buffer");
    const size_t n = r.count(4);
    for (size_t j = 0; j < n && r.ok(); ++j) {
      StoredMessage m{.channel = it->first};
      m.username = r.str();
      m.html = r.str();
      m.msg_id = r.i64();
      m.timestamp = r.str();
      it->second.push_back(std::move(m));
    }
  }
}

// --- bans: any expiry the list can hold (a ban may saturate either way) -----

void SnapshotCodec::write(util::ByteWriter& w, const BanList& b) {
  w.u64(b.entries().size());
  for (const auto& [name, until_ms] : b.entries()) w.str(name).i64(until_ms);
}

void SnapshotCodec::read(SnapshotReader& r, BanList& b) {
  const size_t n = r.count(2);
  for (size_t i = 0; i < n && r.ok(); ++i) {
    auto name = r.str();
    const int64_t until_ms = r.i64();
    if (b.entries().contains(name)) r.fail("a ban twice");
    b.restore(name, until_ms);
  }
}

// --- link-spam guard: senders, then their links, by text --------------------

void SnapshotCodec::write(util::ByteWriter& w, const LinkSpamGuard& g) {
  auto senders = sorted_entries(g.by_sender_);
  std::erase_if(senders, [](auto* s) { return s->second.empty(); });
  w.u64(senders.size());
  for (const auto* s : senders) {
    w.str(s->first).u64(s->second.size());
    for (const auto* link : sorted_entries(s->second)) {
      w.str(link->first);
      write_names(w, link->second.recipients);
      w.i64(link->second.last_sent_ms).boolean(link->second.kicked);
    }
  }
}

void SnapshotCodec::read(SnapshotReader& r, LinkSpamGuard& g) {
  const size_t senders = r.count(2);
  for (size_t i = 0; i < senders && r.ok(); ++i) {
    auto [s, added] = g.by_sender_.try_emplace(r.str());
    if (!added) r.fail("a sender twice in the link-spam guard");
    const size_t n = r.count(4);
    for (size_t j = 0; j < n && r.ok(); ++j) {
      auto [link, new_link] = s->second.try_emplace(r.str());
      if (!new_link) r.fail("a link twice in the link-spam guard");
      read_names(r, link->second.recipients);
      link->second.last_sent_ms = r.past_ms();
      link->second.kicked = r.boolean();
    }
  }
}

// --- recent context: conversations most recently written first, as kept ----

void SnapshotCodec::write(util::ByteWriter& w, const RecentContext& c) {
  w.u64(c.recent_.size());
  for (const auto& key : c.recent_) {
    const auto& lines = c.lines_.at(key).lines;
    w.str(key).u64(lines.size());
    for (const auto& line : lines) w.i64(line.at).str(line.text);
  }
  // As counted, with the overheads recent_context.cpp estimates.
  w.u64(c.bytes_);
}

void SnapshotCodec::read(SnapshotReader& r, RecentContext& c) {
  const size_t n = r.count(2);
  for (size_t i = 0; i < n && r.ok(); ++i) {
    c.recent_.push_back(r.str());
    auto [it, added] = c.lines_.try_emplace(c.recent_.back());
    if (!added) r.fail("a conversation twice in the recent context");
    it->second.age = std::prev(c.recent_.end());
    const size_t lines = r.count(2);
    if (lines > RecentContext::kLines) r.fail("too many lines in a conversation");
    for (size_t j = 0; j < lines && r.ok(); ++j) {
      const int64_t at = r.past_seconds();
      it->second.lines.push_back({at, r.str()});
    }
  }
  c.bytes_ = r.u64();
}

// --- ping schedule: the buckets as they are, dead connections included ------

void SnapshotCodec::write(util::ByteWriter& w, const PingSchedule& p) {
  w.i64(p.last_second_ + 1);  // -1 (never ticked) as 0: read() allows 0..now
  for (const auto& bucket : p.buckets_) {
    w.u64(bucket.size());
    for (const auto& e : bucket) w.u64(e.conn).i64(e.since);
  }
}

void SnapshotCodec::read(SnapshotReader& r, PingSchedule& p) {
  p.last_second_ = r.time(r.now_ms / 1000 + 1) - 1;  // -1: never ticked
  for (size_t b = 0; b < p.buckets_.size() && r.ok(); ++b) {
    const size_t n = r.count(2);
    for (size_t i = 0; i < n && r.ok(); ++i) {
      const ConnId conn = r.u64();
      const int64_t since = r.past_seconds();
      if (static_cast<size_t>(since % PingSchedule::kIntervalSeconds) != b) {
        r.fail("a ping in the wrong second");
      }
      p.buckets_[b].push_back({conn, since});
    }
  }
}

// --- who lists: the changes not yet sent as deltas, and the pacer -----------

void SnapshotCodec::write(util::ByteWriter& w, const WhoChanges& c) {
  write_names(w, c.users);
  const auto pairs = sorted_entries(c.pairs);
  w.u64(pairs.size());
  for (const auto* p : pairs) {
    w.str(p->first);
    write_names(w, p->second);
  }
  w.boolean(c.everything);
}

void SnapshotCodec::read(SnapshotReader& r, WhoChanges& c) {
  read_names(r, c.users);
  const size_t n = r.count(2);
  for (size_t i = 0; i < n && r.ok(); ++i) {
    auto [it, added] = c.pairs.try_emplace(r.str());
    if (!added) r.fail("a viewer twice in the who changes");
    read_names(r, it->second);
  }
  c.everything = r.boolean();
}

void SnapshotCodec::write(util::ByteWriter& w, const WhoPacer& p) {
  w.u64(p.new_.size());
  for (ConnId id : p.new_) w.u64(id);
  w.u64(p.served_.size());
  for (ConnId id : p.served_) w.u64(id);
  w.u64(static_cast<uint64_t>(
      std::distance<WhoPacer::List::const_iterator>(p.served_.begin(), p.first_fresh_)));
  write(w, p.bytes_);
}

// Into plain vectors: a WhoPacer cannot be moved (first_fresh_ may be its
// list's end), so adopt() rebuilds the room's own in place.
void SnapshotCodec::read(SnapshotReader& r, RoomImage& image) {
  for (auto* ids : {&image.pacer_new, &image.pacer_served}) {
    const size_t n = r.count(1);
    for (size_t i = 0; i < n && r.ok(); ++i) ids->push_back(r.u64());
  }
  image.pacer_stale = r.u64();
  if (image.pacer_stale > image.pacer_served.size()) r.fail("a bad who pacer position");
  read(r, image.pacer_bytes);
}

void SnapshotCodec::adopt(WhoPacer& p, RoomImage& image) {
  p.new_.clear();
  p.served_.clear();
  p.position_.clear();
  for (ConnId id : image.pacer_new) {
    p.new_.push_back(id);
    p.position_[id] = {std::prev(p.new_.end()), true};
  }
  for (ConnId id : image.pacer_served) {
    p.served_.push_back(id);
    p.position_[id] = {std::prev(p.served_.end()), false};
  }
  p.first_fresh_ = std::next(p.served_.begin(), static_cast<ptrdiff_t>(image.pacer_stale));
  p.bytes_ = image.pacer_bytes;
}

}  // namespace chat
