#include "app/poll_session.hpp"

#include <algorithm>

namespace app {

PollSession::PollSession(chat::ConnId conn, std::string id, size_t max_bytes, int64_t now_ms)
    : conn_(conn), id_(std::move(id)), max_bytes_(max_bytes), last_poll_ms_(now_ms) {}

bool PollSession::enqueue(protocol::Frame frame, bool snapshot) {
  std::lock_guard lock(mutex_);
  if (closed_) return true;  // signed off: nothing more is wanted
  if (snapshot) {
    auto old =
        std::find_if(queue_.begin(), queue_.end(), [](const Entry& e) { return e.snapshot; });
    if (old != queue_.end()) {
      old->frame = std::move(frame);
      return true;
    }
  }
  const size_t size = frame.payload().size();
  if (queue_.size() >= kMaxFrames || (!snapshot && bytes_ + size > max_bytes_ && bytes_ > 0)) {
    queue_.clear();
    bytes_ = 0;
    closed_ = true;
    return false;
  }
  if (!snapshot) bytes_ += size;
  queue_.push_back({std::move(frame), snapshot});
  return true;
}

void PollSession::close() {
  std::lock_guard lock(mutex_);
  closed_ = true;
}

bool PollSession::closed() const {
  std::lock_guard lock(mutex_);
  return closed_;
}

std::vector<protocol::Frame> PollSession::drain() {
  std::vector<Entry> taken;
  {
    std::lock_guard lock(mutex_);
    taken.swap(queue_);
    bytes_ = 0;
  }
  std::vector<protocol::Frame> frames;
  frames.reserve(taken.size());
  for (auto& e : taken) frames.push_back(std::move(e.frame));
  return frames;
}

}  // namespace app
