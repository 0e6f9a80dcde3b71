#include "chat/room.hpp"

#include <algorithm>

#include "auth/jwt.hpp"
#include "chat/relations.hpp"
#include "chat/texts.hpp"
#include "protocol/json_writer.hpp"
#include "protocol/server_message.hpp"
#include "render/markdown.hpp"

namespace chat {

using protocol::Action;

Room::Room(std::shared_ptr<const config::Settings> settings, RoomOptions options)
    : settings_(std::move(settings)),
      options_(options),
      now_ms_(options.started_at_ms),
      // Message IDs start at the start time in seconds, as in the original.
      next_msg_id_(options.started_at_ms / 1000),
      presence_budget_(static_cast<double>(options.presence_deliveries_per_second),
                       static_cast<double>(options.presence_deliveries_per_second)) {
  set_settings(settings_);
}

void Room::set_settings(std::shared_ptr<const config::Settings> settings) {
  settings_ = std::move(settings);
  who_pacer_.set_rate(settings_->who_list_bytes_per_second);
  filters_ = MessageFilters(settings_->message_filters);
  who_everything_changed();  // VIP secrecy and blockable operators change views
  welcome_.clear();
  for (const auto& ch : settings_->public_channels) {
    for (const auto& text : ch.welcome_messages) {
      welcome_.push_back(protocol::chat_server_notice(render::markdown_to_html(text), ch.id));
    }
  }
}

void Room::handle(const Event& event) {
  // A query is answered from one node's copy of the room, outside the event
  // log: it must not move the room's clock, which every node keeps alike.
  if (!is_query(event.body)) now_ms_ = std::max(now_ms_, event.now_ms);
  std::visit([this](const auto& body) { on(body); }, event.body);
}

void Room::set_local_node(NodeId node) {
  local_node_ = node;
  for (const auto& [id, c] : conns_) {
    if (local(id)) continue;
    who_pacer_.remove(id);
    delta_viewers_.erase(id);
  }
}

const Connection* Room::find(ConnId id) const {
  auto it = conns_.find(id);
  return it == conns_.end() ? nullptr : &it->second;
}

const Connection* Room::find_user(std::string_view username) const {
  auto it = by_name_.find(username);
  return it == by_name_.end() ? nullptr : &conns_.at(it->second);
}

Connection* Room::user(std::string_view username) {
  auto it = by_name_.find(username);
  return it == by_name_.end() ? nullptr : &conns_.at(it->second);
}

void Room::on(const Connected& e) {
  auto& c = conns_[e.conn];
  c.id = e.conn;
  c.connected_at_ms = now_ms_;
  pings_.add(e.conn, now_seconds());
}

void Room::on(const Disconnected& e) {
  auto it = conns_.find(e.conn);
  if (it == conns_.end()) return;
  auto& c = it->second;
  if (c.authenticated) {
    if (!c.hidden()) broadcast_presence(c, e.timed_out ? text::kTimedOut : text::kExited);
    by_name_.erase(c.username);
    who_viewer_left(c);
    who_user_changed(c);
  }
  for (ConnId peer : c.peers) {
    if (auto p = conns_.find(peer); p != conns_.end()) p->second.peers.erase(c.id);
  }
  conns_.erase(it);
}

void Room::on(const NodeLeft& e) {
  std::vector<ConnId> gone;
  for (const auto& [id, c] : conns_) {
    if (node_of(id) == e.node) gone.push_back(id);
  }
  // In ID order, so that every node signs them out in the same order.
  std::sort(gone.begin(), gone.end());
  for (ConnId id : gone) on(Disconnected{id, true});
}

void Room::on(const Received& e) {
  if (auto it = conns_.find(e.conn); it != conns_.end()) receive(it->second, e.in);
}

void Room::on(const Polled& e) {
  auto it = conns_.find(e.conn);
  const bool login = e.username.empty();
  if (it == conns_.end() ||
      (!login && (!it->second.authenticated || it->second.username != e.username))) {
    return out_.replies.push_back({e.req, ""});
  }
  auto& c = it->second;  // handlers never erase connections
  receive(c, e.in);
  out_.replies.push_back({e.req, "+" + (c.authenticated ? c.username : std::string())});
}

void Room::receive(Connection& c, const Inbound& in) {
  if (!in.error.empty()) return notice(c.id, in.error);
  const auto& m = in.msg;
  switch (m.action) {
    case Action::kPing:
      return;
    case Action::kLogin:
      return on_login(c, in);
    // Settings a client re-sends right after reconnecting, before its login.
    case Action::kMe:
      return on_me(c, m);
    case Action::kBoot:
    case Action::kUnboot:
    case Action::kMute:
    case Action::kUnmute:
    case Action::kBlock:
      return on_relation(c, m);
    case Action::kBlocklist:
      return on_blocklist(c, m);
    case Action::kVideoInvite:
      return on_video_invite(c, m);
    case Action::kUnsupported:
      return notice(c.id, std::string(text::kUnsupported) + m.action_name);
    default:
      break;
  }
  // Everything else reaches other users: only after login.
  if (!c.authenticated) return notice(c.id, text::kMustLogIn);
  switch (m.action) {
    case Action::kMessage:
      return on_message(c, in);
    case Action::kTakeback:
      return on_takeback(c, m);
    case Action::kReact:
      return on_react(c, m);
    case Action::kTyping:
      return on_typing(c, m);
    case Action::kOpen:
      return on_open(c, in);
    case Action::kSdp:
    case Action::kCandidate:
      return on_signal(c, m);
    case Action::kWatch:
    case Action::kUnwatch:
      return on_watch(c, m);
    case Action::kFile:
      return on_file(c, in);
    case Action::kReport:
      return on_report(c, m);
    default:
      return notice(c.id, "This server does not handle \"" + m.action_name + "\" messages yet.");
  }
}

void Room::on(const Tick&) {
  auto due = pings_.due(now_seconds(), [this](ConnId id) { return conns_.contains(id); });
  for (ConnId id : due) send_ping(conns_.at(id));
  if (now_ms_ >= next_link_sweep_ms_) {
    link_spam_.sweep(now_ms_, settings_->dm_link_spam_protection);
    next_link_sweep_ms_ = now_ms_ + kLinkSweepMs;
  }
}

void Room::on(const StatisticsQuery& e) {
  std::vector<std::string_view> names;
  int64_t count = 0, blue = 0, red = 0;
  for (const auto& [name, id] : by_name_) {
    const auto& u = conns_.at(id);
    if (u.hidden()) continue;
    ++count;
    names.push_back(name);
    if (u.video & video::kActive) ++((u.video & video::kNsfw) ? red : blue);
  }
  std::string body;
  protocol::JsonWriter w(body, true);
  w.begin_object().field("UserCount", count).key("Usernames").begin_array();
  for (auto n : names) w.string(n);
  w.end_array().key("Cameras").begin_object().field("Blue", blue).field("Red", red).end_object();
  w.end_object();
  out_.replies.push_back({e.req, std::move(body)});
}

void Room::on(const CacheBlocklist& e) {
  cached_blocklists_[e.username] = e.blocklist;
}

void Room::on(const BlocklistQuery& e) {
  std::string body;
  protocol::JsonWriter w(body);
  w.begin_array();
  if (auto it = cached_blocklists_.find(e.username); it != cached_blocklists_.end()) {
    for (const auto& n : it->second) w.string(n);
  }
  w.end_array();
  out_.replies.push_back({e.req, std::move(body)});
}

void Room::on(const Shutdown&) {
  const auto frame = protocol::chat_server_notice(text::kShutdown);
  for (const auto& [id, _] : conns_) send(id, frame);
  out_.shutdown = true;
}

// --- delivery ---------------------------------------------------------------

void Room::send(ConnId to, protocol::Frame frame) {
  if (!local(to)) return;  // another node's: it delivers that itself
  out_.deliveries.push_back({to, std::move(frame)});
}

void Room::notice(ConnId to, std::string_view text, std::string_view channel) {
  send(to, protocol::chat_server_notice(text, channel));
}

template <typename Visit>
size_t Room::for_each_recipient(const Connection* sender, std::string_view channel, Visit&& visit) {
  const auto* ch = channel.empty() ? nullptr : settings_->find_channel(channel);
  const bool vip_only = ch && ch->vip;
  const bool blockable = settings_->blockable_admins;
  size_t count = 0;
  for (const auto& [_, id] : by_name_) {
    const auto& r = conns_.at(id);
    if (sender && (has_muted(r, *sender) || blocking(*sender, r, blockable))) continue;
    if (vip_only && !r.is_vip() && !r.is_op()) continue;
    visit(id);
    ++count;
  }
  return count;
}

size_t Room::broadcast(const protocol::Frame& frame, const Connection* sender,
                       std::string_view channel) {
  return for_each_recipient(sender, channel, [&](ConnId id) { send(id, frame); });
}

size_t Room::broadcast_count(const Connection* sender) {
  return for_each_recipient(sender, {}, [](ConnId) {});
}

void Room::broadcast_presence(const Connection& user, std::string_view text) {
  const bool limited = options_.presence_deliveries_per_second > 0;
  if (limited && presence_budget_.available(now_ms_) <= 0) return;
  // While this node is quiet after its start its users get no notice, but
  // the budget is spent as if they did: it is room state, and the nodes of
  // a cluster, started at different times, must agree on it.
  const bool quiet = now_ms_ - options_.started_at_ms < options_.presence_quiet_ms;
  const size_t sent =
      quiet ? broadcast_count(&user)
            : broadcast(protocol::make_frame(
                            {.action = "presence", .username = user.username, .message = text}),
                        &user);
  if (limited) presence_budget_.take(static_cast<double>(sent));
}

void Room::send_me(const Connection& c) {
  send(c.id, protocol::make_frame({.action = "me", .username = c.username, .video = c.video}));
}

void Room::send_ping(Connection& c) {
  static const auto plain = protocol::make_frame({.action = "ping"});
  if (!c.claims || settings_->jwt.secret_key.empty()) return send(c.id, plain);
  const auto token =
      auth::sign_jwt(auth::refreshed(*c.claims, now_seconds()), settings_->jwt.secret_key);
  const auto rules = auth::rules_dictionary_json(*c.claims);
  send(c.id, protocol::make_frame({.action = "ping", .jwt = token, .jwt_rules = rules}));
}

Output Room::finish_batch() {
  resolve_who();
  return std::exchange(out_, Output{});
}

}  // namespace chat
