// The settings.toml model: every key of the original's file, with its defaults.
// A Settings value is immutable once published; readers share it through
// std::shared_ptr<const Settings> so a reload can swap it atomically.
#pragma once

#include <cstdint>
#include <string>
#include <vector>

namespace config {

// The format version the original writes; a file with another version is
// upgraded (re-saved with every key) on load.
inline constexpr int kCurrentVersion = 17;

struct JwtSettings {
  bool enabled = false;
  bool strict = true;
  std::string secret_key;
  std::string landing_page_url;
};

struct TurnSettings {
  std::vector<std::string> urls{"stun:stun.l.google.com:19302"};
  std::string username;
  std::string credential;
};

struct Channel {
  std::string id;
  std::string name;
  std::string icon;
  bool vip = false;
  bool permit_photos = false;
  std::vector<std::string> welcome_messages;
  int64_t echo_messages_on_join = 0;
};

struct WebhookUrl {
  std::string name;
  bool enabled = false;
  std::string url;
};

struct VipSettings {
  std::string name = "VIP";
  std::string branding = "<em>VIP Members</em>";
  std::string icon = "fa fa-circle";
  bool mutually_secret = false;
};

struct MessageFilter {
  bool enabled = false;
  bool public_channels = true;
  bool private_channels = true;
  std::vector<std::string> keyword_phrases;
  bool censor_message = true;
  bool forward_message = false;
  bool report_message = false;
  std::string chat_server_response = "Watch your language.";
};

struct ModerationRule {
  std::string username;
  bool camera_always_nsfw = false;
  bool no_broadcast = false;
  bool no_video = false;
  bool no_image = false;
  bool no_dark_video = false;
};

struct DirectMessageHistory {
  bool enabled = false;
  std::string sqlite_database = "database.sqlite";
  int64_t retention_days = 90;
  std::string disclaimer_message;
};

struct DmLinkSpamProtection {
  bool enabled = true;
  int64_t max_threads = 5;
  int64_t time_limit_seconds = 3600;
  int64_t ban_hours = 24;
};

struct Strings {
  std::string mod_rule_error_camera_always_nsfw;
  std::string mod_rule_error_no_broadcast;
  std::string mod_rule_error_no_video;
  std::string mod_rule_error_no_image;
};

struct LoggingSettings {
  bool enabled = false;
  std::string directory = "./logs";
  std::vector<std::string> channels{"lobby", "offtopic"};
  std::vector<std::string> usernames;
};

// Ours: several servers serving one room through Redis (README "Cluster").
// Read once, at start-up.
struct ClusterSettings {
  bool enabled = false;
  std::string redis_url = "redis://127.0.0.1:6379/0";
  std::string node_name;                // empty: the host name and the listening port
  std::string room = "barertc";         // Redis key prefix: the nodes of one room share it
  int64_t stream_max_length = 100'000;  // event-log entries kept in Redis
  int64_t stream_max_age = 600;         // seconds an entry is kept (0: no age limit)
  int64_t heartbeat_timeout = 5;        // seconds without a heartbeat before a node is gone
};

struct Settings {
  int64_t version = kCurrentVersion;
  std::string title = "BareRTC";
  std::string branding = "BareRTC";
  std::string website_url = "https://www.example.com";
  std::vector<std::string> cors_hosts{"https://www.example.com"};
  std::string admin_api_key;
  bool permit_nsfw = false;
  bool blockable_admins = false;
  bool use_x_forwarded_for = false;
  int64_t websocket_read_limit = 41943040;
  int64_t websocket_send_timeout = 10;
  int64_t max_image_width = 1280;
  int64_t preview_image_width = 360;
  // Ours: full who lists to clients of the original protocol stay within this
  // many bytes per second in all (0: no limit). Clients that ask for who-list
  // deltas are not limited.
  int64_t who_list_bytes_per_second = 100'000'000;

  JwtSettings jwt;
  TurnSettings turn;
  std::vector<Channel> public_channels;
  std::vector<WebhookUrl> webhook_urls;
  VipSettings vip;
  std::vector<MessageFilter> message_filters;
  std::vector<ModerationRule> moderation_rules;
  DirectMessageHistory direct_message_history;
  DmLinkSpamProtection dm_link_spam_protection;
  Strings strings;
  LoggingSettings logging;
  ClusterSettings cluster;

  const Channel* find_channel(std::string_view id) const;
  // The first [[WebhookURLs]] entry with this name, if it is enabled.
  const WebhookUrl* enabled_webhook(std::string_view name) const;
};

// The built-in defaults (English texts), with the given admin API key.
Settings default_settings(std::string admin_api_key);

// A fresh random UUIDv4 in lower case, as the original generates for AdminAPIKey.
std::string random_uuid();

}  // namespace config
