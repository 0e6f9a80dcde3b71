#include "protocol/buffer_pool.hpp"

namespace protocol {

std::string BufferPool::take() {
  std::lock_guard lock(mutex_);
  if (free_.empty()) return {};
  std::string s = std::move(free_.back());
  free_.pop_back();
  bytes_ -= s.capacity();
  s.clear();
  return s;
}

void BufferPool::give(std::string&& s) {
  const size_t size = s.capacity();
  std::string dropped;  // freed outside the lock
  std::lock_guard lock(mutex_);
  if (bytes_ + size > max_bytes_) {
    dropped = std::move(s);
    return;
  }
  bytes_ += size;
  free_.push_back(std::move(s));
}

void BufferPool::clear() {
  std::vector<std::string> gone;
  {
    std::lock_guard lock(mutex_);
    gone.swap(free_);
    bytes_ = 0;
  }
}

size_t BufferPool::bytes() const {
  std::lock_guard lock(mutex_);
  return bytes_;
}

}  // namespace protocol
