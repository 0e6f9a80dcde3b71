// Bans kept in SQLite, so that they survive a restart (beyond the original,
// whose bans live in memory). Loaded once at start-up; changes are written
// on a worker thread, batched in one transaction per batch, never on the
// room's thread.
#pragma once

#include <cstdint>
#include <memory>
#include <optional>
#include <string>
#include <utility>
#include <vector>

#include "chat/output.hpp"
#include "util/batch_worker.hpp"

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
  void write(const std::vector<BanChange>& changes);

  std::unique_ptr<SQLite::Database> db_;
  util::BatchWorker<BanChange> worker_{
      [this](const auto& batch) { write(batch); }};  // last: first to go
};

}  // namespace store
