// Reports to the website's `report` webhook (webhooks.md §2): a user's own
// `report` action, and the automatic ones of the message filters, the DM
// link-spam protection and /nsfw. The room only decides what to send; the
// server posts it from a worker and, for a user's report, comes back with a
// ReportSent event.
#include "chat/room.hpp"
#include "chat/texts.hpp"
#include "util/local_time.hpp"
#include "util/text.hpp"

namespace chat {
namespace {

// A user with this many reports on their way is asked to wait, so that one
// user cannot fill the webhook queue that everybody's reports go through.
constexpr int kMaxPendingReports = 3;
// What a report carries of each text a user wrote: a frame may be 40 MiB,
// and the website's report form has no use for more than this.
constexpr size_t kMaxFieldBytes = 64 << 10;

std::string capped(std::string_view text) {
  return std::string(util::cut_utf8(text, kMaxFieldBytes));
}

}  // namespace

std::string Room::context_key(std::string_view username, const std::string& channel) {
  if (channel.starts_with('@')) return RecentContext::dm_key(username, channel.substr(1));
  return channel;
}

void Room::remember_line(const Connection& c, const std::string& channel, std::string_view raw) {
  if (!channel.starts_with('@') && !settings_->find_channel(channel)) return;
  context_.add(context_key(c.username, channel), now_seconds(), c.username, raw);
}

bool Room::report_webhook_enabled() const {
  return settings_->enabled_webhook("report") != nullptr;
}

void Room::on_report(Connection& c, const protocol::ClientMessage& m) {
  if (!report_webhook_enabled()) return notice(c.id, text::kReportWebhookOff);
  if (c.reports_pending >= kMaxPendingReports) return notice(c.id, text::kReportsPending);
  std::string message = capped(m.message);
  if (m.channel.starts_with('@')) {
    message += "\n\nRecent message context:\n\n";
    message += context_.text(RecentContext::dm_key(c.username, m.username));
  }
  ++c.reports_pending;
  out_.reports.push_back({.from_username = c.username,
                          .about_username = capped(m.username),
                          .channel = capped(m.channel),
                          .timestamp = capped(m.timestamp),
                          .reason = capped(m.reason),
                          .message = std::move(message),
                          .comment = capped(m.comment),
                          .reporter = c.id,
                          .cause = c.id});
}

void Room::on(const ReportSent& e) {
  auto it = conns_.find(e.conn);
  if (it == conns_.end()) return;
  if (it->second.reports_pending > 0) --it->second.reports_pending;
  if (e.error.empty()) return notice(e.conn, text::kReportDelivered);
  notice(e.conn, "Error sending the report to the website: " + e.error);
}

// The sender is not an operator (operators are only told, by the caller).
// A user who keeps tripping a filter is reported a few times, not once per
// message, so that they cannot fill the webhook queue everybody shares.
void Room::report_filter_hit(Connection& c, const std::string& channel, std::string_view raw) {
  if (!report_webhook_enabled()) return;
  if (c.auto_report_tokens.available(now_ms_) < 1) return;
  c.auto_report_tokens.take(1);
  out_.reports.push_back({.from_username = c.username,
                          .about_username = c.username,
                          .channel = channel,
                          .timestamp = util::rfc1123_local(now_seconds()),
                          .reason = "Server Side Message Filter",
                          .message = std::string(raw),
                          .comment = std::string(text::kFilterReportComment) +
                                     context_.text(context_key(c.username, channel)),
                          .cause = c.id});
}

void Room::report_link_spam(const Connection& c, const std::string& target, std::string_view raw,
                            bool banned) {
  if (!report_webhook_enabled()) return;
  out_.reports.push_back(
      {.from_username = c.username,
       .about_username = c.username,
       .channel = "@" + target,
       .timestamp = util::rfc3339_local(now_seconds()),
       .reason = "Spam Detected",
       .message = "_In a DM to:_ @" + target + "<br>[" + c.username + "] " + capped(raw),
       .comment = banned ? "The user was **banned** from chat."
                         : "The user was **kicked** from the room with a warning.",
       .cause = c.id});
}

void Room::report_nsfw(const Connection& op, const Connection& target) {
  if (!report_webhook_enabled()) return;
  out_.reports.push_back({.from_username = op.username,
                          .about_username = target.username,
                          .channel = "n/a",
                          .timestamp = util::rfc3339_local(now_seconds()),
                          .reason = "NSFW Command Issued",
                          .message = "An admin command was issued: @" + op.username + " marks @" +
                                     target.username + "'s camera as NSFW",
                          .comment = "An admin has marked their webcam as explicit.",
                          .cause = op.id});
}

}  // namespace chat
