// Temporary bans by username (chat.md §10), checked at login. Expired entries
// are dropped when they are checked, and listed until then.
#pragma once

#include <cstdint>
#include <map>
#include <optional>
#include <string>
#include <string_view>

namespace chat {

class BanList {
 public:
  // A ban of `hours` from now; 0 or less is already expired. Replaces any
  // earlier ban of that name. Returns its expiry (Unix ms).
  int64_t ban(const std::string& username, int64_t hours, int64_t now_ms);
  // A ban read back from the database.
  void restore(const std::string& username, int64_t until_ms) { until_ms_[username] = until_ms; }
  // Whether there was a ban (even expired) to lift.
  bool unban(std::string_view username);
  // Milliseconds left of a ban in force; an expired one is dropped.
  std::optional<int64_t> remaining_ms(std::string_view username, int64_t now_ms);

  // Username -> expiry (Unix ms), sorted by name.
  const std::map<std::string, int64_t, std::less<>>& entries() const { return until_ms_; }

 private:
  std::map<std::string, int64_t, std::less<>> until_ms_;
};

}  // namespace chat
