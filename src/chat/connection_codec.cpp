// One connection in a room snapshot: every field of chat::Connection but the
// who-list entry, a cache rebuilt from the others on first use.
#include <algorithm>

#include "chat/snapshot_codec.hpp"

namespace chat {
namespace {

// Sorted, as differences from the one before: message ids are consecutive
// numbers near 2^31, so each takes a byte or two instead of five.
template <typename Set>
void write_ids(util::ByteWriter& w, const Set& ids) {
  std::vector<uint64_t> sorted;
  sorted.reserve(ids.size());
  for (auto id : ids) sorted.push_back(static_cast<uint64_t>(id));
  std::sort(sorted.begin(), sorted.end());
  w.u64(sorted.size());
  uint64_t previous = 0;
  for (auto id : sorted) {
    w.u64(id - previous);
    previous = id;
  }
}

template <typename Set>
void read_ids(SnapshotReader& r, Set& ids) {
  const size_t n = r.count(1);
  uint64_t previous = 0;
  for (size_t i = 0; i < n && r.ok(); ++i) {
    const uint64_t delta = r.u64();
    if (i > 0 && delta == 0) r.fail("an id twice in a set");
    previous += delta;  // unsigned: wraps rather than overflows on garbage
    ids.insert(static_cast<typename Set::value_type>(previous));
  }
}

void write_strings(util::ByteWriter& w, const std::vector<std::string>& v) {
  w.u64(v.size());
  for (const auto& s : v) w.str(s);
}

void read_strings(SnapshotReader& r, std::vector<std::string>& v) {
  const size_t n = r.count(1);
  for (size_t i = 0; i < n && r.ok(); ++i) v.push_back(r.str());
}

void write_time(util::ByteWriter& w, const std::optional<double>& t) {
  w.boolean(t.has_value());
  if (t) w.f64(*t);
}

// Claims' times become whole seconds in a refreshed token: number() keeps
// them within int64_t's range.
void read_time(SnapshotReader& r, std::optional<double>& t) {
  if (r.boolean()) t = r.number();
}

}  // namespace

void SnapshotCodec::write(util::ByteWriter& w, const TokenBucket& b) {
  w.f64(b.tokens_).i64(b.at_ms_).boolean(b.started_);
}

void SnapshotCodec::read(SnapshotReader& r, TokenBucket& b) {
  b.tokens_ = r.number();
  b.at_ms_ = r.past_ms();
  b.started_ = r.boolean();
}

void SnapshotCodec::write(util::ByteWriter& w, const auth::Claims& c) {
  w.str(c.iss).str(c.sub);
  write_strings(w, c.aud);
  write_time(w, c.exp);
  write_time(w, c.nbf);
  write_time(w, c.iat);
  w.str(c.jti).boolean(c.op).boolean(c.vip);
  w.str(c.img).str(c.url).str(c.nick).str(c.emoji).str(c.gender);
  write_strings(w, c.rules);
}

void SnapshotCodec::read(SnapshotReader& r, auth::Claims& c) {
  c.iss = r.str();
  c.sub = r.str();
  read_strings(r, c.aud);
  read_time(r, c.exp);
  read_time(r, c.nbf);
  read_time(r, c.iat);
  c.jti = r.str();
  c.op = r.boolean();
  c.vip = r.boolean();
  c.img = r.str();
  c.url = r.str();
  c.nick = r.str();
  c.emoji = r.str();
  c.gender = r.str();
  read_strings(r, c.rules);
}

void SnapshotCodec::write(util::ByteWriter& w, const Connection& c) {
  w.u64(c.id).str(c.username).boolean(c.authenticated).str(c.status).i64(c.video);
  w.boolean(c.dnd).boolean(c.claims.has_value());
  if (c.claims) write(w, *c.claims);
  for (const auto* set : {&c.booted, &c.muted, &c.blocked, &c.invited}) write_names(w, *set);
  w.boolean(c.unblockable);
  write_ids(w, c.owned_message_ids);
  write_ids(w, c.peers);
  write(w, c.open_tokens);
  w.i64(c.login_at).i64(c.connected_at_ms).boolean(c.who_deltas);
  w.i64(c.pictures_pending).i64(c.reports_pending);
  write(w, c.auto_report_tokens);
  w.u64(c.op_override ? 1 + *c.op_override : 0);
}

void SnapshotCodec::read(SnapshotReader& r, Connection& c) {
  c.id = r.u64();
  c.username = r.str();
  c.authenticated = r.boolean();
  c.status = r.str();
  c.video = r.i64();
  c.dnd = r.boolean();
  if (r.boolean()) read(r, c.claims.emplace());
  for (auto* set : {&c.booted, &c.muted, &c.blocked, &c.invited}) read_names(r, *set);
  c.unblockable = r.boolean();
  read_ids(r, c.owned_message_ids);
  read_ids(r, c.peers);
  read(r, c.open_tokens);
  c.login_at = r.past_seconds();
  c.connected_at_ms = r.past_ms();
  c.who_deltas = r.boolean();
  c.pictures_pending = r.non_negative_int();
  c.reports_pending = r.non_negative_int();
  read(r, c.auto_report_tokens);
  switch (r.u64()) {
    case 0:
      break;
    case 1:
      c.op_override = false;
      break;
    case 2:
      c.op_override = true;
      break;
    default:
      r.fail("a bad operator override");
  }
  if (c.authenticated == c.username.empty()) r.fail("a name without a login, or the reverse");
}

}  // namespace chat
