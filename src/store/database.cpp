#include "store/database.hpp"

#include <SQLiteCpp/SQLiteCpp.h>

namespace store {

std::unique_ptr<SQLite::Database> open_database(const std::string& path) {
  // OPEN_URI: the setting is a DSN for the original's driver, so
  // `file:...?...` names work too.
  auto db = std::make_unique<SQLite::Database>(
      path, SQLite::OPEN_READWRITE | SQLite::OPEN_CREATE | SQLite::OPEN_URI);
  db->exec("PRAGMA journal_mode=WAL");
  db->setBusyTimeout(5000);
  return db;
}

}  // namespace store
