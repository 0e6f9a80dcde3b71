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
  if (bytes_ > 0 && bytes_ + size > byte_cap_) return Push::kOverflow;
  if (snapshot) snapshot_at_ = queue_.size();
  queue_.push_back({std::move(frame), snapshot});
  bytes_ += size;
  if (flushing_) return Push::kQueued;
  flushing_ = true;
  return Push::kNeedsFlush;
}

const std::vector<protocol::Frame>& Outbox::take(size_t max) {
  std::lock_guard lock(mutex_);
  in_flight_.clear();
  while (head_ < queue_.size() && in_flight_.size() < max) {
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

void Outbox::release() {
  std::lock_guard lock(mutex_);
  for (const auto& f : in_flight_) bytes_ -= f.wire_size();
  in_flight_.clear();
  if (in_flight_.capacity() > 64) in_flight_.shrink_to_fit();
}

size_t Outbox::queued_bytes() const {
  std::lock_guard lock(mutex_);
  return bytes_;
}

}  // namespace net
