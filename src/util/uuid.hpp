// Random (version 4) UUIDs from the system's cryptographic generator: a
// polling session's ID is the only secret that proves who is polling.
#pragma once

#include <string>

namespace util {

// 36 characters, lowercase hex with dashes: xxxxxxxx-xxxx-4xxx-[89ab]xxx-xxxxxxxxxxxx.
std::string uuid_v4();

}  // namespace util
