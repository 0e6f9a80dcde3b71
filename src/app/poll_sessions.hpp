// The polling API's sessions by their secret ID (polling.md §2). A session
// is created by a login request and ends when its login fails, when the
// room signs it off, or when it has not polled for the idle timeout.
#pragma once

#include <memory>
#include <mutex>
#include <string>
#include <unordered_map>
#include <vector>

#include "app/poll_session.hpp"

namespace app {

class PollSessions {
 public:
  // Each session is a user in the room, held without a socket: a bound on
  // what a flood of logins can cost.
  static constexpr size_t kMaxSessions = 10'000;

  // A new session with a fresh connection ID and a random session ID;
  // nullptr when there are kMaxSessions already.
  std::shared_ptr<PollSession> create(size_t max_bytes, int64_t now_ms);
  std::shared_ptr<PollSession> find(const std::string& id) const;
  // Whether it was still there (each session ends once).
  bool remove(const std::string& id);
  // Removes and returns the sessions last polled before `before_ms`.
  std::vector<std::shared_ptr<PollSession>> take_idle(int64_t before_ms);
  size_t size() const;

 private:
  mutable std::mutex mutex_;
  std::unordered_map<std::string, std::shared_ptr<PollSession>> by_id_;
};

}  // namespace app
