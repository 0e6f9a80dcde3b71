// `login`, and the session changes around it (protocol.md §3).
#include <algorithm>

#include "chat/relations.hpp"
#include "chat/room.hpp"
#include "chat/texts.hpp"
#include "chat/username.hpp"
#include "protocol/server_message.hpp"

namespace chat {
namespace {

// The protocol extensions a client asked for that this server offers, as the
// JSON strings of the `me` reply (docs/protocol-extensions.md); empty when it
// asked for none. `typing` needs no state: the server relays typing notices to
// everyone; granting it tells a client that sending them is welcome.
std::string grant_extensions(Connection& c, const std::vector<std::string>& asked) {
  static constexpr std::string_view kOffered[] = {"who-delta", "typing"};
  std::string granted;
  c.who_deltas = false;
  std::vector<std::string_view> seen;
  for (const auto& name : asked) {
    if (std::ranges::find(kOffered, name) == std::end(kOffered)) continue;
    if (std::ranges::find(seen, name) != seen.end()) continue;
    seen.push_back(name);
    if (name == "who-delta") c.who_deltas = true;
    if (!granted.empty()) granted += ',';
    granted += '"';
    granted += name;
    granted += '"';
  }
  return granted;
}

}  // namespace

void Room::on_login(Connection& c, const Inbound& in) {
  // The original renamed a second login on the same socket to "name 2".
  if (c.authenticated) return notice(c.id, text::kAlreadyLoggedIn);

  std::optional<auth::Claims> claims;
  std::string wanted = in.msg.username;
  switch (in.jwt) {
    case Inbound::Jwt::kInvalid:
      return notice(c.id, text::kAuthExpired);
    case Inbound::Jwt::kMissing:
      return notice(c.id, text::kAuthRequired);
    case Inbound::Jwt::kValid:
      claims = in.claims;
      wanted = claims->sub;  // the website's name wins over the typed one
      break;
    case Inbound::Jwt::kNotChecked:
      break;
  }
  auto name = clean_username(wanted);
  if (!name) return notice(c.id, name.error());

  if (claims) {
    // A signed-in user owns the name: whoever holds it now is signed out.
    if (auto* holder = user(*name); holder && holder->id != c.id) {
      sign_off(*holder, protocol::chat_server_notice(text::kSignedOutElsewhere),
               "signed in from another location");
    }
  } else {
    *name = unique_guest_name(*name);
  }

  if (auto refusal = ban_refusal(*name)) {
    return sign_off(c, protocol::chat_server_notice(*refusal), "banned");
  }
  sign_in(c, std::move(*name), std::move(claims), in.msg.dnd);
  const auto granted = grant_extensions(c, in.msg.extensions);
  send(c.id,
       protocol::make_frame(
           {.action = "me", .username = c.username, .video = c.video, .extensions = granted}));
  who_viewer_joined(c);
  who_user_changed(c);
  send_echo(c);
  broadcast_presence(c, text::kJoined);
  for (const auto& w : welcome_) send(c.id, w);
}

std::string Room::unique_guest_name(const std::string& wanted) const {
  if (!by_name_.contains(wanted)) return wanted;
  for (int n = 2;; ++n) {
    auto candidate = wanted + " " + std::to_string(n);
    if (!by_name_.contains(candidate)) return candidate;
  }
}

void Room::sign_in(Connection& c, std::string username, std::optional<auth::Claims> claims,
                   bool dnd) {
  c.username = std::move(username);
  c.claims = std::move(claims);
  c.dnd = dnd;
  c.authenticated = true;
  c.login_at = now_seconds();
  c.who_entry.valid = false;
  by_name_[c.username] = c.id;
}

void Room::sign_out(Connection& c) {
  if (!c.authenticated) return;
  by_name_.erase(c.username);
  who_viewer_left(c);
  who_user_changed(c);
  c.authenticated = false;
  c.username.clear();
}

void Room::sign_off(Connection& c, const protocol::Frame& notice, std::string reason) {
  static const auto disconnect = protocol::make_frame({.action = "disconnect"});
  if (notice) send(c.id, notice);
  send(c.id, disconnect);
  sign_out(c);
  out_.closes.push_back({c.id, 1000, std::move(reason), options_.kick_close_delay_ms});
}

void Room::send_echo(Connection& c) {
  const bool sees_vip = c.is_vip() || c.is_op();
  const bool blockable = settings_->blockable_admins;
  auto items = echo_.serialize(*settings_, [&](const StoredMessage& m) {
    if (!sees_vip) {
      const auto* ch = settings_->find_channel(m.channel);
      if (ch && ch->vip) return false;
    }
    if (c.muted.contains(m.username) || c.blocked.contains(m.username)) return false;
    const auto* sender = user(m.username);
    return !(sender && blocking(*sender, c, blockable));
  });
  send(c.id, protocol::make_frame({.action = "echo", .messages = items}));
}

}  // namespace chat
