// One user's who-list entry (protocol.md §5.5), serialized once around the
// values that differ per viewer (`video`, and `vip` under MutuallySecret), so
// that full lists and deltas copy pieces instead of re-encoding every entry.
#pragma once

#include <cstdint>
#include <string>

#include "chat/connection.hpp"
#include "config/settings.hpp"

namespace chat {

// Rebuilds the cached pieces of a user's entry (after a profile change).
void refresh_who_entry(Connection& u);

// Whether a viewer sees the `vip` flags (VIP.MutuallySecret hides them from
// non-VIPs).
inline bool shows_vip(const config::Settings& s, bool viewer_is_vip) {
  return viewer_is_vip || !s.vip.mutually_secret;
}

// Appends U's entry with the `video` value a viewer sees. The entry pieces
// must be valid.
void append_who_entry(std::string& out, const Connection& u, int64_t video, bool show_vip);

}  // namespace chat
