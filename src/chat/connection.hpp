// Everything the room knows about one WebSocket connection. Relations (boot,
// mute, block, invite) are per connection, as in the original: the client
// re-sends them after a reconnect.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <unordered_set>

#include "auth/claims.hpp"
#include "chat/event.hpp"
#include "chat/token_bucket.hpp"

namespace chat {

// Bits of the `video` field.
namespace video {
inline constexpr int64_t kActive = 1;
inline constexpr int64_t kNsfw = 2;
inline constexpr int64_t kMuted = 4;
inline constexpr int64_t kNonExplicit = 8;
inline constexpr int64_t kMutualRequired = 16;
inline constexpr int64_t kMutualOpen = 32;
inline constexpr int64_t kOnlyVip = 64;
inline constexpr int64_t kInvited = 128;
inline constexpr int64_t kNoWatermark = 256;
}  // namespace video

using NameSet = std::unordered_set<std::string>;

struct Connection {
  ConnId id = 0;
  std::string username;  // empty until login, and again after a kick
  bool authenticated = false;
  std::string status = "online";
  int64_t video = 0;
  bool dnd = false;
  std::optional<auth::Claims> claims;  // set by a JWT login
  NameSet booted, muted, blocked, invited;
  bool unblockable = false;
  std::unordered_set<int64_t> owned_message_ids;
  // Connections with a video session with this one (opened either way):
  // WebRTC signaling is relayed only between them.
  std::unordered_set<ConnId> peers;
  // For `open` requests: a burst of 20, then 2 a second.
  TokenBucket open_tokens{2, 20};
  int64_t login_at = 0;  // Unix seconds
  int64_t connected_at_ms = 0;
  // It asked at login for who-list deltas (docs/protocol-extensions.md).
  bool who_deltas = false;

  // This user's who-list entry, serialized around the per-viewer `video`
  // value; rebuilt only when the user's profile changes.
  struct WhoEntry {
    bool valid = false;
    std::string head;  // `{"username":...,"status":...,"video":`
    std::string tail;  // `,"loginAt":...,"op":...` (before `vip`)
    std::string rest;  // `,"avatar":...}` (after `vip`)
  } who_entry;

  // Pictures sent to the picture worker and not back yet.
  int pictures_pending = 0;
  // Reports sent to the website that have not been answered yet.
  int reports_pending = 0;
  // For the message filters' reports about this user: 5, then one per 10 s.
  TokenBucket auto_report_tokens{0.1, 5};

  // Set by /op or /deop for the connection's life; the claims stay as signed.
  std::optional<bool> op_override;

  bool is_op() const { return op_override ? *op_override : claims && claims->op; }
  bool is_vip() const { return claims && claims->vip; }
  bool hidden() const { return status == "hidden"; }
  bool has_relations() const {
    return !booted.empty() || !muted.empty() || !blocked.empty() || !invited.empty();
  }
};

}  // namespace chat
