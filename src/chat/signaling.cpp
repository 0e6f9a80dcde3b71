// Webcams: `open` (answered by `open` to the viewer and `ring` to the
// broadcaster), the WebRTC signaling relay (`sdp`, `candidate`) and
// watch/unwatch notices (protocol.md §7). The server only relays: video goes
// peer to peer. An `open` that passes every permission check starts a video
// session between the two; signaling is relayed only inside a session, and a
// boot, mute or block between them ends it.
#include "chat/relations.hpp"
#include "chat/room.hpp"
#include "chat/rules.hpp"
#include "chat/texts.hpp"
#include "protocol/server_message.hpp"

namespace chat {
namespace {

// Real session descriptions are a few KB, candidates a few hundred bytes.
constexpr size_t kMaxDescription = 64 * 1024;
constexpr size_t kMaxCandidate = 8 * 1024;

std::string cannot_open(std::string_view reason) {
  return "Could not open that video: " + std::string(reason);
}

}  // namespace

// Plenty for clicking through cameras, not enough to flood someone with rings.
bool Room::take_open_token(Connection& v) {
  if (v.open_tokens.available(now_ms_) < 1) return false;
  v.open_tokens.take(1);
  return true;
}

// Why `viewer` may not open `target`'s camera, or "" (chat.md §2.5, in the
// original's order, then the client's explicit-camera rules).
std::string Room::open_refusal(const Connection& v, const Connection& t) const {
  const bool invited = t.invited.contains(v.username);
  const bool op = v.is_op();
  if (!(t.video & video::kActive)) return cannot_open(text::kVideoNotEnabled);
  if ((t.video & video::kMutualRequired) && !invited) {
    // Mutual means they can see me too: a VIP-only camera does not count for a non-VIP.
    const bool they_see_me =
        (v.video & video::kActive) && (!(v.video & video::kOnlyVip) || t.is_vip() || t.is_op());
    if (!they_see_me) {
      return cannot_open(t.username +
                         " has requested that you should share your own camera too before "
                         "opening theirs.");
    }
  }
  if ((t.video & video::kOnlyVip) && !v.is_vip() && !op && !invited) {
    return cannot_open(text::kNoPermission);
  }
  const bool related = has_muted(t, v) || t.booted.contains(v.username) ||
                       blocking(v, t, settings_->blockable_admins);
  if (related && !op) return cannot_open(text::kNoPermission);
  if (op) return {};
  if ((v.video & video::kNonExplicit) && (t.video & video::kNsfw)) {
    return cannot_open(t.username +
                       "'s camera is marked Explicit and you have chosen not to see explicit "
                       "cameras.");
  }
  if ((t.video & video::kNonExplicit) && (v.video & video::kActive) && (v.video & video::kNsfw)) {
    return cannot_open(t.username + " prefers not to be watched by an Explicit camera.");
  }
  return {};
}

void Room::on_open(Connection& v, const Inbound& in) {
  const auto& name = in.msg.username;
  if (rules_for(*settings_, v).no_video)
    return notice(v.id, settings_->strings.mod_rule_error_no_video);
  if (!take_open_token(v)) return notice(v.id, text::kOpeningTooFast);
  auto* t = user(name);
  if (!t) return notice(v.id, cannot_open(name + " appears to be offline."));
  if (auto refusal = open_refusal(v, *t); !refusal.empty()) return notice(v.id, refusal);

  if (v.is_op()) {
    // The broadcaster's client ignores rings from users it booted or muted.
    if (t->booted.contains(v.username)) {
      notice(v.id, "Note: " + t->username +
                       " had booted you off their camera before, and won't be notified of your "
                       "watch.");
    } else if (t->muted.contains(v.username)) {
      notice(v.id, "Note: " + t->username +
                       " had muted you before, and won't be notified of your watch.");
    }
  }
  v.peers.insert(t->id);
  t->peers.insert(v.id);
  send(t->id, protocol::make_frame(
                  {.action = "ring", .username = v.username, .open_secret = in.open_secret}));
  send(v.id, protocol::make_frame(
                 {.action = "open", .username = t->username, .open_secret = in.open_secret}));
}

void Room::on_signal(Connection& c, const protocol::ClientMessage& m) {
  const bool sdp = m.action == protocol::Action::kSdp;
  const auto& payload = sdp ? m.description : m.candidate;
  if (payload.size() > (sdp ? kMaxDescription : kMaxCandidate)) {
    return notice(c.id, text::kSignalTooLarge);
  }
  // Outside a session (never opened, or ended by a boot, mute or block) the
  // message is dropped, as the original drops one to an unknown user.
  auto* peer = user(m.username);
  if (!peer || !c.peers.contains(peer->id)) return;
  send(peer->id,
       sdp ? protocol::make_frame({.action = "sdp", .username = c.username, .description = payload})
           : protocol::make_frame(
                 {.action = "candidate", .username = c.username, .candidate = payload}));
}

void Room::on_watch(Connection& c, const protocol::ClientMessage& m) {
  auto* broadcaster = user(m.username);
  if (!broadcaster || !c.peers.contains(broadcaster->id)) return;
  send(broadcaster->id,
       protocol::make_frame({.action = protocol::action_name(m.action), .username = c.username}));
}

void Room::end_session(Connection& a, std::string_view other) {
  auto* b = user(other);
  if (!b) return;
  a.peers.erase(b->id);
  b->peers.erase(a.id);
}

}  // namespace chat
