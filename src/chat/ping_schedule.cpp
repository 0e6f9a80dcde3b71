#include "chat/ping_schedule.hpp"

#include <algorithm>

namespace chat {

void PingSchedule::add(ConnId conn, int64_t connected_at_seconds) {
  buckets_[connected_at_seconds % kIntervalSeconds].push_back({conn, connected_at_seconds});
}

std::vector<ConnId> PingSchedule::due(int64_t now_seconds,
                                      const std::function<bool(ConnId)>& alive) {
  std::vector<ConnId> out;
  if (last_second_ < 0) last_second_ = now_seconds - 1;
  // After a long pause every bucket is visited once.
  const int64_t from = std::max(last_second_ + 1, now_seconds - kIntervalSeconds + 1);
  for (int64_t s = from; s <= now_seconds; ++s) {
    auto& bucket = buckets_[s % kIntervalSeconds];
    std::erase_if(bucket, [&](const Entry& e) { return !alive(e.conn); });
    for (const auto& e : bucket) {
      if (e.since < s) out.push_back(e.conn);
    }
  }
  last_second_ = std::max(last_second_, now_seconds);
  return out;
}

}  // namespace chat
