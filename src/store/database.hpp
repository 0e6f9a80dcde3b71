// Opening the SQLite file that bans and DM history share: created when
// missing, WAL so that readers never wait for the writer, a busy timeout for
// the moments two connections write at once.
#pragma once

#include <memory>
#include <string>

namespace SQLite {
class Database;
}

namespace store {

// Throws SQLite::Exception.
std::unique_ptr<SQLite::Database> open_database(const std::string& path);

}  // namespace store
