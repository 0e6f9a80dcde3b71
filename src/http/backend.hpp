// What the HTTP handlers need from the rest of the server.
#pragma once

#include <functional>
#include <memory>
#include <string>
#include <vector>

#include "auth/claims.hpp"
#include "chat/event.hpp"
#include "config/settings.hpp"
#include "hooks/webhook_client.hpp"
#include "protocol/frame.hpp"
#include "store/history_store.hpp"

namespace http {

// What a polling client's request comes to (polling.md §2).
struct PollAnswer {
  // The session is unknown, or over: the authentication-expired answer.
  bool expired = false;
  // Set when the request could not be taken at all (503, this text).
  std::string unavailable;
  // Both empty when there is no session (a failed login).
  std::string username;
  std::string session_id;
  std::vector<protocol::Frame> messages;  // what waited for the client, oldest first
};

class Backend {
 public:
  virtual ~Backend() = default;
  virtual std::shared_ptr<const config::Settings> settings() const = 0;
  virtual int64_t now_seconds() const = 0;
  // The room answers with the /api/statistics body.
  virtual void statistics(std::function<void(std::string)> reply) = 0;
  virtual void cache_blocklist(std::string username, std::vector<std::string> blocklist) = 0;
  // The room answers with the cached blocklist as a JSON array.
  virtual void cached_blocklist(std::string username, std::function<void(std::string)> reply) = 0;
  // Tell everyone, then exit (status 1) about two seconds later, whatever
  // state the room is in.
  virtual void shutdown() = 0;
  // The room answers with the response body.
  virtual void block_now(std::vector<std::string> usernames,
                         std::function<void(std::string)> reply) = 0;
  virtual void disconnect_now(std::vector<std::string> usernames, std::string message, bool kick,
                              std::function<void(std::string)> reply) = 0;
  // The room answers with the response body, or "" when the user is not online.
  virtual void amend_jwt(std::string username, auth::Claims claims,
                         std::function<void(std::string)> reply) = 0;
  // Posts to a webhook from the server's webhook worker; `done` runs there.
  virtual void post_webhook(std::string url, std::string body, hooks::WebhookClient::Done done) = 0;
  // The DM history database; nullptr when it is not enabled or not open.
  virtual store::HistoryStore* history() = 0;
  // Whether a user of that name is signed in (answered by the room).
  virtual void user_online(std::string username, std::function<void(bool)> answer) = 0;
  // A request of the polling API: a login when `session_id` is empty. `done`
  // is called once, on an I/O thread.
  virtual void poll(std::string username, std::string session_id, chat::Inbound in,
                    std::function<void(PollAnswer)> done) = 0;

  // /metrics: this node's counters, in the Prometheus text format.
  virtual std::string metrics() = 0;
  // /healthz: whether this node can serve the room now; `detail` is a JSON
  // object saying so.
  struct Health {
    bool ok = true;
    std::string detail;
  };
  virtual Health health() = 0;
};

}  // namespace http
