#include "store/history_store.hpp"

#include <SQLiteCpp/SQLiteCpp.h>
#include <spdlog/spdlog.h>

#include <algorithm>
#include <chrono>
#include <limits>
#include <stdexcept>

#include "store/database.hpp"

#include "util/local_time.hpp"

namespace store {
namespace {

// The two names of a thread id `@a:@b`, as SQL expressions. The original's
// format cannot tell names apart when one holds ":@"; the first ":@" splits.
constexpr const char* kFirst = "substr(channel_id, 2, instr(channel_id, ':@') - 2)";
constexpr const char* kSecond = "substr(channel_id, instr(channel_id, ':@') + 2)";

int64_t unix_now() {
  using namespace std::chrono;
  return duration_cast<seconds>(system_clock::now().time_since_epoch()).count();
}

std::string sql(std::initializer_list<std::string_view> parts) {
  std::string out;
  for (auto p : parts) out += p;
  return out;
}

void create_schema(SQLite::Database& db) {
  db.exec(
      "CREATE TABLE IF NOT EXISTS direct_messages ("
      " message_id INTEGER PRIMARY KEY,"
      " channel_id TEXT,"
      " username TEXT,"
      " message TEXT,"
      " timestamp INTEGER)");
  db.exec(
      "CREATE INDEX IF NOT EXISTS idx_direct_messages_channel_id ON direct_messages(channel_id)");
  db.exec("CREATE INDEX IF NOT EXISTS idx_direct_messages_username ON direct_messages(username)");
  db.exec("CREATE INDEX IF NOT EXISTS idx_direct_messages_timestamp ON direct_messages(timestamp)");
  // Ours: find a user's threads by exact name, whichever side of the id it
  // is on (the original matched LIKE patterns, wildcards and case included).
  // With the thread and the time in them, the partner list reads only these.
  db.exec(sql({"CREATE INDEX IF NOT EXISTS barertc_dm_first ON direct_messages(", kFirst,
               ", channel_id, timestamp)"}));
  db.exec(sql({"CREATE INDEX IF NOT EXISTS barertc_dm_second ON direct_messages(", kSecond,
               ", channel_id, timestamp)"}));
}

}  // namespace

std::string HistoryStore::thread_id(std::string_view a, std::string_view b) {
  if (b < a) std::swap(a, b);
  std::string id;
  id.reserve(a.size() + b.size() + 3);
  id.append("@").append(a).append(":@").append(b);
  return id;
}

HistoryStore::HistoryStore(const std::string& path, int64_t retention_days, int64_t now_s)
    : retention_days_(retention_days) {
  try {
    db_ = open_database(path);
    create_schema(*db_);
    purge_now(*db_, now_s);
    max_id_ =
        db_->execAndGet("SELECT COALESCE(MAX(message_id), 0) FROM direct_messages").getInt64();
  } catch (const SQLite::Exception& e) {
    throw std::runtime_error("cannot open the DM history database " + path + ": " + e.what());
  }
}

HistoryStore::~HistoryStore() = default;

void HistoryStore::flush() {
  worker_.flush();
}

// The original purged only at start-up; a server that runs for months
// would keep everything.
void HistoryStore::purge_daily() {
  try {
    purge_now(*db_, unix_now());
  } catch (const std::exception& e) {
    spdlog::error("DM history: deleting old messages: {}", e.what());
  }
}

// Runs a batch in order; consecutive writes share one transaction, so a
// burst of DMs costs one commit.
void HistoryStore::run(const std::vector<Queued>& batch) {
  for (size_t i = 0; i < batch.size();) {
    size_t end = i + 1;
    while (end < batch.size() && batch[i].write && batch[end].write) ++end;
    try {
      if (batch[i].write) {
        SQLite::Transaction tx(*db_);
        for (size_t k = i; k < end; ++k) batch[k].job(*db_);
        tx.commit();
      } else {
        batch[i].job(*db_);
      }
    } catch (const std::exception& e) {
      // A full disk, an unwritable file: the DMs were delivered all the same.
      if (batch[i].write) {
        spdlog::error("DM history: {} change(s) not saved: {}", end - i, e.what());
      } else {
        spdlog::error("DM history: {}", e.what());
      }
    }
    i = end;
  }
}

void HistoryStore::store(int64_t msg_id, std::string thread, std::string sender, std::string html,
                         int64_t at) {
  post(
      [=, this, thread = std::move(thread), sender = std::move(sender),
       html = std::move(html)](SQLite::Database& db) {
        if (!insert_) {
          insert_ = std::make_unique<SQLite::Statement>(
              db,
              "INSERT OR REPLACE INTO direct_messages (message_id, channel_id, username, message, "
              "timestamp) VALUES (?, ?, ?, ?, ?)");
        }
        auto& q = *insert_;
        q.reset();
        q.bind(1, static_cast<int64_t>(msg_id));
        q.bind(2, thread);
        q.bind(3, sender);
        q.bind(4, html);
        q.bind(5, static_cast<int64_t>(at));
        try {
          q.exec();
        } catch (const SQLite::Exception& e) {  // the DM was delivered all the same
          spdlog::error("DM history: could not store message {}: {}", msg_id, e.what());
        }
      },
      true);
}

void HistoryStore::take_back(int64_t msg_id, std::string owner, std::function<void(bool)> done) {
  post(
      [=, owner = std::move(owner), done = std::move(done)](SQLite::Database& db) {
        SQLite::Statement q(db, owner.empty()
                                    ? "DELETE FROM direct_messages WHERE message_id = ?"
                                    : "DELETE FROM direct_messages WHERE message_id = ? AND "
                                      "username = ?");
        q.bind(1, static_cast<int64_t>(msg_id));
        if (!owner.empty()) q.bind(2, owner);
        bool deleted = false;
        try {
          deleted = q.exec() > 0;
        } catch (const SQLite::Exception& e) {
          spdlog::error("DM history: could not delete message {}: {}", msg_id, e.what());
        }
        if (done) done(deleted);
      },
      true);
}

void HistoryStore::clear(std::string user,
                         std::function<void(int64_t erased, std::string error)> done) {
  post(
      [user = std::move(user), done = std::move(done)](SQLite::Database& db) {
        try {
          SQLite::Statement q(db, sql({"DELETE FROM direct_messages WHERE ", kFirst, " = ?1 OR ",
                                       kSecond, " = ?1 OR username = ?1"}));
          q.bind(1, user);
          done(q.exec(), {});
        } catch (const SQLite::Exception& e) {
          done(0, e.what());
        }
      },
      false);  // its own transaction: an error answers only this call
}

void HistoryStore::purge_now(SQLite::Database& db, int64_t now_s) {
  if (retention_days_ <= 0) return;
  const int64_t cutoff = now_s - retention_days_ * 86400;
  SQLite::Statement q(db, "DELETE FROM direct_messages WHERE timestamp < ?");
  q.bind(1, static_cast<int64_t>(cutoff));
  const int erased = q.exec();
  spdlog::info("Deleting old DM history past {} days (cutoff: {}): {} deleted", retention_days_,
               util::rfc3339_local(cutoff), erased);
}

void HistoryStore::page(std::string me, std::string other, int64_t before_id,
                        std::function<void(HistoryPage)> done) {
  post(
      [=, me = std::move(me), other = std::move(other),
       done = std::move(done)](SQLite::Database& db) {
        HistoryPage out;
        try {
          const auto thread = thread_id(me, other);
          const int64_t before = before_id > 0 ? before_id : std::numeric_limits<int64_t>::max();
          SQLite::Statement q(db,
                              "SELECT message_id, username, message, timestamp FROM "
                              "direct_messages WHERE channel_id = ? AND message_id < ? ORDER BY "
                              "message_id DESC LIMIT ?");
          q.bind(1, thread);
          q.bind(2, static_cast<int64_t>(before));
          q.bind(3, static_cast<int64_t>(kPageSize));
          while (q.executeStep()) {
            out.messages.push_back({q.getColumn(0).getInt64(), q.getColumn(1).getString(),
                                    q.getColumn(2).getString(), q.getColumn(3).getInt64()});
          }
          if (!out.messages.empty()) {
            SQLite::Statement n(db,
                                "SELECT COUNT(*) FROM direct_messages WHERE channel_id = ? AND "
                                "message_id < ?");
            n.bind(1, thread);
            n.bind(2, static_cast<int64_t>(out.messages.back().msg_id));
            if (n.executeStep()) out.remaining = n.getColumn(0).getInt64();
          }
        } catch (const SQLite::Exception& e) {
          out = {.error = e.what()};
        }
        done(std::move(out));
      },
      false);
}

void HistoryStore::partners(std::string me, std::string sort, int64_t page,
                            std::function<void(PartnerPage)> done) {
  post(
      [=, me = std::move(me), sort = std::move(sort),
       done = std::move(done)](SQLite::Database& db) {
        PartnerPage out;
        try {
          // Each thread of mine once, with the other name and its times:
          // each side grouped in its index's order, then the two merged (a
          // thread with oneself is on both sides).
          const auto side = [](const char* me, const char* other) {
            return sql({"SELECT channel_id, ", other,
                        " AS other, MAX(timestamp) AS newest, MIN(timestamp) AS oldest,"
                        " MAX(message_id) AS last_id, MIN(message_id) AS first_id"
                        " FROM direct_messages WHERE ",
                        me, " = ?1 GROUP BY channel_id"});
          };
          const auto threads =
              sql({"SELECT other, MAX(newest) AS newest, MIN(oldest) AS oldest, MAX(last_id) AS "
                   "last_id, MIN(first_id) AS first_id FROM (",
                   side(kFirst, kSecond), " UNION ALL ", side(kSecond, kFirst),
                   ") GROUP BY channel_id"});
          const char* order = sort == "a-z"      ? "other ASC"
                              : sort == "z-a"    ? "other DESC"
                              : sort == "oldest" ? "oldest ASC, first_id ASC"
                                                 : "newest DESC, last_id DESC";
          SQLite::Statement q(db, "SELECT other, COUNT(*) OVER () FROM (" + threads +
                                      ") ORDER BY " + order + " LIMIT ?2 OFFSET ?3");
          q.bind(1, me);
          q.bind(2, static_cast<int64_t>(kPartnersPerPage));
          const int64_t p =
              std::clamp<int64_t>(page, 1, std::numeric_limits<int64_t>::max() / kPartnersPerPage);
          q.bind(3, static_cast<int64_t>((p - 1) * kPartnersPerPage));
          while (q.executeStep()) {
            out.usernames.push_back(q.getColumn(0).getString());
            out.count = q.getColumn(1).getInt64();
          }
          if (out.usernames.empty() && p > 1) {  // past the last page: count apart
            SQLite::Statement n(db, "SELECT COUNT(*) FROM (" + threads + ")");
            n.bind(1, me);
            if (n.executeStep()) out.count = n.getColumn(0).getInt64();
          }
        } catch (const SQLite::Exception& e) {
          out = {.error = e.what()};
        }
        done(std::move(out));
      },
      false);
}

}  // namespace store
