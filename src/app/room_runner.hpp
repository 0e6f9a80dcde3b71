// Runs the chat::Room on its own thread. Events from every connection and API
// call are queued in arrival order; the runner applies them in batches, then
// hands each batch's frames to the connections' outboxes (one registry lock
// per batch) and asks each I/O loop once to flush the connections it touched.
#pragma once

#include <chrono>
#include <condition_variable>
#include <functional>
#include <memory>
#include <mutex>
#include <thread>
#include <unordered_map>
#include <vector>

#include "app/poll_session.hpp"
#include "app/room_counters.hpp"
#include "chat/room.hpp"
#include "config/store.hpp"
#include "media/picture_worker.hpp"
#include "net/ws_session.hpp"
#include "store/ban_store.hpp"
#include "store/chat_log_writer.hpp"
#include "store/history_store.hpp"

namespace app {

struct QueuedEvent {
  chat::EventBody body;
  std::shared_ptr<net::WsSession> from;       // credited back once processed
  std::function<void(std::string)> on_reply;  // for queries
};

class RoomRunner {
 public:
  // What the room asks of the server; called on the runner's thread.
  struct Hooks {
    // The room has told everybody it is going down (`/shutdown`, `/api/shutdown`).
    std::function<void()> shutdown;
    // An operator asked for settings.toml to be read again: answer with a
    // ReloadDone event.
    std::function<void(chat::ConnId)> reload;
    // A report for the website's report webhook; a user's own report is
    // answered with a ReportSent event.
    std::function<void(chat::Report)> report;
  };
  RoomRunner(const config::SettingsStore& settings, chat::RoomOptions options, Hooks hooks = {});
  ~RoomRunner();

  // Before start(): the room gets the bans saved there, and saves its
  // changes there.
  void use_ban_store(store::BanStore& bans, int64_t now_ms);
  // Before start(): DMs are kept there, and takebacks delete them.
  void use_history_store(store::HistoryStore& history);
  // Before start(): [Logging] lines are appended there.
  void use_chat_logs(store::ChatLogWriter& logs) { chat_logs_ = &logs; }
  // Before start(): pictures are processed there.
  void use_pictures(media::PictureWorker& pictures) { pictures_ = &pictures; }
  void start();
  void stop();
  void post(QueuedEvent e);

  void add_session(const std::shared_ptr<net::WsSession>& s);
  void remove_session(uint64_t id);
  // Polling clients (their frames wait in the session for the next poll).
  void add_poll(const std::shared_ptr<PollSession>& s);
  void remove_poll(chat::ConnId id);

  const RoomCounters& counters() const { return counters_; }

 private:
  void loop();
  void apply(std::vector<QueuedEvent>& batch);
  void dispatch(chat::Output& out);
  void deliver(chat::Output& out);
  void write_history(chat::Output& out);
  void return_memory();

  const config::SettingsStore& settings_;
  chat::Room room_;
  Hooks hooks_;
  store::BanStore* ban_store_ = nullptr;
  store::HistoryStore* history_ = nullptr;
  store::ChatLogWriter* chat_logs_ = nullptr;
  media::PictureWorker* pictures_ = nullptr;
  std::shared_ptr<const config::Settings> room_settings_;

  std::mutex queue_mutex_;
  std::condition_variable queue_cv_;
  std::vector<QueuedEvent> queue_;
  bool stopping_ = false;
  std::thread thread_;

  std::mutex sessions_mutex_;
  std::unordered_map<uint64_t, std::shared_ptr<net::WsSession>> sessions_;
  std::unordered_map<chat::ConnId, std::shared_ptr<PollSession>> polls_;

  RoomCounters counters_;

  // Runner thread only.
  std::chrono::steady_clock::time_point wake_ = std::chrono::steady_clock::time_point::max();
  chat::RequestId next_request_ = 1;
  bool busy_ = false;  // events came in since the last second
  int quiet_seconds_ = 0;
  std::unordered_map<chat::RequestId, std::function<void(std::string)>> replies_;
};

int64_t unix_ms();

}  // namespace app
