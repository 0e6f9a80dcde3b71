#include "config/loader.hpp"

#include <toml++/toml.h>

#include <fstream>
#include <sstream>
#include "config/filter_check.hpp"
#include "util/text.hpp"

namespace config {
namespace {

// Reads typed keys of one TOML table into fields, keeping a field's current
// value when its key is absent. Keys match case-insensitively, as the
// original's decoder does. The first type error is kept for the caller.
class Reader {
 public:
  Reader(const toml::table& t, std::string path, std::string& error)
      : table_(t), path_(std::move(path)), error_(error) {}

  const toml::node* find(std::string_view key) const {
    if (auto* n = table_.get(key)) return n;
    for (auto&& [k, v] : table_) {
      if (util::iequals(k.str(), key)) return &v;
    }
    return nullptr;
  }

  void read(std::string_view key, std::string& out) {
    if (auto* n = find(key)) {
      if (auto* s = n->as_string())
        out = s->get();
      else
        fail(key, "a string");
    }
  }
  void read(std::string_view key, bool& out) {
    if (auto* n = find(key)) {
      if (auto* b = n->as_boolean())
        out = b->get();
      else
        fail(key, "true or false");
    }
  }
  void read(std::string_view key, int64_t& out) {
    if (auto* n = find(key)) {
      if (auto* i = n->as_integer())
        out = i->get();
      else
        fail(key, "an integer");
    }
  }
  void read(std::string_view key, std::vector<std::string>& out) {
    auto* n = find(key);
    if (!n) return;
    auto* arr = n->as_array();
    if (!arr) return fail(key, "an array of strings");
    std::vector<std::string> v;
    for (auto& item : *arr) {
      auto* s = item.as_string();
      if (!s) return fail(key, "an array of strings");
      v.push_back(s->get());
    }
    out = std::move(v);
  }
  // A sub-table; nullptr when absent or of the wrong type (which is an error).
  const toml::table* table(std::string_view key) {
    auto* n = find(key);
    if (!n) return nullptr;
    if (auto* t = n->as_table()) return t;
    fail(key, "a table");
    return nullptr;
  }
  // An array of tables, read element by element with `fn(Reader&, T&)`.
  // Present in the file means it replaces the current list entirely.
  template <typename T, typename Fn>
  void read_tables(std::string_view key, std::vector<T>& out, Fn fn) {
    auto* n = find(key);
    if (!n) return;
    auto* arr = n->as_array();
    if (!arr) return fail(key, "an array of tables");
    std::vector<T> v;
    for (size_t i = 0; i < arr->size(); ++i) {
      auto* t = (*arr)[i].as_table();
      if (!t) return fail(key, "an array of tables");
      T item{};
      Reader r(*t, child(key) + "[" + std::to_string(i) + "]", error_);
      fn(r, item);
      v.push_back(std::move(item));
    }
    out = std::move(v);
  }
  std::string child(std::string_view key) const {
    return path_.empty() ? std::string(key) : path_ + "." + std::string(key);
  }

 private:
  void fail(std::string_view key, std::string_view expected) {
    if (error_.empty()) error_ = child(key) + ": expected " + std::string(expected);
  }

  const toml::table& table_;
  std::string path_;
  std::string& error_;
};

void read_top_level(Reader& r, Settings& s) {
  r.read("Version", s.version);
  r.read("Title", s.title);
  r.read("Branding", s.branding);
  r.read("WebsiteURL", s.website_url);
  r.read("CORSHosts", s.cors_hosts);
  r.read("AdminAPIKey", s.admin_api_key);
  r.read("PermitNSFW", s.permit_nsfw);
  r.read("BlockableAdmins", s.blockable_admins);
  r.read("UseXForwardedFor", s.use_x_forwarded_for);
  r.read("WebSocketReadLimit", s.websocket_read_limit);
  r.read("WebSocketSendTimeout", s.websocket_send_timeout);
  r.read("MaxImageWidth", s.max_image_width);
  r.read("PreviewImageWidth", s.preview_image_width);
  r.read("WhoListBytesPerSecond", s.who_list_bytes_per_second);
}

void read_channel(Reader& r, Channel& c) {
  r.read("ID", c.id);
  r.read("Name", c.name);
  r.read("Icon", c.icon);
  r.read("VIP", c.vip);
  r.read("PermitPhotos", c.permit_photos);
  r.read("WelcomeMessages", c.welcome_messages);
  r.read("EchoMessagesOnJoin", c.echo_messages_on_join);
}

void read_filter(Reader& r, MessageFilter& f) {
  r.read("Enabled", f.enabled);
  r.read("PublicChannels", f.public_channels);
  r.read("PrivateChannels", f.private_channels);
  r.read("KeywordPhrases", f.keyword_phrases);
  r.read("CensorMessage", f.censor_message);
  r.read("ForwardMessage", f.forward_message);
  r.read("ReportMessage", f.report_message);
  r.read("ChatServerResponse", f.chat_server_response);
}

void read_rule(Reader& r, ModerationRule& m) {
  r.read("Username", m.username);
  r.read("CameraAlwaysNSFW", m.camera_always_nsfw);
  r.read("NoBroadcast", m.no_broadcast);
  r.read("NoVideo", m.no_video);
  r.read("NoImage", m.no_image);
  r.read("NoDarkVideo", m.no_dark_video);
}

// Calls fn(Reader&) for a [Table] when the file has it.
template <typename Fn>
void with_table(Reader& r, std::string_view key, std::string& error, Fn fn) {
  if (auto* t = r.table(key)) {
    Reader sub(*t, r.child(key), error);
    fn(sub);
  }
}

void read_tables(Reader& r, Settings& s, std::string& error) {
  with_table(r, "JWT", error, [&](Reader& t) {
    t.read("Enabled", s.jwt.enabled);
    t.read("Strict", s.jwt.strict);
    t.read("SecretKey", s.jwt.secret_key);
    t.read("LandingPageURL", s.jwt.landing_page_url);
  });
  with_table(r, "TURN", error, [&](Reader& t) {
    t.read("URLs", s.turn.urls);
    t.read("Username", s.turn.username);
    t.read("Credential", s.turn.credential);
  });
  r.read_tables("PublicChannels", s.public_channels, read_channel);
  r.read_tables("WebhookURLs", s.webhook_urls, [](Reader& t, WebhookUrl& w) {
    t.read("Name", w.name);
    t.read("Enabled", w.enabled);
    t.read("URL", w.url);
  });
  with_table(r, "VIP", error, [&](Reader& t) {
    t.read("Name", s.vip.name);
    t.read("Branding", s.vip.branding);
    t.read("Icon", s.vip.icon);
    t.read("MutuallySecret", s.vip.mutually_secret);
  });
  r.read_tables("MessageFilters", s.message_filters, read_filter);
  r.read_tables("ModerationRule", s.moderation_rules, read_rule);
  with_table(r, "DirectMessageHistory", error, [&](Reader& t) {
    auto& d = s.direct_message_history;
    t.read("Enabled", d.enabled);
    t.read("SQLiteDatabase", d.sqlite_database);
    t.read("RetentionDays", d.retention_days);
    t.read("DisclaimerMessage", d.disclaimer_message);
  });
  with_table(r, "DMLinkSpamProtection", error, [&](Reader& t) {
    auto& d = s.dm_link_spam_protection;
    t.read("Enabled", d.enabled);
    t.read("MaxThreads", d.max_threads);
    t.read("TimeLimit", d.time_limit_seconds);
    t.read("BanHours", d.ban_hours);
  });
  with_table(r, "Strings", error, [&](Reader& t) {
    t.read("ModRuleErrorCameraAlwaysNSFW", s.strings.mod_rule_error_camera_always_nsfw);
    t.read("ModRuleErrorNoBroadcast", s.strings.mod_rule_error_no_broadcast);
    t.read("ModRuleErrorNoVideo", s.strings.mod_rule_error_no_video);
    t.read("ModRuleErrorNoImage", s.strings.mod_rule_error_no_image);
  });
  with_table(r, "Logging", error, [&](Reader& t) {
    t.read("Enabled", s.logging.enabled);
    t.read("Directory", s.logging.directory);
    t.read("Channels", s.logging.channels);
    t.read("Usernames", s.logging.usernames);
  });
  with_table(r, "Cluster", error, [&](Reader& t) {
    auto& c = s.cluster;
    t.read("Enabled", c.enabled);
    t.read("RedisURL", c.redis_url);
    t.read("NodeName", c.node_name);
    t.read("Room", c.room);
    t.read("StreamMaxLength", c.stream_max_length);
    t.read("StreamMaxAge", c.stream_max_age);
    t.read("HeartbeatTimeout", c.heartbeat_timeout);
  });
}

}  // namespace

std::expected<Settings, std::string> parse_settings(std::string_view toml_text, Settings base) {
  toml::table doc;
  try {
    doc = toml::parse(toml_text);
  } catch (const toml::parse_error& e) {
    std::ostringstream msg;
    msg << e.description() << " (line " << e.source().begin.line << ", column "
        << e.source().begin.column << ")";
    return std::unexpected(msg.str());
  }
  std::string error;
  Reader root(doc, "", error);
  read_top_level(root, base);
  read_tables(root, base, error);
  if (!error.empty()) return std::unexpected(error);
  if (auto bad = invalid_filter_pattern(base.message_filters)) return std::unexpected(*bad);
  return base;
}

namespace {

std::expected<void, std::string> write_file(const std::filesystem::path& path,
                                            const std::string& text) {
  auto tmp = path;
  tmp += ".tmp";
  {
    std::ofstream out(tmp, std::ios::binary | std::ios::trunc);
    out << text;
    if (!out) return std::unexpected("cannot write " + tmp.string());
  }
  std::error_code ec;
  std::filesystem::rename(tmp, path, ec);
  if (ec) return std::unexpected("cannot replace " + path.string() + ": " + ec.message());
  return {};
}

}  // namespace

std::expected<Loaded, std::string> load_or_create(const std::filesystem::path& path,
                                                  Settings base) {
  Loaded result;
  std::ifstream in(path, std::ios::binary);
  if (!in) {
    base.version = kCurrentVersion;
    result.settings = std::move(base);
    result.action = FileAction::kCreated;
    if (auto w = write_file(path, to_toml(result.settings)); !w) return std::unexpected(w.error());
    return result;
  }
  std::stringstream buf;
  buf << in.rdbuf();
  base.version = 0;  // a file without Version is from before versions: upgrade it
  auto parsed = parse_settings(buf.str(), std::move(base));
  if (!parsed) return std::unexpected(parsed.error());
  result.settings = std::move(*parsed);
  result.previous_version = result.settings.version;
  if (result.settings.version != kCurrentVersion) {
    result.settings.version = kCurrentVersion;
    result.action = FileAction::kUpgraded;
    if (auto w = write_file(path, to_toml(result.settings)); !w) return std::unexpected(w.error());
  }
  return result;
}

}  // namespace config
