#include "app/server.hpp"

#include <spdlog/spdlog.h>

#include <cstdlib>
#include <mutex>
#include <thread>

#include <boost/asio/post.hpp>

#include "chat/inbound.hpp"
#include "config/reload.hpp"

namespace app {

namespace {
constexpr auto kShutdownDelay = std::chrono::seconds(2);
// The original's exit status after /api/shutdown: a supervisor with
// Restart=on-failure brings the server back.
constexpr int kShutdownStatus = 1;
// Exits after a delay that lets the clients' notices go out; independent of
// the room and the I/O loops, so a stuck server still exits.
void exit_soon() {
  static std::once_flag once;
  std::call_once(once, [] {
    std::thread([] {
      std::this_thread::sleep_for(kShutdownDelay);
      spdlog::default_logger()->flush();
      std::_Exit(kShutdownStatus);
    }).detach();
  });
}

}  // namespace

Server::Server(config::SettingsStore& settings, ServerOptions options)
    : settings_(settings),
      options_(std::move(options)),
      started_at_ms_(unix_ms()),
      pool_(options_.io_threads),
      poll_sweep_(pool_.at(0)),
      runner_(settings,
              {.started_at_ms = started_at_ms_, .presence_quiet_ms = options_.presence_quiet_ms},
              {.shutdown =
                   [] {
                     spdlog::warn("the room is going down: exiting in {} s",
                                  kShutdownDelay.count());
                     exit_soon();
                   },
               .reload = [this](chat::ConnId op) { reload_for(op); },
               .report = [this](chat::Report r) { send_report(std::move(r)); }}),
      router_(*this, options_.web_files),
      handlers_{.http = router_, .ws = *this, .ws_limits = [this] { return ws_limits(); }} {
  listener_ =
      std::make_unique<net::Listener>(pool_, net::parse_address(options_.address), handlers_);
  open_ban_store();
  open_history_store();
  runner_.use_chat_logs(chat_logs_);
  runner_.use_pictures(pictures_);
}

// Bans survive a restart in the database of the DM history (whether or not
// that is enabled). Without it the server still runs, bans in memory only.
void Server::open_ban_store() {
  const auto path = settings_.get()->direct_message_history.sqlite_database;
  try {
    ban_store_ = std::make_unique<store::BanStore>(path);
    runner_.use_ban_store(*ban_store_, unix_ms());
  } catch (const std::exception& e) {
    ban_store_.reset();
    spdlog::error("{}: bans will not survive a restart", e.what());
  }
}

// [DirectMessageHistory] Enabled is read once, at start-up, as the original
// does. A database that cannot be opened is logged; the history API then
// says it is not initialized.
void Server::open_history_store() {
  const auto& h = settings_.get()->direct_message_history;
  if (!h.enabled) return;
  try {
    history_store_ = std::make_unique<store::HistoryStore>(h.sqlite_database, h.retention_days,
                                                           unix_ms() / 1000);
    runner_.use_history_store(*history_store_);
  } catch (const std::exception& e) {
    history_store_.reset();
    spdlog::error("{}: DMs will not be kept", e.what());
  }
}

void Server::user_online(std::string username, std::function<void(bool)> answer) {
  runner_.post({chat::OnlineQuery{0, std::move(username)}, nullptr,
                [answer = std::move(answer)](std::string reply) { answer(!reply.empty()); }});
}

Server::~Server() {
  stop();
}

void Server::start() {
  if (settings_.get()->cluster.enabled) join_cluster();
  runner_.start();
  sweep_polls();
  listener_->start();
  pool_.start();
}

void Server::stop() {
  pool_.stop();
  runner_.stop();
  if (event_log_) event_log_->leave(unix_ms());
  webhooks_.stop();
}

std::string Server::local_address() const {
  auto ep = listener_->local_endpoint();
  return ep.address().to_string() + ":" + std::to_string(ep.port());
}

net::WsLimits Server::ws_limits() const {
  const auto s = settings_.get();
  net::WsLimits limits;
  limits.max_message = static_cast<uint64_t>(std::max<int64_t>(s->websocket_read_limit, 1024));
  limits.send_timeout = std::chrono::seconds(std::max<int64_t>(s->websocket_send_timeout, 1));
  // Room for a few of the largest messages a client may send.
  limits.outbox_bytes = std::max<size_t>(16 << 20, 2 * limits.max_message);
  limits.traffic = &traffic_;
  return limits;
}

int64_t Server::now_seconds() const {
  return unix_ms() / 1000;
}

void Server::on_open(const std::shared_ptr<net::WsSession>& s) {
  runner_.add_session(s);
  runner_.post({chat::Connected{s->id()}});
}

void Server::on_text(const std::shared_ptr<net::WsSession>& s, std::string_view text) {
  auto in = chat::prepare_inbound(text, *settings_.get(), now_seconds());
  runner_.post({chat::Received{s->id(), std::move(in)}, s});
}

void Server::on_binary(const std::shared_ptr<net::WsSession>& s) {
  chat::Inbound in;
  in.error = "Binary WebSocket messages are not supported: send JSON text messages.";
  runner_.post({chat::Received{s->id(), std::move(in)}});
}

void Server::on_close(const std::shared_ptr<net::WsSession>& s) {
  runner_.remove_session(s->id());
  runner_.post({chat::Disconnected{s->id()}});
}

void Server::statistics(std::function<void(std::string)> reply) {
  runner_.post({chat::StatisticsQuery{}, nullptr, std::move(reply)});
}

void Server::cache_blocklist(std::string username, std::vector<std::string> blocklist) {
  runner_.post({chat::CacheBlocklist{std::move(username), std::move(blocklist)}});
}

void Server::cached_blocklist(std::string username, std::function<void(std::string)> reply) {
  runner_.post({chat::BlocklistQuery{0, std::move(username)}, nullptr, std::move(reply)});
}

void Server::block_now(std::vector<std::string> usernames, std::function<void(std::string)> reply) {
  runner_.post({chat::BlockNow{0, std::move(usernames)}, nullptr, std::move(reply)});
}

void Server::disconnect_now(std::vector<std::string> usernames, std::string message, bool kick,
                            std::function<void(std::string)> reply) {
  runner_.post({chat::DisconnectNow{0, std::move(usernames), std::move(message), kick}, nullptr,
                std::move(reply)});
}

void Server::amend_jwt(std::string username, auth::Claims claims,
                       std::function<void(std::string)> reply) {
  runner_.post(
      {chat::AmendJwt{0, std::move(username), std::move(claims)}, nullptr, std::move(reply)});
}

std::expected<void, std::string> Server::reload() {
  auto done = config::reload_settings(settings_, options_.settings_path);
  if (done) {
    spdlog::info("{} reloaded", options_.settings_path);
  } else {
    spdlog::error("reloading {}: {} (the settings in force are kept)", options_.settings_path,
                  done.error());
  }
  return done;
}

// Read on an I/O thread, not the room's; the answer goes back as an event.
void Server::reload_for(chat::ConnId op) {
  boost::asio::post(pool_.at(0), [this, op] {
    auto done = reload();
    if (op != 0) runner_.post({chat::ReloadDone{op, done ? std::string() : done.error()}});
  });
}

void Server::shutdown() {
  spdlog::warn("shutdown requested through the API: exiting in {} s", kShutdownDelay.count());
  runner_.post({chat::Shutdown{}});
  exit_soon();  // even if the room is stuck
}

}  // namespace app
