// What the admin API asks of the room (http-api.md §3.3, §3.6, §3.7): the
// website blocks users from each other, signs users out, or amends a user's
// JWT claims. The answer goes back as the reply body.
#include <span>

#include "chat/command_texts.hpp"
#include "chat/room.hpp"
#include "chat/texts.hpp"
#include "protocol/json_writer.hpp"
#include "protocol/server_message.hpp"

namespace chat {
namespace {

// A website blocks a few users from each other; a bound keeps a hostile
// request (N names: N² relations) from stalling the room.
constexpr size_t kMaxNames = 1'000;
// Past this many users online in one request, everybody's lists are redone
// once instead of pair by pair.
constexpr size_t kMaxPairwise = 64;

std::string ok_body(std::optional<int64_t> removed = std::nullopt) {
  std::string body;
  protocol::JsonWriter w(body, true);
  w.begin_object().field("OK", true);
  if (removed) w.field("Removed", *removed);
  w.end_object();
  return body;
}

}  // namespace

void Room::on(const BlockNow& e) {
  const auto names = std::span(e.usernames).first(std::min(e.usernames.size(), kMaxNames));
  std::vector<Connection*> online;
  for (const auto& name : names) {
    if (auto* u = user(name)) online.push_back(u);
  }
  for (auto* u : online) {
    for (const auto& v : names) {
      if (v == u->username) continue;
      u->muted.insert(v);
      if (!u->blocked.insert(v).second) continue;  // told already
      send(u->id, protocol::make_frame({.action = "block", .username = v}));
      end_session(*u, v);
    }
  }
  if (online.size() > kMaxPairwise) {
    who_everything_changed();
  } else {
    for (auto* u : online) {
      for (auto* v : online) {
        if (u != v) who_pair_changed(u->username, v->username);
      }
    }
  }
  out_.replies.push_back({e.req, ok_body()});
}

void Room::on(const DisconnectNow& e) {
  int64_t removed = 0;
  for (const auto& name : e.usernames) {
    auto* u = user(name);
    if (!u) continue;
    broadcast_presence(*u, e.kick ? text::cmd::kKicked : text::kExited);
    sign_off(*u, e.message.empty() ? protocol::Frame{} : protocol::chat_server_notice(e.message),
             "disconnected by the website");
    ++removed;
  }
  out_.replies.push_back({e.req, ok_body(removed)});
}

// An empty body: the user is not online. Only a user who signed in with a
// JWT has claims to amend; the username stays until they sign in again.
void Room::on(const AmendJwt& e) {
  auto* u = user(e.username);
  if (!u) return out_.replies.push_back({e.req, ""});
  if (u->claims) {
    u->claims = e.claims;
    u->who_entry.valid = false;
    send_ping(*u);
    send_me(*u);
    who_user_changed(*u);
  }
  out_.replies.push_back({e.req, ok_body()});
}

}  // namespace chat
