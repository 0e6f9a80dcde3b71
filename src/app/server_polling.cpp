// The server's side of the polling API (polling.md §2): sessions are room
// connections whose frames wait in a PollSession; each request is a Polled
// event, answered with what waited once the room has handled it.
#include <boost/asio/post.hpp>

#include "app/server.hpp"

namespace app {
namespace {

// Idle time is measured on the steady clock: a jump of the wall clock must
// not sign every polling client out at once.
int64_t steady_ms() {
  using namespace std::chrono;
  return duration_cast<milliseconds>(steady_clock::now().time_since_epoch()).count();
}

}  // namespace

void Server::poll(std::string username, std::string session_id, chat::Inbound in, PollDone done) {
  poll_requests_.fetch_add(1, std::memory_order_relaxed);
  if (session_id.empty()) return poll_login(std::move(in), std::move(done));
  auto s = polls_.find(session_id);
  if (!s) return done({.expired = true});
  if (s->closed()) {  // signed off since: its last frames, then the end
    end_poll(*s);
    return done({.expired = true, .messages = s->drain()});
  }
  post_polled(std::move(s), std::move(username), std::move(in), std::move(done));
}

void Server::poll_login(chat::Inbound in, PollDone done) {
  auto s = polls_.create(ws_limits().outbox_bytes, steady_ms());
  if (!s) {
    return done({.unavailable = "The chat has too many polling clients: please try again later."});
  }
  runner_.add_poll(s);
  runner_.post({chat::Connected{s->conn()}});
  post_polled(std::move(s), {}, std::move(in), std::move(done));
}

void Server::post_polled(std::shared_ptr<PollSession> s, std::string username, chat::Inbound in,
                         PollDone done) {
  const auto conn = s->conn();
  // Called on the room's thread: the answer is written on an I/O thread.
  auto on_reply = [this, s = std::move(s), done = std::move(done)](std::string reply) mutable {
    auto& io = pool_.at(s->conn() % pool_.size());
    boost::asio::post(io, [this, s = std::move(s), done = std::move(done),
                           reply = std::move(reply)] { answer_poll(*s, reply, done); });
  };
  runner_.post(
      {chat::Polled{0, conn, std::move(username), std::move(in)}, nullptr, std::move(on_reply)});
}

// `reply` is the room's answer to the Polled event (event.hpp).
void Server::answer_poll(PollSession& s, const std::string& reply, const PollDone& done) {
  if (reply.empty()) {
    // Not that user: a stale or mistaken request changes nothing, unless
    // the session had been signed off.
    if (!s.closed()) return done({.expired = true});
    end_poll(s);
    return done({.expired = true, .messages = s.drain()});
  }
  const auto name = reply.substr(1);
  if (name.empty()) {  // the login failed, or the request signed it off
    end_poll(s);
    return done({.messages = s.drain()});
  }
  s.touch(steady_ms());
  done({.username = name, .session_id = s.id(), .messages = s.drain()});
}

void Server::end_poll(PollSession& s) {
  if (!polls_.remove(s.id())) return;
  runner_.remove_poll(s.conn());
  runner_.post({chat::Disconnected{s.conn()}});
}

void Server::sweep_polls() {
  poll_sweep_.expires_after(std::chrono::milliseconds(options_.poll_timeout_ms / 6));
  poll_sweep_.async_wait([this](boost::system::error_code ec) {
    if (ec) return;
    for (const auto& s : polls_.take_idle(steady_ms() - options_.poll_timeout_ms)) {
      runner_.remove_poll(s->conn());
      runner_.post({chat::Disconnected{s->conn(), true}});
    }
    sweep_polls();
  });
}

}  // namespace app
