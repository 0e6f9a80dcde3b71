// Posts JSON to the website's webhooks from a worker thread of its own, with
// libcurl's multi interface: many posts run at once, none of them on the
// room's or an I/O thread, so an endpoint that hangs costs only its own
// caller a wait of up to the timeout.
//
// Thread-safe: post() may be called from any thread. `done` is called
// exactly once per post (unless the client is stopped first), on the worker
// thread, or at once on the caller's thread when too many posts are waiting;
// it must not block.
#pragma once

#include <chrono>
#include <condition_variable>
#include <cstddef>
#include <cstdint>
#include <functional>
#include <memory>
#include <mutex>
#include <string>
#include <thread>
#include <vector>

namespace hooks {

struct WebhookResponse {
  long status = 0;   // the final HTTP status, 0 when there was none
  std::string body;  // as much as was received, up to the cap
  // Why the exchange failed (empty when a response came), for the user: it
  // does not name the URL, which may hold a secret; `detail` does, for the log.
  std::string error;
  std::string detail;
  bool ok() const { return error.empty() && status == 200; }
  // The text the original gives for a failed post (webhooks.md §1).
  std::string failure() const;
};

class WebhookClient {
 public:
  struct Options {
    std::chrono::milliseconds timeout{10'000};  // connect, send and answer, redirects included
    size_t max_response_bytes = 1 << 20;        // a larger answer fails
    size_t max_in_flight = 64;                  // posts past this wait their turn
    size_t max_queued = 1000;                   // posts past this fail at once
  };
  using Done = std::function<void(WebhookResponse)>;
  // Builds the body on the worker, so that encoding a big one costs the
  // caller (the room's thread) nothing.
  using BodyMaker = std::function<std::string()>;
  // kIgnore: only the status matters; of the answer's body only the first
  // kIgnoredAnswerKept bytes are kept (for the log), so a large one is no failure.
  enum class Answer : uint8_t { kRead, kIgnore };
  static constexpr size_t kIgnoredAnswerKept = 300;

  WebhookClient();
  explicit WebhookClient(Options options);
  ~WebhookClient();
  WebhookClient(const WebhookClient&) = delete;
  WebhookClient& operator=(const WebhookClient&) = delete;

  void post(std::string url, BodyMaker body, Done done, Answer answer = Answer::kRead);
  void post(std::string url, std::string body, Done done, Answer answer = Answer::kRead);
  // Stops the worker; posts not finished are dropped without a call.
  void stop();

  // One post on its way (defined in the .cpp; public for curl's callbacks).
  struct Transfer;

 private:
  void run();
  void start_waiting(std::vector<std::unique_ptr<Transfer>>& incoming);
  bool start(Transfer& t);
  void finish(std::unique_ptr<Transfer> t, int curl_code);
  void finish_done();

  Options options_;
  void* multi_ = nullptr;  // CURLM*, touched by the worker only (and curl_multi_wakeup)
  std::mutex mutex_;
  std::vector<std::unique_ptr<Transfer>> incoming_;  // guarded by mutex_
  size_t queued_ = 0;                                // incoming_ + waiting_, guarded by mutex_
  bool stopping_ = false;                            // guarded by mutex_
  std::vector<std::unique_ptr<Transfer>> waiting_;   // worker only: for a free slot
  std::vector<std::unique_ptr<Transfer>> running_;   // worker only
  std::thread worker_;
};

}  // namespace hooks
