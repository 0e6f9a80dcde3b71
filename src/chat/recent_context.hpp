// The last lines said in each conversation, kept in memory for the reports
// sent to the website (webhooks.md §2.2): a report about a DM or an
// automatic report from a message filter carries what was said just before.
//
// A conversation is a public channel (its id) or a DM pair (dm_key). At most
// kLines lines are kept per conversation, each cut to kLineBytes, and at
// most kMaxBytes in all: past that, the conversations written to least
// recently are forgotten, so a user sending huge messages to thousands of
// names cannot grow it without bound.
#pragma once

#include <cstddef>
#include <cstdint>
#include <deque>
#include <list>
#include <string>
#include <string_view>
#include <unordered_map>

namespace chat {

class RecentContext {
 public:
  static constexpr size_t kLines = 30;
  static constexpr size_t kLineBytes = 4096;
  static constexpr size_t kMaxBytes = 32 << 20;

  // `@a:b` with the two names in byte order.
  static std::string dm_key(std::string_view a, std::string_view b);

  // Adds `YYYY-MM-DD HH:MM:SS [username] text` (local time, text trimmed).
  void add(const std::string& key, int64_t unix_seconds, std::string_view username,
           std::string_view text);
  // The lines joined by blank lines, or a sentence saying there are none.
  std::string text(const std::string& key) const;
  size_t conversations() const { return lines_.size(); }
  size_t bytes() const { return bytes_; }

  // Room snapshots (snapshot_codec.hpp) copy the state exactly.
  friend struct SnapshotCodec;

 private:
  // The time is formatted only when a report asks: most lines never are.
  struct Line {
    int64_t at;        // Unix seconds
    std::string text;  // `[username] text`
  };
  struct Conversation {
    std::deque<Line> lines;
    std::list<std::string>::iterator age;  // its place in recent_
  };
  std::unordered_map<std::string, Conversation> lines_;
  std::list<std::string> recent_;  // keys, most recently written first
  size_t bytes_ = 0;               // of the lines and keys

  void forget_oldest();
};

}  // namespace chat
