#include "chat/ban_list.hpp"

#include <limits>

namespace chat {
namespace {

constexpr int64_t kMsPerHour = 3'600'000;

// now + hours, saturated: "/ban name 99999999999999" must not overflow.
int64_t add_hours(int64_t now_ms, int64_t hours) {
  constexpr int64_t kMax = std::numeric_limits<int64_t>::max();
  constexpr int64_t kMin = std::numeric_limits<int64_t>::min();
  if (hours > 0 && hours > (kMax - now_ms) / kMsPerHour) return kMax;
  if (hours < 0 && hours < (kMin + now_ms) / kMsPerHour) return kMin;
  return now_ms + hours * kMsPerHour;
}

}  // namespace

int64_t BanList::ban(const std::string& username, int64_t hours, int64_t now_ms) {
  return until_ms_[username] = add_hours(now_ms, hours);
}

bool BanList::unban(std::string_view username) {
  auto it = until_ms_.find(username);
  if (it == until_ms_.end()) return false;
  until_ms_.erase(it);
  return true;
}

std::optional<int64_t> BanList::remaining_ms(std::string_view username, int64_t now_ms) {
  auto it = until_ms_.find(username);
  if (it == until_ms_.end()) return std::nullopt;
  if (it->second <= now_ms) {
    until_ms_.erase(it);
    return std::nullopt;
  }
  return it->second - now_ms;
}

}  // namespace chat
