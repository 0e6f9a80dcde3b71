// The server's side of the website's webhooks: reports from the room, and
// posts for the HTTP API (/api/profile).
#include <spdlog/spdlog.h>

#include "app/server.hpp"
#include "hooks/webhook_bodies.hpp"

namespace app {
namespace {

// Enough of the website's answer to see what went wrong, in one log line.
std::string_view log_excerpt(std::string_view body) {
  return body.substr(0, 300);
}

}  // namespace

void Server::send_report(chat::Report r) {
  const auto s = settings_.get();
  const auto* hook = s->enabled_webhook("report");
  const auto reporter = r.reporter;
  auto answer = [this, reporter](std::string error) {
    if (reporter) runner_.post({chat::ReportSent{*reporter, std::move(error)}});
  };
  if (!hook) {  // turned off by a reload since the room decided to send it
    spdlog::warn("report about {}: the report webhook is not enabled", r.about_username);
    return answer("the report webhook is not enabled");
  }
  auto body = hooks::report_body(s->admin_api_key, r);
  webhooks_.post(hook->url, std::move(body),
                 [about = std::move(r.about_username), reason = std::move(r.reason),
                  answer = std::move(answer)](hooks::WebhookResponse res) {
                   if (res.ok()) {
                     spdlog::info("report about {} ({}) delivered", about, reason);
                   } else if (!res.error.empty()) {
                     spdlog::warn("report about {} ({}): {}", about, reason, res.detail);
                   } else {
                     spdlog::warn(
                         "report about {} ({}): unexpected response from the webhook "
                         "(code {}): {}",
                         about, reason, res.status, log_excerpt(res.body));
                   }
                   answer(res.ok() ? std::string() : res.failure());
                 });
}

void Server::post_webhook(std::string url, std::string body, hooks::WebhookClient::Done done) {
  webhooks_.post(std::move(url), std::move(body), std::move(done));
}

}  // namespace app
