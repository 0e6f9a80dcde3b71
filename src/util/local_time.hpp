// Times as the original prints them: in the server's local time zone (TZ),
// from Unix seconds.
#pragma once

#include <cstdint>
#include <string>

namespace util {

// 2006-01-02T15:04:05-07:00 (Z for UTC).
std::string rfc3339_local(int64_t unix_seconds);
// Mon, 02 Jan 2006 15:04:05 MST.
std::string rfc1123_local(int64_t unix_seconds);
// 2006-01-02 15:04:05.
std::string datetime_local(int64_t unix_seconds);

}  // namespace util
