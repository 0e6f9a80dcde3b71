// One client of the polling API (polling.md): the connection the room knows
// it by, its secret session ID, and the frames waiting for its next request.
// Who lists replace an unsent older list, as in a WebSocket outbox, so a
// client polling every few seconds gets the latest list, not every list.
//
// Threading: the room runner enqueues and closes; HTTP threads drain.
#pragma once

#include <atomic>
#include <cstdint>
#include <mutex>
#include <string>
#include <vector>

#include "chat/event.hpp"
#include "protocol/frame.hpp"

namespace app {

class PollSession {
 public:
  // The original keeps 32 frames; a client polling every 5 s in a busy room
  // needs more (polling.md §2.3).
  static constexpr size_t kMaxFrames = 256;

  PollSession(chat::ConnId conn, std::string id, size_t max_bytes, int64_t now_ms);

  chat::ConnId conn() const { return conn_; }
  const std::string& id() const { return id_; }

  // False when the frame does not fit: the client is too slow, the session
  // is closed and what it had queued is dropped.
  bool enqueue(protocol::Frame frame, bool snapshot);
  // The room signed the connection off (a kick, a failed login): what is
  // queued stays for one last answer.
  void close();
  bool closed() const;
  // Everything queued, oldest first.
  std::vector<protocol::Frame> drain();

  // Times are of the steady clock, in ms.
  void touch(int64_t now_ms) { last_poll_ms_ = now_ms; }
  int64_t last_poll_ms() const { return last_poll_ms_; }

 private:
  struct Entry {
    protocol::Frame frame;
    bool snapshot;
  };

  const chat::ConnId conn_;
  const std::string id_;
  const size_t max_bytes_;
  std::atomic<int64_t> last_poll_ms_;

  mutable std::mutex mutex_;
  std::vector<Entry> queue_;
  size_t bytes_ = 0;  // of the queued frames that are not snapshots
  bool closed_ = false;
};

}  // namespace app
