// `me`: a user's camera flags, status and do-not-disturb (protocol.md §5.4).
#include "chat/room.hpp"
#include "chat/rules.hpp"
#include "chat/texts.hpp"
#include "protocol/server_message.hpp"

namespace chat {
namespace {

// The flags a client may set: Invited is the server's, per viewer.
constexpr int64_t kClientVideoBits = 511 & ~video::kInvited;

bool valid_status(std::string_view s) {
  if (s.size() > 32) return false;
  for (char ch : s) {
    const bool ok = (ch >= 'a' && ch <= 'z') || (ch >= 'A' && ch <= 'Z') ||
                    (ch >= '0' && ch <= '9') || ch == '-' || ch == '_';
    if (!ok) return false;
  }
  return true;
}

}  // namespace

void Room::on_me(Connection& c, const protocol::ClientMessage& m) {
  int64_t flags = m.video < 0 ? 0 : (m.video & kClientVideoBits);
  bool reflect = false;
  if (flags & video::kActive) {
    const auto rules = rules_for(*settings_, c);
    if (rules.no_broadcast || rules.no_video) {
      send(c.id, protocol::make_frame({.action = "cut"}));
      notice(c.id, settings_->strings.mod_rule_error_no_broadcast);
      flags = 0;
    } else if (rules.camera_always_nsfw && !(flags & video::kNsfw)) {
      flags |= video::kNsfw;
      notice(c.id, settings_->strings.mod_rule_error_camera_always_nsfw);
      reflect = true;
    }
  }

  std::string status = m.status;
  if (!valid_status(status)) {
    notice(c.id, text::kBadStatus);
    status = c.status;
  }
  if (status == "hidden" && !c.is_op()) status = "away";
  if (c.authenticated && status != c.status) {
    if (status == "hidden")
      broadcast_presence(c, text::kExited);
    else if (c.hidden())
      broadcast_presence(c, text::kJoined);
  }

  if (status != c.status || m.dnd != c.dnd) c.who_entry.valid = false;
  c.video = flags;
  c.status = std::move(status);
  c.dnd = m.dnd;
  if (!c.authenticated) return;  // kept for the coming login
  who_user_changed(c);
  if (reflect) {
    send_me(c);
  }
}

}  // namespace chat
