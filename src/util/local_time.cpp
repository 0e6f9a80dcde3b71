#include "util/local_time.hpp"

#include <cstdio>
#include <ctime>

namespace util {
namespace {

std::tm local_tm(int64_t unix_seconds) {
  const std::time_t t = static_cast<std::time_t>(unix_seconds);
  std::tm tm{};
  localtime_r(&t, &tm);
  return tm;
}

std::string format(const std::tm& tm, const char* pattern) {
  char buf[64];
  const size_t n = std::strftime(buf, sizeof buf, pattern, &tm);
  return std::string(buf, n);
}

}  // namespace

std::string rfc3339_local(int64_t unix_seconds) {
  const auto tm = local_tm(unix_seconds);
  std::string out = format(tm, "%Y-%m-%dT%H:%M:%S");
  long off = tm.tm_gmtoff;
  if (off == 0) return out + "Z";
  const char sign = off < 0 ? '-' : '+';
  if (off < 0) off = -off;
  char buf[40];
  std::snprintf(buf, sizeof buf, "%c%02ld:%02ld", sign, off / 3600, off % 3600 / 60);
  return out + buf;
}

// strftime's %a and %b are the C locale's English names: the process never
// calls setlocale.
std::string rfc1123_local(int64_t unix_seconds) {
  return format(local_tm(unix_seconds), "%a, %d %b %Y %H:%M:%S %Z");
}

std::string datetime_local(int64_t unix_seconds) {
  return format(local_tm(unix_seconds), "%Y-%m-%d %H:%M:%S");
}

}  // namespace util
