// settings.toml output in the original's style: keys in struct order, literal
// strings unless the text needs escapes, a blank line before every table.
#include <cstdio>
#include <string>

#include "config/loader.hpp"

namespace config {
namespace {

bool needs_basic_string(std::string_view s) {
  for (unsigned char c : s) {
    if (c == '\'' || c < 0x20 || c == 0x7f) return true;
  }
  return false;
}

std::string quote(std::string_view s) {
  if (!needs_basic_string(s)) return "'" + std::string(s) + "'";
  std::string out = "\"";
  for (unsigned char c : s) {
    switch (c) {
      case '"':
        out += "\\\"";
        break;
      case '\\':
        out += "\\\\";
        break;
      case '\n':
        out += "\\n";
        break;
      case '\r':
        out += "\\r";
        break;
      case '\t':
        out += "\\t";
        break;
      default:
        if (c < 0x20 || c == 0x7f) {
          char buf[8];
          std::snprintf(buf, sizeof buf, "\\u%04X", c);
          out += buf;
        } else {
          out += static_cast<char>(c);
        }
    }
  }
  return out + "\"";
}

class Writer {
 public:
  void comment(std::string_view text) { out_ += "# " + std::string(text) + "\n"; }
  void header(std::string_view name) { out_ += "\n[" + std::string(name) + "]\n"; }
  void array_header(std::string_view name) { out_ += "\n[[" + std::string(name) + "]]\n"; }
  void kv(std::string_view key, std::string_view v) { line(key, quote(v)); }
  void kv(std::string_view key, const char* v) { line(key, quote(v)); }
  void kv(std::string_view key, bool v) { line(key, v ? "true" : "false"); }
  void kv(std::string_view key, int64_t v) { line(key, std::to_string(v)); }
  void kv(std::string_view key, const std::vector<std::string>& v) {
    std::string s = "[";
    for (size_t i = 0; i < v.size(); ++i) s += (i ? ", " : "") + quote(v[i]);
    line(key, s + "]");
  }
  std::string take() { return std::move(out_); }

 private:
  void line(std::string_view key, std::string_view value) {
    out_ += std::string(key) + " = " + std::string(value) + "\n";
  }
  std::string out_;
};

void write_top_level(Writer& w, const Settings& s) {
  w.comment("Version of this file's format, managed by the server: do not edit.");
  w.kv("Version", s.version);
  w.comment("The chat room's title (plain text).");
  w.kv("Title", s.title);
  w.comment("The logo shown top-left in the page: plain text or HTML.");
  w.kv("Branding", s.branding);
  w.comment("Your main website, which relative avatar and profile URLs are resolved against.");
  w.kv("WebsiteURL", s.website_url);
  w.kv("CORSHosts", s.cors_hosts);
  w.kv("AdminAPIKey", s.admin_api_key);
  w.kv("PermitNSFW", s.permit_nsfw);
  w.kv("BlockableAdmins", s.blockable_admins);
  w.kv("UseXForwardedFor", s.use_x_forwarded_for);
  w.kv("WebSocketReadLimit", s.websocket_read_limit);
  w.kv("WebSocketSendTimeout", s.websocket_send_timeout);
  w.kv("MaxImageWidth", s.max_image_width);
  w.kv("PreviewImageWidth", s.preview_image_width);
  w.comment("Ours: who lists to clients of the original protocol, bytes per second in all");
  w.comment("(0: no limit); clients that ask for who-list deltas are not limited.");
  w.kv("WhoListBytesPerSecond", s.who_list_bytes_per_second);
}

void write_channels(Writer& w, const Settings& s) {
  for (const auto& c : s.public_channels) {
    w.array_header("PublicChannels");
    w.kv("ID", c.id);
    w.kv("Name", c.name);
    if (!c.icon.empty()) w.kv("Icon", c.icon);
    w.kv("VIP", c.vip);
    w.kv("PermitPhotos", c.permit_photos);
    w.kv("WelcomeMessages", c.welcome_messages);
    w.kv("EchoMessagesOnJoin", c.echo_messages_on_join);
  }
  for (const auto& h : s.webhook_urls) {
    w.array_header("WebhookURLs");
    w.kv("Name", h.name);
    w.kv("Enabled", h.enabled);
    w.kv("URL", h.url);
  }
}

void write_moderation(Writer& w, const Settings& s) {
  for (const auto& f : s.message_filters) {
    w.array_header("MessageFilters");
    w.kv("Enabled", f.enabled);
    w.kv("PublicChannels", f.public_channels);
    w.kv("PrivateChannels", f.private_channels);
    w.kv("KeywordPhrases", f.keyword_phrases);
    w.kv("CensorMessage", f.censor_message);
    w.kv("ForwardMessage", f.forward_message);
    w.kv("ReportMessage", f.report_message);
    w.kv("ChatServerResponse", f.chat_server_response);
  }
  for (const auto& r : s.moderation_rules) {
    w.array_header("ModerationRule");
    w.kv("Username", r.username);
    w.kv("CameraAlwaysNSFW", r.camera_always_nsfw);
    w.kv("NoBroadcast", r.no_broadcast);
    w.kv("NoVideo", r.no_video);
    w.kv("NoImage", r.no_image);
    w.kv("NoDarkVideo", r.no_dark_video);
  }
}

void write_tail(Writer& w, const Settings& s) {
  const auto& d = s.direct_message_history;
  w.header("DirectMessageHistory");
  w.kv("Enabled", d.enabled);
  w.kv("SQLiteDatabase", d.sqlite_database);
  w.kv("RetentionDays", d.retention_days);
  w.kv("DisclaimerMessage", d.disclaimer_message);

  const auto& l = s.dm_link_spam_protection;
  w.header("DMLinkSpamProtection");
  w.comment("Kick (then ban) a user who pastes the same link into too many DM threads.");
  w.kv("Enabled", l.enabled);
  w.comment("How many different DM threads one link may be sent to.");
  w.kv("MaxThreads", l.max_threads);
  w.comment("The window, in seconds.");
  w.kv("TimeLimit", l.time_limit_seconds);
  w.comment("How long the ban lasts on a repeat offence, in hours.");
  w.kv("BanHours", l.ban_hours);

  w.header("Strings");
  w.kv("ModRuleErrorCameraAlwaysNSFW", s.strings.mod_rule_error_camera_always_nsfw);
  w.kv("ModRuleErrorNoBroadcast", s.strings.mod_rule_error_no_broadcast);
  w.kv("ModRuleErrorNoVideo", s.strings.mod_rule_error_no_video);
  w.kv("ModRuleErrorNoImage", s.strings.mod_rule_error_no_image);

  w.header("Logging");
  w.kv("Enabled", s.logging.enabled);
  w.kv("Directory", s.logging.directory);
  w.kv("Channels", s.logging.channels);
  w.kv("Usernames", s.logging.usernames);

  const auto& c = s.cluster;
  w.header("Cluster");
  w.comment("Several servers serving one room through Redis (see the README).");
  w.kv("Enabled", c.enabled);
  w.kv("RedisURL", c.redis_url);
  w.comment("This server's name in the cluster (empty: the host name and port).");
  w.kv("NodeName", c.node_name);
  w.comment("The Redis key prefix: servers with the same Room serve the same chat room.");
  w.kv("Room", c.room);
  w.comment("Event-log entries kept in Redis.");
  w.kv("StreamMaxLength", c.stream_max_length);
  w.comment("Seconds an event-log entry is kept in Redis at most (0: no limit but the length).");
  w.kv("StreamMaxAge", c.stream_max_age);
  w.comment("Seconds without a heartbeat before a server's users are signed out.");
  w.kv("HeartbeatTimeout", c.heartbeat_timeout);
}

}  // namespace

std::string to_toml(const Settings& s) {
  Writer w;
  write_top_level(w, s);

  w.header("JWT");
  w.kv("Enabled", s.jwt.enabled);
  w.kv("Strict", s.jwt.strict);
  w.kv("SecretKey", s.jwt.secret_key);
  w.kv("LandingPageURL", s.jwt.landing_page_url);

  w.header("TURN");
  w.comment("STUN/TURN servers handed to the browsers for WebRTC (they are public to visitors).");
  w.kv("URLs", s.turn.urls);
  w.kv("Username", s.turn.username);
  w.kv("Credential", s.turn.credential);

  write_channels(w, s);

  w.header("VIP");
  w.kv("Name", s.vip.name);
  w.kv("Branding", s.vip.branding);
  w.kv("Icon", s.vip.icon);
  w.kv("MutuallySecret", s.vip.mutually_secret);

  write_moderation(w, s);
  write_tail(w, s);
  return w.take();
}

}  // namespace config
