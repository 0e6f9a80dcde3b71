#include "http/chat_page.hpp"

#include "protocol/json_writer.hpp"
#include "util/html_escape.hpp"
#include "util/random.hpp"

namespace http {
namespace {

std::string json_string(std::string_view s) {
  std::string out;
  protocol::append_json_string(out, s);
  return out;
}

std::string channels_json(const config::Settings& s) {
  std::string out;
  protocol::JsonWriter w(out);
  w.begin_array();
  for (const auto& c : s.public_channels) {
    w.begin_object().field("ID", c.id).field("Name", c.name).field("Icon", c.icon);
    w.field("VIP", c.vip).field("PermitPhotos", c.permit_photos).key("WelcomeMessages");
    w.begin_array();
    for (const auto& m : c.welcome_messages) w.string(m);
    w.end_array().field("EchoMessagesOnJoin", c.echo_messages_on_join).end_object();
  }
  w.end_array();
  return out;
}

std::string strings_json(const config::Settings& s) {
  std::string out;
  protocol::JsonWriter(out)
      .begin_object()
      .field("ModRuleErrorCameraAlwaysNSFW", s.strings.mod_rule_error_camera_always_nsfw)
      .field("ModRuleErrorNoBroadcast", s.strings.mod_rule_error_no_broadcast)
      .field("ModRuleErrorNoVideo", s.strings.mod_rule_error_no_video)
      .field("ModRuleErrorNoImage", s.strings.mod_rule_error_no_image)
      .end_object();
  return out;
}

std::string turn_json(const config::Settings& s) {
  std::string out;
  protocol::JsonWriter w(out);
  w.begin_object().key("URLs").begin_array();
  for (const auto& u : s.turn.urls) w.string(u);
  w.end_array().field("Username", s.turn.username).field("Credential", s.turn.credential);
  w.end_object();
  return out;
}

// The client only reads Name and Enabled: the URLs stay on the server.
std::string webhooks_json(const config::Settings& s) {
  std::string out;
  protocol::JsonWriter w(out);
  w.begin_array();
  for (const auto& h : s.webhook_urls) {
    w.begin_object()
        .field("Name", h.name)
        .field("Enabled", h.enabled)
        .field("URL", "")
        .end_object();
  }
  w.end_array();
  return out;
}

std::string vip_json(const config::Settings& s) {
  std::string out;
  protocol::JsonWriter(out)
      .begin_object()
      .field("Name", s.vip.name)
      .field("Branding", s.vip.branding)
      .field("Icon", s.vip.icon)
      .field("MutuallySecret", s.vip.mutually_secret)
      .end_object();
  return out;
}

std::string constants_script(const config::Settings& s, const PageVisitor& v,
                             const std::string& hash) {
  const auth::Claims none;
  const auto& claims = v.claims ? *v.claims : none;
  std::string js;
  auto constant = [&](std::string_view name, std::string_view json) {
    js += "const ";
    js += name;
    js += " = ";
    js += json;
    js += ";\n";
  };
  constant("Branding", json_string(s.branding));
  constant("BareRTCStrings", strings_json(s));
  constant("PublicChannels", channels_json(s));
  constant("DMDisclaimer", json_string(s.direct_message_history.disclaimer_message));
  constant("WebsiteURL", json_string(s.website_url));
  constant("PermitNSFW", s.permit_nsfw ? "true" : "false");
  constant("TURN", turn_json(s));
  constant("WebhookURLs", webhooks_json(s));
  constant("VIP", vip_json(s));
  constant("UserJWTToken", json_string(v.token));
  constant("UserJWTValid", v.claims ? "true" : "false");
  constant("UserJWTClaims", v.claims ? auth::claims_to_json(claims) : "{}");
  constant("UserJWTRules", auth::rules_dictionary_json(claims));
  constant("CachedBlocklist", v.cached_blocklist);
  constant("CacheHash", json_string(hash));
  return js;
}

}  // namespace

std::string render_chat_page(const config::Settings& s, const PageVisitor& visitor,
                             const std::string& cache_hash, WebClientAssets assets) {
  std::string html = R"HTML(<!DOCTYPE html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>)HTML";
  html += util::html_escape(s.title);
  html += R"HTML(</title>
<link rel="icon" href="/favicon.ico">
)HTML";
  if (!assets.stylesheet.empty()) {
    html += R"(<link rel="stylesheet" href="/static/app.css?)" + assets.stylesheet + "\">\n";
  }
  html += R"HTML(</head>
<body>
<div class="modal" id="photo-modal">
  <div class="modal-background" onclick="document.querySelector('#photo-modal').classList.remove('is-active')"></div>
  <div class="modal-content"><img id="modalImage" oncontextmenu="return false"></div>
  <button class="modal-close" aria-label="close" onclick="document.querySelector('#photo-modal').classList.remove('is-active')"></button>
</div>
<div id="app"><noscript>This chat room needs JavaScript.</noscript>)HTML";
  // Inside #app: the client replaces it when it mounts.
  if (assets.script.empty())
    html += "<p>The web client is not built: run <code>make run</code>.</p>";
  html += R"HTML(</div>
<script type="text/javascript">
)HTML";
  html += constants_script(s, visitor, cache_hash);
  html += R"HTML(function setModalImage(url) {
  document.querySelector("#modalImage").src = url;
  document.querySelector("#photo-modal").classList.add("is-active");
  return false;
}
</script>
)HTML";
  // A module script is deferred: it runs once the document is parsed, after
  // the classic script above has defined the constants.
  if (!assets.script.empty()) {
    html += R"(<script type="module" src="/static/app.js?)" + assets.script + "\"></script>\n";
  }
  html += "</body>\n</html>\n";
  return html;
}

std::string render_about_page(const config::Settings& s, std::string_view hostname) {
  return R"(<!DOCTYPE html>
<html lang="en">
<head><meta charset="utf-8"><title>About )" +
         util::html_escape(s.title) + R"(</title></head>
<body>
<h1>About )" +
         util::html_escape(s.title) + R"(</h1>
<p>This chat room runs BareRTC: public channels, direct messages and webcams shared
peer-to-peer between browsers (video never passes through this server).</p>
<p>If your camera or microphone does not work, check that your browser allows
<strong>)" +
         util::html_escape(hostname) + R"(</strong> to use them.</p>
<p><a href=")" +
         util::html_escape(s.website_url) + R"(">)" + util::html_escape(s.website_url) + R"(</a></p>
</body>
</html>
)";
}

std::string render_logout_page() {
  return R"(<!DOCTYPE html>
<html lang="en">
<head><meta charset="utf-8"><title>Logged out</title></head>
<body>
<h1>Logged out</h1>
<p>You are now logged out of the chat room. You may close this page.</p>
<script>setTimeout(function () { window.close(); }, 5000);</script>
</body>
</html>
)";
}

std::string random_cache_hash() {
  return util::random_letters(8);
}

}  // namespace http
