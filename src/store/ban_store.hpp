// Bans kept in SQLite, so that they survive a restart (beyond the original,
// whose bans live in memory). Loaded once at start-up; changes are written
// on a worker thread, batched in one transaction per batch, never on the
// room's thread.
#pragma once

#include <condition_variable>
#include <cstdint>
#include <memory>
#include <mutex>
#include <optional>
#include <string>
#include <thread>
#include <utility>
#include <vector>

#include "chat/output.hpp"

namespace SQLite {
class Database;
}

namespace store {

using chat::BanChange;

class BanStore {
 public:
  // Opens (or creates) the database file; throws std::runtime_error with the
  // reason when it cannot.
  explicit BanStore(const std::string& path);
  ~BanStore();

  // Every ban still in force at `now_ms` (expired ones are deleted).
  std::vector<std::pair<std::string, int64_t>> load(int64_t now_ms);
  // Any thread: written soon, in order.
  void apply(std::vector<BanChange> changes);
  // Blocks until everything applied so far is written (for tests).
  void flush();

 private:
  void run();
  void write(const std::vector<BanChange>& changes);

  std::unique_ptr<SQLite::Database> db_;
  std::mutex mutex_;
  std::condition_variable cv_;
  std::vector<BanChange> pending_;
  size_t queued_ = 0, written_ = 0;  // changes handed over and written
  bool stopping_ = false;
  std::thread thread_;
};

}  // namespace store
