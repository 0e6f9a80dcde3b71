// boot/unboot, mute/unmute, block, blocklist, video-invite (protocol.md §8).
// Each may come before login (the client re-sends them on reconnect): they
// are stored then, and take effect at login.
#include "chat/relations.hpp"
#include "chat/room.hpp"
#include "chat/texts.hpp"

namespace chat {
namespace {

// Enough for any real list; a bound so that one client cannot grow memory.
constexpr size_t kMaxRelations = 10'000;
constexpr size_t kMaxNameBytes = 256;

bool fits(const NameSet& set, size_t adding) {
  return set.size() + adding <= kMaxRelations;
}

}  // namespace

void Room::on_relation(Connection& c, const protocol::ClientMessage& m) {
  const auto& name = m.username;
  if (name.empty() || name.size() > kMaxNameBytes) return notice(c.id, text::kNeedsUsername);
  auto* target = user(name);
  const bool target_is_op = target && target->is_op();
  const bool signed_in = c.authenticated;
  using protocol::Action;
  switch (m.action) {
    case Action::kBoot:
      if (!fits(c.booted, 1)) return notice(c.id, text::kListTooLong);
      c.booted.insert(name);
      if (signed_in && target_is_op) {
        notice(target->id, c.username + " has booted you off of their camera!");
      }
      break;
    case Action::kUnboot:
      c.booted.erase(name);
      break;
    case Action::kMute:
    case Action::kUnmute: {
      const bool mute = m.action == Action::kMute;
      if (mute && !fits(c.muted, 1)) return notice(c.id, text::kListTooLong);
      if (mute)
        c.muted.insert(name);
      else
        c.muted.erase(name);
      if (signed_in && target_is_op) {
        notice(target->id, c.username + " has muted you! Your new mute status is: " +
                               (mute ? "true" : "false"));
      }
      break;
    }
    case Action::kBlock:
      // The original's block handler refuses any operator; BlockableAdmins
      // governs the other block checks (blocklist, the relation itself).
      if (target_is_op) return notice(c.id, text::kNoBlockOperator);
      if (!fits(c.blocked, 1)) return notice(c.id, text::kListTooLong);
      c.blocked.insert(name);
      break;
    default:
      return;
  }
  // A boot or mute closes the other's view of my camera (operators may still
  // watch); a block ends everything between us.
  const bool ends = m.action == Action::kBlock
                        ? target && blocking(c, *target, settings_->blockable_admins)
                        : (m.action == Action::kBoot || m.action == Action::kMute) && !target_is_op;
  if (ends) end_session(c, name);
  if (!signed_in) return;
  // Their view of my camera changes; a block changes my view of them too.
  who_pair_changed(name, c.username);
  if (m.action == Action::kBlock) who_pair_changed(c.username, name);
}

void Room::on_blocklist(Connection& c, const protocol::ClientMessage& m) {
  if (!fits(c.muted, m.usernames.size()) || !fits(c.blocked, m.usernames.size())) {
    return notice(c.id, text::kListTooLong);
  }
  for (const auto& name : m.usernames) {
    if (name.empty() || name.size() > kMaxNameBytes) continue;
    c.muted.insert(name);
    c.blocked.insert(name);
    end_session(c, name);
    if (c.authenticated) {
      who_pair_changed(name, c.username);
      who_pair_changed(c.username, name);
    }
  }
}

void Room::on_video_invite(Connection& c, const protocol::ClientMessage& m) {
  if (!fits(c.invited, m.usernames.size())) return notice(c.id, text::kListTooLong);
  for (const auto& name : m.usernames) {
    if (name.empty() || name.size() > kMaxNameBytes) continue;
    c.invited.insert(name);
    if (c.authenticated) who_pair_changed(name, c.username);
  }
}

}  // namespace chat
