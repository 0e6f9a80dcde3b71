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

std::string go_duration(int64_t ms) {
  if (ms == 0) return "0s";
  std::string out;
  if (ms < 0) {
    out += '-';
    ms = ms == std::numeric_limits<int64_t>::min() ? std::numeric_limits<int64_t>::max() : -ms;
  }
  if (ms < 1000) return out + std::to_string(ms) + "ms";
  const int64_t hours = ms / kMsPerHour;
  const int64_t minutes = ms / 60'000 % 60;
  const int64_t seconds = ms / 1000 % 60;
  const int64_t millis = ms % 1000;
  if (hours) out += std::to_string(hours) + "h";
  if (hours || minutes) out += std::to_string(minutes) + "m";
  out += std::to_string(seconds);
  if (millis) {
    std::string frac = std::to_string(millis + 1000).substr(1);  // three digits
    while (frac.back() == '0') frac.pop_back();
    out += "." + frac;
  }
  return out + "s";
}

}  // namespace chat
