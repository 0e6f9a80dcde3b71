// A token bucket: tokens flow in at a fixed rate up to a capacity, and a
// caller takes some for each thing it does. It starts full. Time comes from
// the caller, so that the room stays a function of its events.
#pragma once

#include <algorithm>
#include <cmath>
#include <cstdint>

namespace chat {

class TokenBucket {
 public:
  TokenBucket() = default;
  TokenBucket(double per_second, double capacity) { set_rate(per_second, capacity); }

  void set_rate(double per_second, double capacity) {
    rate_per_ms_ = per_second / 1000;
    capacity_ = capacity;
    tokens_ = std::min(tokens_, capacity_);
    if (!started_) tokens_ = capacity_;
  }

  // The tokens there are at `now_ms` (time never runs backwards here).
  double available(int64_t now_ms) {
    if (started_ && now_ms > at_ms_) {
      tokens_ = std::min(capacity_, tokens_ + static_cast<double>(now_ms - at_ms_) * rate_per_ms_);
    }
    started_ = true;
    at_ms_ = std::max(at_ms_, now_ms);
    return tokens_;
  }
  // May overdraw: the next taker then waits until the debt is paid.
  void take(double n) { tokens_ -= n; }

  // When `wanted` tokens will be there (at least 1 ms from now).
  int64_t due_ms(int64_t now_ms, double wanted) const {
    if (rate_per_ms_ <= 0) return now_ms + 1;
    const double ms = std::ceil((wanted - tokens_) / rate_per_ms_);
    return now_ms + std::max<int64_t>(1, static_cast<int64_t>(ms));
  }

  // Room snapshots (snapshot_codec.hpp) copy the state exactly.
  friend struct SnapshotCodec;

 private:
  double rate_per_ms_ = 0;
  double capacity_ = 0;
  double tokens_ = 0;
  int64_t at_ms_ = 0;
  bool started_ = false;
};

}  // namespace chat
