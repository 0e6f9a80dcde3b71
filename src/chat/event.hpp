// The room's input: an ordered stream of events. Everything an event needs
// arrives inside it (the time, verified JWT claims, rendered HTML), so the
// room is a pure function of its event log.
#pragma once

#include <cstdint>
#include <memory>
#include <string>
#include <variant>
#include <vector>

#include "auth/claims.hpp"
#include "protocol/client_message.hpp"

namespace chat {

using ConnId = uint64_t;
using RequestId = uint64_t;

// In a cluster, the top bits of connection and request IDs name the node
// (its number for this run, drawn from Redis) that owns them, so that IDs
// are unique across nodes and each node knows which effects are its own.
// A single server is node 0.
using NodeId = uint32_t;
inline constexpr int kNodeShift = 40;
inline constexpr NodeId node_of(uint64_t id) {
  return static_cast<NodeId>(id >> kNodeShift);
}
inline constexpr uint64_t node_base(NodeId node) {
  return static_cast<uint64_t>(node) << kNodeShift;
}

// A client frame, decoded and prepared off the room's thread.
struct Inbound {
  protocol::ClientMessage msg;
  std::string error;  // set when the frame could not be decoded: reported to the client

  // `message`: the text rendered to sanitized HTML (empty: nothing to post).
  std::string html;

  // `login`: the outcome of checking the token, when one had to be checked.
  enum class Jwt : uint8_t { kNotChecked, kValid, kInvalid, kMissing };
  Jwt jwt = Jwt::kNotChecked;
  auth::Claims claims;
  std::string jwt_error;

  // `open`: the secret shared by the two sides of the new video session
  // (the room draws no random numbers itself).
  std::string open_secret;

  // `file`: the picture's bytes, shared so that they reach the picture
  // worker without a copy on the room's thread.
  std::shared_ptr<const std::string> picture;
};

struct Connected {
  ConnId conn;
};
struct Disconnected {
  ConnId conn;
  // A polling client stopped polling (polling.md §2.4), rather than a socket
  // closing: the presence notice says so.
  bool timed_out = false;
};
struct Received {
  ConnId conn;
  Inbound in;
};
// A request of a polling client (/poll): `in` is handled as if `conn` had
// sent it, provided `conn` is signed in as `username` (empty: the session's
// first request, its login). The reply is "" when the request was refused
// (the session is not, or no longer, that user), else "+" followed by the
// connection's name after handling it (empty when it is not signed in).
struct Polled {
  RequestId req;
  ConnId conn;
  std::string username;
  Inbound in;
};
// Time passes: keep-alive pings fall due.
struct Tick {};
// GET /api/statistics.
struct StatisticsQuery {
  RequestId req;
};
// POST /api/blocklist: the website pre-caches a user's blocklist.
struct CacheBlocklist {
  std::string username;
  std::vector<std::string> blocklist;
};
// The chat page asks for the cached blocklist of a signed-in user.
struct BlocklistQuery {
  RequestId req;
  std::string username;
};
// POST /api/shutdown: tell everyone, then the process exits.
struct Shutdown {};
// settings.toml was read again for `/reconfigure` by `conn`: error is empty
// on success (the new settings are in force from this event on).
struct ReloadDone {
  ConnId conn;
  std::string error;
};

// The report webhook answered a user's report: error is empty on success.
struct ReportSent {
  ConnId conn;
  std::string error;
};

// The history database answered a takeback the room could not decide:
// whether `conn`'s user had sent that message.
struct TakebackChecked {
  ConnId conn;
  int64_t msg_id;
  bool deleted;
};
// /api/message/*: whether a user of that name is signed in ("1" or "").
struct OnlineQuery {
  RequestId req;
  std::string username;
};

// The picture worker finished a `file` from `conn`: `html` is the message
// to post, or `error` says why not.
struct PictureReady {
  ConnId conn;
  std::string channel;
  std::string html;
  std::string error;
};

// POST /api/block/now: each listed user online blocks (and mutes) the others.
struct BlockNow {
  RequestId req;
  std::vector<std::string> usernames;
};
// POST /api/disconnect/now.
struct DisconnectNow {
  RequestId req;
  std::vector<std::string> usernames;
  std::string message;  // sent to each as it is, when not empty
  bool kick = false;
};
// POST /api/amend-jwt: new claims (already verified) for a user online.
struct AmendJwt {
  RequestId req;
  std::string username;
  auth::Claims claims;
};

// Cluster: a node joined the room's event log. The room itself does nothing
// with it; the nodes already there answer with a snapshot of the room as of
// this event, from which the new node starts.
struct NodeJoined {
  NodeId node;
  std::string name;
};
// Cluster: a node stopped (its heartbeat ran out, or it restarted): its
// connections are gone, and their users leave everyone's who list.
struct NodeLeft {
  NodeId node;
};

using EventBody =
    std::variant<Connected, Disconnected, Received, Polled, Tick, StatisticsQuery, CacheBlocklist,
                 BlocklistQuery, Shutdown, ReloadDone, ReportSent, TakebackChecked, OnlineQuery,
                 PictureReady, BlockNow, DisconnectNow, AmendJwt, NodeJoined, NodeLeft>;

// Queries only read the room: in a cluster each node answers them from its
// own copy, without going through the event log.
inline bool is_query(const EventBody& body) {
  return std::holds_alternative<StatisticsQuery>(body) ||
         std::holds_alternative<BlocklistQuery>(body) || std::holds_alternative<OnlineQuery>(body);
}

struct Event {
  int64_t now_ms = 0;  // wall-clock time of the event, Unix milliseconds
  EventBody body;
};

}  // namespace chat
