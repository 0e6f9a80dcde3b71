// Who lists: what changed during a batch, and the lists and deltas that
// finish_batch() makes of it (protocol.md §5.5, docs/protocol-extensions.md).
#include "chat/room.hpp"

namespace chat {

std::string Room::who_list_for(ConnId viewer) {
  WhoListBuilder lists;
  lists.begin(*settings_, conns_, by_name_);
  return std::string(lists.full_list_for(conns_.at(viewer)).payload());
}

void Room::who_user_changed(const Connection& u) {
  who_changes_.users.insert(u.username);
  who_mark();
}

void Room::who_pair_changed(std::string_view viewer, std::string_view user) {
  auto& set = who_changes_.pairs[std::string(viewer)];
  set.emplace(user);
  who_mark();
}

void Room::who_everything_changed() {
  who_changes_.everything = true;
  who_mark();
}

// Everyone's list changes: the lists go where the batch's first change is.
void Room::who_mark() {
  who_lists_.begin(*settings_, conns_, by_name_);
  who_pacer_.all_stale();
  if (who_marked_) return;
  who_marked_ = true;
  out_.deliveries.push_back({0, {}, true});
}

// The first list goes at its own place in the login sequence (after `me`).
void Room::who_viewer_joined(Connection& c) {
  if (!local(c.id)) return;  // its own node serves its lists
  out_.deliveries.push_back({c.id, {}, true});
  who_new_.push_back(c.id);
  if (!c.who_deltas) who_pacer_.add(c.id);
}

void Room::who_viewer_left(const Connection& c) {
  who_pacer_.remove(c.id);
  delta_viewers_.erase(c.id);
}

namespace {

// A delta round reaches every delta viewer: in a big room that is thousands
// of sends for each change. The next round waits until this one's sends
// would be done at a cost per delivery and per byte, so a join storm's
// changes are merged into a few rounds a second while a lone change in a
// quiet room goes out at once (10,000 viewers: 200 ms; 100 viewers: 2 ms).
constexpr int64_t kDeltaDeliveryCostNs = 20'000;
constexpr int64_t kDeltaBytesPerMs = 2'000'000;

int64_t delta_round_cost_ms(size_t deliveries, size_t bytes) {
  return static_cast<int64_t>(deliveries) * kDeltaDeliveryCostNs / 1'000'000 +
         static_cast<int64_t>(bytes) / kDeltaBytesPerMs;
}

}  // namespace

void Room::resolve_who() {
  if (!who_marked_ && !who_pacer_.waiting() && who_changes_.empty()) return;
  std::unordered_set<ConnId> is_new;
  for (ConnId id : who_new_) {
    if (auto it = conns_.find(id); it != conns_.end() && it->second.authenticated)
      is_new.insert(id);
  }
  // Lists of viewers that signed in go at their own marker; the rest at the
  // marker for everyone (or at the end, when the pacer serves on a Tick).
  std::unordered_map<ConnId, Delivery> own;
  std::vector<Delivery> rest;
  auto add = [&](ConnId id, protocol::Frame frame, bool snapshot) {
    Delivery d{id, std::move(frame), snapshot, true};
    if (is_new.contains(id))
      own.emplace(id, std::move(d));
    else
      rest.push_back(std::move(d));
  };

  // Delta viewers: a full list at sign-in or when every view changed, else
  // the changes as they see them. Never replaced in the outbox: each delta
  // builds on the ones before.
  const bool delta_round = !who_changes_.empty() && now_ms_ >= who_delta_due_ms_;
  if (delta_round) {
    const bool full = who_changes_.everything;
    if (!full) who_deltas_.begin(*settings_, conns_, by_name_, who_changes_, who_lists_);
    size_t deliveries = 0, bytes = 0;
    for (ConnId id : delta_viewers_) {
      const auto& v = conns_.at(id);
      auto frame = full ? who_lists_.frame_for(v) : who_deltas_.frame_for(v);
      if (!frame) continue;
      ++deliveries;
      bytes += frame.wire_size();
      add(id, std::move(frame), false);
    }
    who_delta_due_ms_ = now_ms_ + delta_round_cost_ms(deliveries, bytes);
  }
  for (ConnId id : is_new) {
    auto& v = conns_.at(id);
    if (!v.who_deltas) continue;
    add(id, who_lists_.frame_for(v), false);
    delta_viewers_.insert(id);
  }
  // The others: full lists, stale viewers first, within the budget. A newer
  // list replaces an unsent one in the outbox.
  while (auto id = who_pacer_.next(now_ms_)) {
    auto frame = who_lists_.frame_for(conns_.at(*id));
    who_pacer_.spend(frame.wire_size());
    add(*id, std::move(frame), true);
  }
  if (who_pacer_.waiting()) out_.wake_at_ms = who_pacer_.due_ms(now_ms_);
  if (!delta_round && !who_changes_.empty()) {
    out_.wake_at_ms =
        out_.wake_at_ms ? std::min(out_.wake_at_ms, who_delta_due_ms_) : who_delta_due_ms_;
  }

  std::vector<Delivery> resolved;
  resolved.reserve(out_.deliveries.size() + rest.size() + own.size());
  for (auto& d : out_.deliveries) {
    if (d.frame) {
      resolved.push_back(std::move(d));
    } else if (d.to == 0) {
      std::move(rest.begin(), rest.end(), std::back_inserter(resolved));
      rest.clear();
    } else if (auto it = own.find(d.to); it != own.end()) {
      resolved.push_back(std::move(it->second));
      own.erase(it);
    }
  }
  std::move(rest.begin(), rest.end(), std::back_inserter(resolved));
  for (auto& [_, d] : own) resolved.push_back(std::move(d));
  out_.deliveries = std::move(resolved);
  if (delta_round) who_changes_.clear();  // else they wait for the next round
  who_new_.clear();
  who_marked_ = false;
}

}  // namespace chat
