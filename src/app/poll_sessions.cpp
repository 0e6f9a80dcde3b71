#include "app/poll_sessions.hpp"

#include "net/connection_id.hpp"
#include "util/uuid.hpp"

namespace app {

std::shared_ptr<PollSession> PollSessions::create(size_t max_bytes, int64_t now_ms) {
  auto s =
      std::make_shared<PollSession>(net::next_connection_id(), util::uuid_v4(), max_bytes, now_ms);
  std::lock_guard lock(mutex_);
  if (by_id_.size() >= kMaxSessions) return nullptr;
  by_id_[s->id()] = s;
  return s;
}

std::shared_ptr<PollSession> PollSessions::find(const std::string& id) const {
  std::lock_guard lock(mutex_);
  auto it = by_id_.find(id);
  return it == by_id_.end() ? nullptr : it->second;
}

bool PollSessions::remove(const std::string& id) {
  std::lock_guard lock(mutex_);
  return by_id_.erase(id) > 0;
}

std::vector<std::shared_ptr<PollSession>> PollSessions::take_idle(int64_t before_ms) {
  std::vector<std::shared_ptr<PollSession>> idle;
  std::lock_guard lock(mutex_);
  for (auto it = by_id_.begin(); it != by_id_.end();) {
    if (it->second->last_poll_ms() < before_ms) {
      idle.push_back(std::move(it->second));
      it = by_id_.erase(it);
    } else {
      ++it;
    }
  }
  return idle;
}

size_t PollSessions::size() const {
  std::lock_guard lock(mutex_);
  return by_id_.size();
}

}  // namespace app
