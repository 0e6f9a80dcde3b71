#include "chat/who_pacer.hpp"

#include <algorithm>

namespace chat {
namespace {
// Lists are sent in chunks of at least this much time's budget, so that a
// big room is served in a few wake-ups a second, not one per list.
constexpr double kChunkMs = 10;
}  // namespace

void WhoPacer::set_rate(int64_t bytes_per_second) {
  limited_ = bytes_per_second > 0;
  const auto rate = static_cast<double>(std::max<int64_t>(bytes_per_second, 0));
  bytes_per_ms_ = rate / 1000;
  bytes_.set_rate(rate, rate);
}

void WhoPacer::add(ConnId viewer) {
  if (position_.contains(viewer)) return;
  new_.push_back(viewer);
  position_[viewer] = {std::prev(new_.end()), true};
}

void WhoPacer::remove(ConnId viewer) {
  auto it = position_.find(viewer);
  if (it == position_.end()) return;
  auto [at, is_new] = it->second;
  if (is_new) {
    new_.erase(at);
  } else {
    if (at == first_fresh_) ++first_fresh_;
    served_.erase(at);
  }
  position_.erase(it);
}

void WhoPacer::all_stale() {
  first_fresh_ = served_.end();
}

std::optional<ConnId> WhoPacer::next(int64_t now_ms) {
  if (!waiting()) return std::nullopt;
  if (limited_ && bytes_.available(now_ms) <= 0) return std::nullopt;
  // The first new viewer, or else the stale viewer served longest ago; it
  // goes to the end of the served ones, as the freshest.
  List& from = new_.empty() ? served_ : new_;
  const auto at = from.begin();
  const ConnId id = *at;
  const bool none_fresh = first_fresh_ == served_.end();
  served_.splice(served_.end(), from, at);
  position_[id] = {at, false};
  if (none_fresh) first_fresh_ = at;
  return id;
}

void WhoPacer::spend(size_t bytes) {
  if (limited_) bytes_.take(static_cast<double>(bytes));
}

int64_t WhoPacer::due_ms(int64_t now_ms) const {
  if (!limited_) return now_ms;
  return bytes_.due_ms(now_ms, bytes_per_ms_ * kChunkMs);
}

}  // namespace chat
