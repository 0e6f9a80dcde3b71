#include "chat/relations.hpp"

namespace chat {

namespace {
bool exempt(const Connection& c, bool blockable_admins) {
  if (!c.is_op()) return false;
  return !blockable_admins || c.unblockable;
}
}  // namespace

bool blocking(const Connection& a, const Connection& b, bool blockable_admins) {
  const bool listed = (!a.blocked.empty() && a.blocked.contains(b.username)) ||
                      (!b.blocked.empty() && b.blocked.contains(a.username));
  if (!listed) return false;
  return !exempt(a, blockable_admins) && !exempt(b, blockable_admins);
}

int64_t video_seen_by(const Connection& u, const Connection& v) {
  if (u.id == v.id) return u.video;
  int64_t out = u.video;
  if (u.booted.contains(v.username) || u.muted.contains(v.username)) {
    // An operator still sees the camera, but it must not auto-open theirs.
    out = v.is_op() ? (out & ~video::kMutualOpen) : 0;
  } else if (u.invited.contains(v.username)) {
    out |= video::kInvited;
  }
  if ((u.video & video::kOnlyVip) && !v.is_vip()) out = 0;
  return out;
}

}  // namespace chat
