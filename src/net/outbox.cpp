#include "net/outbox.hpp"

namespace net {

Outbox::Push Outbox::push(protocol::Frame frame, bool snapshot) {
  std::lock_guard lock(mutex_);
  const size_t size = frame.wire_size();
  if (snapshot && snapshot_at_ != SIZE_MAX) {
    auto& old = queue_[snapshot_at_].frame;
    bytes_ = bytes_ - old.wire_size() + size;
    old = std::move(frame);
    return Push::kQueued;  // it was queued, so a flush is pending
  }
  if (!snapshot && capped_bytes_ > 0 && capped_bytes_ + size > byte_cap_) return Push::kOverflow;
  if (snapshot) snapshot_at_ = queue_.size();
  queue_.push_back({std::move(frame), snapshot});
  bytes_ += size;
  if (!snapshot) capped_bytes_ += size;
  if (flushing_) return Push::kQueued;
  flushing_ = true;
  return Push::kNeedsFlush;
}

const std::vector<protocol::Frame>& Outbox::take(size_t max) {
  std::lock_guard lock(mutex_);
  release_in_flight();
  while (head_ < queue_.size() && in_flight_.size() < max) {
    if (queue_[head_].snapshot) in_flight_snapshot_ = in_flight_.size();
    in_flight_.push_back(std::move(queue_[head_].frame));
    if (head_ == snapshot_at_) snapshot_at_ = SIZE_MAX;
    ++head_;
  }
  if (head_ == queue_.size()) {
    queue_.clear();
    head_ = 0;
    if (queue_.capacity() > 64) queue_.shrink_to_fit();  // give back burst memory
  }
  if (in_flight_.empty()) flushing_ = false;
  return in_flight_;
}

void Outbox::release_in_flight() {
  for (size_t i = 0; i < in_flight_.size(); ++i) {
    const size_t size = in_flight_[i].wire_size();
    bytes_ -= size;
    if (i != in_flight_snapshot_) capped_bytes_ -= size;
  }
  in_flight_.clear();
  in_flight_snapshot_ = SIZE_MAX;
  if (in_flight_.capacity() > 64) in_flight_.shrink_to_fit();
}

bool Outbox::in_flight_snapshot(size_t i) const {
  std::lock_guard lock(mutex_);
  return i == in_flight_snapshot_;
}

size_t Outbox::queued_bytes() const {
  std::lock_guard lock(mutex_);
  return bytes_;
}

}  // namespace net
