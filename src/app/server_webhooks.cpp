// The server's side of the website's webhooks: reports from the room, and
// posts for the HTTP API (/api/profile).
#include <spdlog/spdlog.h>

#include "app/server.hpp"
#include "hooks/webhook_bodies.hpp"
#include "util/text.hpp"

namespace app {

void Server::send_report(chat::Report r) {
  const auto s = settings_.get();
  const auto* hook = s->enabled_webhook("report");
  const auto reporter = r.reporter;
  auto answer = [this, reporter](std::string error) {
    if (reporter) runner_.post({chat::ReportSent{*reporter, std::move(error)}});
  };
  if (!hook) {  // turned off by a reload since the room decided to send it
    spdlog::warn("a report: the report webhook is not enabled");
    return answer("the report webhook is not enabled");
  }
  // For the log: what the user typed may be long.
  std::string about(util::cut_utf8(r.about_username, 100)), reason(util::cut_utf8(r.reason, 100));
  auto body = [key = s->admin_api_key, r = std::move(r)] { return hooks::report_body(key, r); };
  // The website's answer to a report is not read: only its status matters.
  webhooks_.post(
      hook->url, std::move(body),
      [about = std::move(about), reason = std::move(reason),
       answer = std::move(answer)](hooks::WebhookResponse res) {
        if (res.ok()) {
          spdlog::info("report about {} ({}) delivered", about, reason);
        } else if (!res.error.empty()) {
          spdlog::warn("report about {} ({}): {}", about, reason, res.detail);
        } else {
          spdlog::warn("report about {} ({}): unexpected response from the webhook (code {}): {}",
                       about, reason, res.status, res.body);
        }
        answer(res.ok() ? std::string() : res.failure());
      },
      hooks::WebhookClient::Answer::kIgnore);
}

void Server::post_webhook(std::string url, std::string body, hooks::WebhookClient::Done done) {
  webhooks_.post(std::move(url), std::move(body), std::move(done));
}

}  // namespace app
