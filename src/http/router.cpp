#include "http/router.hpp"

#include <spdlog/spdlog.h>

#include <cctype>

#include "auth/jwt.hpp"
#include "http/chat_page.hpp"
#include "http/cors.hpp"
#include "http/responses.hpp"
#include "http/static_handler.hpp"
#include "util/text.hpp"

namespace http {
namespace {

std::string percent_decode(std::string_view s) {
  std::string out;
  for (size_t i = 0; i < s.size(); ++i) {
    if (s[i] == '+') {
      out += ' ';
    } else if (s[i] == '%' && i + 2 < s.size() && util::hex_digit(s[i + 1]) >= 0 &&
               util::hex_digit(s[i + 2]) >= 0) {
      out += static_cast<char>(util::hex_digit(s[i + 1]) * 16 + util::hex_digit(s[i + 2]));
      i += 2;
    } else {
      out += s[i];
    }
  }
  return out;
}

// The visitor's IP for the log: X-Real-IP, else the first X-Forwarded-For
// entry, when the settings say a proxy sets them.
std::string visitor_ip(const net::Request& req, const std::string& remote, bool use_forwarded) {
  if (!use_forwarded) return remote;
  if (auto real = req["X-Real-IP"]; !real.empty()) return std::string(real);
  auto fwd = std::string_view(req["X-Forwarded-For"]);
  fwd = fwd.substr(0, fwd.find(','));
  while (!fwd.empty() && fwd.front() == ' ') fwd.remove_prefix(1);
  while (!fwd.empty() && fwd.back() == ' ') fwd.remove_suffix(1);
  return fwd.empty() ? remote : std::string(fwd);
}

// The file's ETag without its quotes, shortened: enough to tell builds apart.
std::string asset_version(const StaticFiles& web, std::string_view key) {
  const auto* f = web.find(key);
  if (!f) return {};
  std::string v;
  for (char c : f->plain.etag) {
    if (std::isalnum(static_cast<unsigned char>(c))) v += c;
  }
  return v.substr(0, 16);
}

}  // namespace

std::string form_value(std::string_view query, std::string_view name) {
  while (!query.empty()) {
    auto amp = query.find('&');
    auto pair = query.substr(0, amp);
    auto eq = pair.find('=');
    if (percent_decode(pair.substr(0, eq)) == name) {
      return eq == pair.npos ? std::string() : percent_decode(pair.substr(eq + 1));
    }
    if (amp == query.npos) break;
    query.remove_prefix(amp + 1);
  }
  return {};
}

Router::Router(Backend& backend, std::shared_ptr<const StaticFiles> web)
    : backend_(backend),
      admin_(backend),
      user_(backend),
      history_(backend),
      poll_(backend),
      web_(web ? std::move(web) : std::make_shared<const StaticFiles>()),
      assets_{.script = asset_version(*web_, "static/app.js"),
              .stylesheet = asset_version(*web_, "static/app.css")} {}

void Router::handle(net::Request req, const std::string& remote_ip, net::Respond respond) {
  const auto target = std::string_view(req.target());
  const auto path = target.substr(0, target.find('?'));
  const auto settings = backend_.settings();
  if (path.starts_with("/api/")) {
    if (req.method() == bhttp::verb::options && path != "/api/statistics") {
      return respond(preflight(req, *settings));
    }
    // Every API answer carries the CORS headers its Origin is entitled to.
    respond = [head = request_head(req), settings, respond = std::move(respond)](net::Response r) {
      apply_cors(head, r, *settings);
      respond(std::move(r));
    };
  }
  if (path == "/api/statistics") return statistics(req, respond);
  if (path == "/api/authenticate" || path == "/api/authentication") {
    return admin_.authenticate(req, respond);
  }
  if (path == "/api/shutdown") return admin_.shutdown(req, respond);
  if (path == "/api/blocklist") return admin_.blocklist(req, respond);
  if (path == "/api/block/now") return admin_.block_now(req, respond);
  if (path == "/api/disconnect/now") return admin_.disconnect_now(req, respond);
  if (path == "/api/amend-jwt") return admin_.amend_jwt(req, respond);
  if (path == "/api/profile") return user_.profile(req, respond);
  if (path == "/api/message/history") return history_.history(req, respond);
  if (path == "/api/message/usernames") return history_.usernames(req, respond);
  if (path == "/api/message/clear") return history_.clear(req, respond);
  if (path == "/poll") return poll_.poll(req, respond);
  if (path == "/ws") {
    return respond(
        text_response(req, bhttp::status::upgrade_required,
                      "This is the WebSocket endpoint: connect with a WebSocket client.\n"));
  }
  if (path == "/about") {
    return respond(html_response(req, render_about_page(*settings, req[bhttp::field::host])));
  }
  if (path == "/logout") return respond(html_response(req, render_logout_page()));
  if (path == "/metrics") return respond(metrics_response(req, backend_.metrics()));
  if (path == "/healthz") {
    auto h = backend_.health();
    auto res = json_response(req, h.ok ? bhttp::status::ok : bhttp::status::service_unavailable,
                             std::move(h.detail));
    res.set(bhttp::field::cache_control, "no-store");
    return respond(std::move(res));
  }
  // Before the catch-all: a missing file is a 404, not a chat page.
  if (path.starts_with("/static/") || path == "/favicon.ico") {
    return static_file(req, path, respond);
  }
  spdlog::info("{} {} [{}] {}", std::string(req.method_string()), std::string(path),
               visitor_ip(req, remote_ip, settings->use_x_forwarded_for),
               std::string(req[bhttp::field::user_agent]));
  chat_page(req, respond);
}

void Router::statistics(const net::Request& req, const net::Respond& respond) {
  backend_.statistics([head = request_head(req), respond](std::string body) {
    respond(json_response(head, bhttp::status::ok, std::move(body)));
  });
}

void Router::static_file(const net::Request& req, std::string_view path,
                         const net::Respond& respond) {
  const StaticFile* file = nullptr;
  if (path == "/favicon.ico") {
    file = web_->find("favicon.ico");
  } else if (auto key = static_key(path.substr(std::string_view("/static/").size()))) {
    file = web_->find(*key);
  }
  respond(serve_static(req, file));
}

void Router::chat_page(const net::Request& req, const net::Respond& respond) {
  const auto settings = backend_.settings();
  const auto target = std::string_view(req.target());
  const auto q = target.find('?');
  std::string token;
  if (req.method() == bhttp::verb::post && std::string_view(req[bhttp::field::content_type])
                                               .starts_with("application/x-www-form-urlencoded")) {
    token = form_value(req.body(), "jwt");  // a body field wins over the query string
  }
  if (token.empty() && q != target.npos) token = form_value(target.substr(q + 1), "jwt");

  PageVisitor visitor{.token = token};
  if (!token.empty()) {
    auto claims = auth::verify_jwt(token, settings->jwt.secret_key, backend_.now_seconds());
    if (!claims) {
      return respond(text_response(req, bhttp::status::forbidden,
                                   "Error parsing your JWT token: " + claims.error()));
    }
    visitor.claims = std::move(*claims);
  }
  if (settings->jwt.enabled && settings->jwt.strict && !visitor.claims) {
    if (!settings->jwt.landing_page_url.empty()) {
      net::Response res{bhttp::status::found, req.version()};
      res.set(bhttp::field::location, settings->jwt.landing_page_url);
      res.keep_alive(req.keep_alive());
      res.prepare_payload();
      return respond(std::move(res));
    }
    return respond(text_response(req, bhttp::status::forbidden,
                                 "Authentication denied. Please go back and try again."));
  }
  // The cached blocklist is looked up for a signed-in visitor only.
  const std::optional<std::string> sub =
      visitor.claims ? std::optional(visitor.claims->sub) : std::nullopt;
  auto render = [head = request_head(req), settings, respond, visitor = std::move(visitor),
                 assets = assets_](std::string blocklist) mutable {
    visitor.cached_blocklist = std::move(blocklist);
    respond(html_response(head, render_chat_page(*settings, visitor, random_cache_hash(), assets)));
  };
  if (!sub) return render("[]");
  backend_.cached_blocklist(*sub, std::move(render));
}

}  // namespace http
