// The whole server: I/O loops, the listener, the HTTP router and the room,
// wired together. It is the WebSocket handler (connections become room
// events) and the HTTP handlers' backend (API calls become room events).
#pragma once

#include <atomic>
#include <expected>
#include <memory>
#include <string>

#include <boost/asio/steady_timer.hpp>

#include "app/poll_sessions.hpp"
#include "app/room_runner.hpp"
#include "config/store.hpp"
#include "hooks/webhook_client.hpp"
#include "http/backend.hpp"
#include "http/router.hpp"
#include "http/static_files.hpp"
#include "net/listener.hpp"
#include "net/ws_handler.hpp"

namespace app {

struct ServerOptions {
  std::string address = ":9000";
  size_t io_threads = 1;
  int64_t presence_quiet_ms = 30'000;
  // A polling client that sends nothing for this long is signed out
  // (checked every sixth of it: 60-70 s by default, as the original).
  int64_t poll_timeout_ms = 60'000;
  std::string settings_path = "settings.toml";
  // The built web client, served at /static/ and /favicon.ico (null: none).
  std::shared_ptr<const http::StaticFiles> web_files;
};

class Server : public net::WsHandler, public http::Backend {
 public:
  Server(config::SettingsStore& settings, ServerOptions options);
  ~Server() override;

  void start();
  void stop();
  std::string local_address() const;
  // Reads the settings file again (SIGHUP); a broken file is logged and
  // changes nothing.
  std::expected<void, std::string> reload();

  // net::WsHandler
  void on_open(const std::shared_ptr<net::WsSession>& s) override;
  void on_text(const std::shared_ptr<net::WsSession>& s, std::string_view text) override;
  void on_binary(const std::shared_ptr<net::WsSession>& s) override;
  void on_close(const std::shared_ptr<net::WsSession>& s) override;

  // http::Backend
  std::shared_ptr<const config::Settings> settings() const override { return settings_.get(); }
  int64_t now_seconds() const override;
  void statistics(std::function<void(std::string)> reply) override;
  void cache_blocklist(std::string username, std::vector<std::string> blocklist) override;
  void cached_blocklist(std::string username, std::function<void(std::string)> reply) override;
  void shutdown() override;
  void block_now(std::vector<std::string> usernames,
                 std::function<void(std::string)> reply) override;
  void disconnect_now(std::vector<std::string> usernames, std::string message, bool kick,
                      std::function<void(std::string)> reply) override;
  void amend_jwt(std::string username, auth::Claims claims,
                 std::function<void(std::string)> reply) override;
  void post_webhook(std::string url, std::string body, hooks::WebhookClient::Done done) override;
  store::HistoryStore* history() override { return history_store_.get(); }
  void user_online(std::string username, std::function<void(bool)> answer) override;
  void poll(std::string username, std::string session_id, chat::Inbound in,
            std::function<void(http::PollAnswer)> done) override;
  std::string metrics() override;  // server_metrics.cpp, with health()
  Health health() override;

 private:
  net::WsLimits ws_limits() const;
  void open_ban_store();
  void open_history_store();
  void reload_for(chat::ConnId op);
  void join_cluster();               // server_cluster.cpp
  void send_report(chat::Report r);  // server_webhooks.cpp

  // The polling API's sessions (server_polling.cpp).
  using PollDone = std::function<void(http::PollAnswer)>;
  void poll_login(chat::Inbound in, PollDone done);
  void post_polled(std::shared_ptr<PollSession> s, std::string username, chat::Inbound in,
                   PollDone done);
  void answer_poll(PollSession& s, const std::string& reply, const PollDone& done);
  void end_poll(PollSession& s);
  void sweep_polls();

  config::SettingsStore& settings_;
  ServerOptions options_;
  const int64_t started_at_ms_;
  mutable net::Traffic traffic_;  // counted into by the sessions; before them
  std::atomic<uint64_t> poll_requests_{0};
  net::IoPool pool_;
  PollSessions polls_;
  boost::asio::steady_timer poll_sweep_;
  std::unique_ptr<store::BanStore> ban_store_;          // outlives the runner that writes to it
  std::unique_ptr<store::HistoryStore> history_store_;  // the same
  store::ChatLogWriter chat_logs_;                      // the same
  hooks::WebhookClient webhooks_;
  std::unique_ptr<cluster::EventLog> event_log_;  // [Cluster]: outlives the runner using it
  RoomRunner runner_;
  // After the runner: destroyed first, while the runner its answers go to is
  // still there (stopped: they are dropped).
  media::PictureWorker pictures_;
  http::Router router_;
  net::Handlers handlers_;
  std::unique_ptr<net::Listener> listener_;
};

}  // namespace app
