// A duration as Go prints it, which is how the original's texts show one:
// "23h59m58.123s", "5m3.2s", "850ms", "0s" (millisecond precision).
#pragma once

#include <cstdint>
#include <string>

namespace util {

std::string go_duration(int64_t ms);

}  // namespace util
