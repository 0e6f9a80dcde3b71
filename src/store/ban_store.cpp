#include "store/ban_store.hpp"

#include <SQLiteCpp/SQLiteCpp.h>
#include <spdlog/spdlog.h>

#include <stdexcept>

#include "store/database.hpp"

namespace store {

BanStore::BanStore(const std::string& path) {
  try {
    db_ = open_database(path);
    db_->exec(
        "CREATE TABLE IF NOT EXISTS bans ("
        " username TEXT PRIMARY KEY NOT NULL,"
        " until_ms INTEGER NOT NULL)");
  } catch (const SQLite::Exception& e) {
    throw std::runtime_error("cannot open the database " + path + ": " + e.what());
  }
}

BanStore::~BanStore() = default;

std::vector<std::pair<std::string, int64_t>> BanStore::load(int64_t now_ms) {
  std::vector<std::pair<std::string, int64_t>> out;
  SQLite::Statement expired(*db_, "DELETE FROM bans WHERE until_ms <= ?");
  expired.bind(1, static_cast<int64_t>(now_ms));
  expired.exec();
  SQLite::Statement q(*db_, "SELECT username, until_ms FROM bans");
  while (q.executeStep()) out.emplace_back(q.getColumn(0).getString(), q.getColumn(1).getInt64());
  return out;
}

void BanStore::apply(std::vector<BanChange> changes) {
  worker_.add(std::move(changes));
}

void BanStore::flush() {
  worker_.flush();
}

// A failed write is logged: the ban still holds in memory until a restart.
void BanStore::write(const std::vector<BanChange>& changes) {
  try {
    SQLite::Transaction tx(*db_);
    SQLite::Statement upsert(*db_,
                             "INSERT OR REPLACE INTO bans (username, until_ms) VALUES (?, ?)");
    SQLite::Statement remove(*db_, "DELETE FROM bans WHERE username = ?");
    for (const auto& c : changes) {
      auto& s = c.until_ms ? upsert : remove;
      s.bind(1, c.username);
      if (c.until_ms) s.bind(2, static_cast<int64_t>(*c.until_ms));
      s.exec();
      s.reset();
    }
    tx.commit();
  } catch (const SQLite::Exception& e) {
    spdlog::error("could not save {} ban change(s) to the database: {}", changes.size(), e.what());
  }
}

}  // namespace store
