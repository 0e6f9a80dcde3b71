// DM history in SQLite (history.md): the original's table, so that an
// existing database keeps working. Every statement runs on one worker thread
// with its own connection, in the order it was asked for: a page read right
// after a DM was sent sees it. Consecutive writes share one transaction.
// What is older than the retention is deleted at start-up and then daily.
// Nothing here runs on the room's or an I/O thread; callbacks run on the
// worker and must not block.
#pragma once

#include <cstdint>
#include <functional>
#include <memory>
#include <string>
#include <vector>

#include "util/batch_worker.hpp"

namespace SQLite {
class Database;
class Statement;
}  // namespace SQLite

namespace store {

struct StoredMessage {
  int64_t msg_id = 0;
  std::string username;  // the sender
  std::string html;      // as delivered
  int64_t at = 0;        // Unix seconds
};

struct HistoryPage {
  std::string error;                    // SQL trouble; empty on success
  std::vector<StoredMessage> messages;  // newest first
  int64_t remaining = 0;                // older than the oldest returned
};

struct PartnerPage {
  std::string error;
  std::vector<std::string> usernames;
  int64_t count = 0;  // threads in all
};

class HistoryStore {
 public:
  static constexpr int64_t kPageSize = 20;
  static constexpr int64_t kPartnersPerPage = 9;

  // Opens (or creates) the database and deletes what is older than the
  // retention (0: keep all); throws std::runtime_error with the reason.
  HistoryStore(const std::string& path, int64_t retention_days, int64_t now_s);
  ~HistoryStore();

  // `@a:@b`, the two names in byte order: the original's thread id.
  static std::string thread_id(std::string_view a, std::string_view b);
  // The highest message id stored (0 when none): ids go on from above it.
  int64_t max_message_id() const { return max_id_; }

  // Writes.
  void store(int64_t msg_id, std::string thread, std::string sender, std::string html, int64_t at);
  // Deletes one message; `owner` empty: whoever sent it (an operator).
  // `done(deleted)` says whether a row went.
  void take_back(int64_t msg_id, std::string owner, std::function<void(bool)> done = {});
  // Deletes every message of every thread `user` took part in.
  void clear(std::string user, std::function<void(int64_t erased, std::string error)> done);

  // Reads. before_id 0: the newest page.
  void page(std::string me, std::string other, int64_t before_id,
            std::function<void(HistoryPage)> done);
  void partners(std::string me, std::string sort, int64_t page,
                std::function<void(PartnerPage)> done);

  // Blocks until everything asked so far has run (for tests and shutdown).
  void flush();

 private:
  using Job = std::function<void(SQLite::Database&)>;
  struct Queued {
    Job job;
    bool write;
  };
  void post(Job job, bool write) { worker_.add({{std::move(job), write}}); }
  void run(const std::vector<Queued>& batch);
  void purge_now(SQLite::Database& db, int64_t now_s);
  void purge_daily();

  std::unique_ptr<SQLite::Database> db_;
  std::unique_ptr<SQLite::Statement> insert_;  // prepared once, on the worker
  int64_t retention_days_;
  int64_t max_id_ = 0;
  // Last: stopped (what is queued run) before the database closes.
  util::BatchWorker<Queued> worker_{
      [this](const std::vector<Queued>& batch) { run(batch); },
      util::BatchWorker<Queued>::Periodic{std::chrono::hours(24), [this] { purge_daily(); }}};
};

}  // namespace store
