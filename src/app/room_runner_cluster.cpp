// The runner's side of a cluster: events go to the Redis event log and are
// applied when they come back from it, in the log's order, on every node.
#include <spdlog/spdlog.h>

#include <boost/asio/post.hpp>

#include <algorithm>
#include <cstdlib>

#include "app/room_runner.hpp"
#include "protocol/json_writer.hpp"
#include "protocol/server_message.hpp"

namespace app {

namespace asio = boost::asio;

namespace {

constexpr std::string_view kLogUnreachable =
    "The chat server cannot reach its message log right now, so this was not done. "
    "Please try again in a moment.";

// A user's or the website's action may be refused while Redis is away: they
// are told, and can try again. The rest (sign-outs, the results of side
// work) wait for Redis, so that no node keeps a user who left.
bool refusable(const chat::EventBody& b) {
  return std::holds_alternative<chat::Received>(b) || std::holds_alternative<chat::Connected>(b) ||
         std::holds_alternative<chat::Polled>(b) || std::holds_alternative<chat::BlockNow>(b) ||
         std::holds_alternative<chat::DisconnectNow>(b) ||
         std::holds_alternative<chat::AmendJwt>(b) || std::holds_alternative<chat::Tick>(b);
}

std::string api_unavailable() {
  std::string body;
  protocol::JsonWriter w(body, true);
  w.begin_object().field("OK", false).field("Error", kLogUnreachable).end_object();
  return body;
}

}  // namespace

// What a refusal needs to know of the event, without keeping all of it.
struct RoomRunner::Refused {
  enum class Kind : uint8_t { kOther, kReceived, kConnected } kind = Kind::kOther;
  chat::ConnId conn = 0;
  std::shared_ptr<const std::string> picture;
};

std::expected<void, std::string> RoomRunner::use_event_log(
    cluster::EventLog& log, const std::optional<std::string>& snapshot) {
  log_ = &log;
  node_ = log.node();
  next_request_ = chat::node_base(node_) + 1;
  if (snapshot) {
    if (auto r = room_.restore(*snapshot); !r) return std::unexpected(r.error());
  }
  room_.set_local_node(node_);
  return {};
}

void RoomRunner::append_to_log(QueuedEvent e) {
  chat::RequestId req = 0;
  if (e.on_reply) {
    register_reply(e);
    std::visit(
        [&req](auto& body) {
          if constexpr (requires { body.req; }) req = body.req;
        },
        e.body);
  }
  Refused refused;
  if (auto* r = std::get_if<chat::Received>(&e.body)) {
    refused = {Refused::Kind::kReceived, r->conn, r->in.picture};
    if (r->in.picture) {
      std::lock_guard lock(pictures_mutex_);
      in_transit_[r->conn].push_back(r->in.picture);
    }
  } else if (auto* c = std::get_if<chat::Connected>(&e.body)) {
    refused = {Refused::Kind::kConnected, c->conn, nullptr};
  }
  const bool keep = !refusable(e.body);
  std::string entry;
  cluster::encode_entry({node_, {unix_ms(), std::move(e.body)}}, entry);
  log_->append(std::move(entry), keep,
               [this, from = std::move(e.from), on_refused = std::move(e.on_refused), req,
                refused = std::move(refused)](bool appended) {
                 if (from) from->message_done();
                 if (appended) return;
                 if (on_refused) return on_refused();
                 refuse(refused, req);
               });
}

void RoomRunner::refuse(const Refused& r, chat::RequestId req) {
  if (req) {
    if (auto reply = take_reply(req)) reply(api_unavailable());
    return;
  }
  if (r.picture) {
    std::lock_guard lock(pictures_mutex_);
    auto& q = in_transit_[r.conn];
    std::erase(q, r.picture);
    if (q.empty()) in_transit_.erase(r.conn);
  }
  if (r.kind == Refused::Kind::kOther) return;
  send_direct(r.conn, protocol::chat_server_notice(kLogUnreachable),
              r.kind == Refused::Kind::kConnected);
}

// Past the room: a frame for one of this node's connections.
void RoomRunner::send_direct(chat::ConnId to, protocol::Frame frame, bool close) {
  std::lock_guard lock(sessions_mutex_);
  if (auto it = sessions_.find(to); it != sessions_.end()) {
    auto s = it->second;
    if (s->enqueue(std::move(frame), false)) {
      asio::post(s->executor(), [s] { s->flush(); });
    }
    if (close) s->close(1013, "try again later", std::chrono::milliseconds(100));
  } else if (auto p = polls_.find(to); p != polls_.end()) {
    p->second->enqueue(std::move(frame), false);
  }
}

void RoomRunner::from_log(std::vector<cluster::Applied> entries) {
  std::vector<QueuedEvent> events;
  events.reserve(entries.size());
  for (auto& a : entries) {
    const auto* joined = std::get_if<chat::NodeJoined>(&a.entry.event.body);
    events.push_back({.body = std::move(a.entry.event.body),
                      .logged = true,
                      .now_ms = a.entry.event.now_ms,
                      .log_id = std::move(a.id),
                      .appended_ms = a.appended_ms,
                      .snapshot_for = joined && joined->node != node_});
  }
  enqueue(events);
}

// Runner thread, just before the room sees the entry.
void RoomRunner::on_logged(QueuedEvent& e) {
  log_applied_.fetch_add(1, std::memory_order_relaxed);
  log_lag_us_.store((unix_ms() - e.appended_ms) * 1000, std::memory_order_relaxed);
  if (auto* r = std::get_if<chat::Received>(&e.body);
      r && is_local(r->conn) && r->in.msg.action == protocol::Action::kFile) {
    std::lock_guard lock(pictures_mutex_);
    if (auto it = in_transit_.find(r->conn); it != in_transit_.end()) {
      r->in.picture = std::move(it->second.front());
      it->second.pop_front();
      if (it->second.empty()) in_transit_.erase(it);
    }
  }
  if (auto* gone = std::get_if<chat::NodeLeft>(&e.body); gone && gone->node == node_) {
    // The others stopped hearing this node's heartbeat and signed its users
    // out: its connections are no longer in anyone's room.
    exit_to_start_anew("the other nodes declared it gone");
  }
}

// This node's room can no longer match the others': its clients must
// reconnect to a fresh copy. The supervisor (systemd, Docker) restarts it.
void RoomRunner::exit_to_start_anew(const std::string& why) {
  spdlog::critical(
      "cluster: node {} leaves the room ({}): exiting with status 3 so that it "
      "restarts and its clients reconnect",
      node_, why);
  spdlog::default_logger()->flush();
  std::_Exit(3);
}

}  // namespace app
