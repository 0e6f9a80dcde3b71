// The relation rules between two users (chat.md §1-2): who blocks whom, who
// muted whom, and how a user's camera flags look to a given viewer.
#pragma once

#include <cstdint>

#include "chat/connection.hpp"

namespace chat {

// A block relation: either side blocked the other, unless an operator is
// involved and blocking operators is not allowed (BlockableAdmins off, or
// the operator made themselves unblockable).
bool blocking(const Connection& a, const Connection& b, bool blockable_admins);

// `viewer` muted `sender`: the viewer gets none of the sender's broadcasts.
inline bool has_muted(const Connection& viewer, const Connection& sender) {
  return !viewer.muted.empty() && viewer.muted.contains(sender.username);
}

// U's `video` as V sees it in the who list.
int64_t video_seen_by(const Connection& u, const Connection& v);

// U's `video` as a viewer no relation touches sees it.
inline int64_t video_seen_by_anyone(const Connection& u, bool viewer_is_vip) {
  return (u.video & video::kOnlyVip) && !viewer_is_vip ? 0 : u.video;
}

}  // namespace chat
