// Operator slash commands (commands.md): parsed from the raw text of a
// `message`, run only for operators; anything else is posted as a message.
#include <charconv>
#include <unordered_map>

#include "chat/command_texts.hpp"
#include "chat/echo_buffer.hpp"
#include "chat/room.hpp"
#include "chat/shell_words.hpp"
#include "chat/texts.hpp"
#include "protocol/server_message.hpp"
#include "render/markdown.hpp"
#include "util/go_duration.hpp"
#include "util/html_escape.hpp"
#include "util/local_time.hpp"

namespace chat {
namespace {

constexpr int64_t kDefaultBanHours = 24;

using Args = std::vector<std::string>;

// The first argument, a username: one leading '@' is dropped.
std::string target_name(const Args& args) {
  if (args.empty()) return {};
  std::string_view name = args.front();
  if (name.starts_with('@')) name.remove_prefix(1);
  return std::string(name);
}

// The hours of a ban: a base-10 integer with an optional sign, else 24.
int64_t ban_hours(const Args& args) {
  if (args.size() < 2) return kDefaultBanHours;
  std::string_view s = args[1];
  if (s.starts_with('+')) s.remove_prefix(1);
  int64_t hours = 0;
  const auto [end, ec] = std::from_chars(s.data(), s.data() + s.size(), hours);
  if (ec != std::errc() || end != s.data() + s.size() || s.empty()) return kDefaultBanHours;
  return hours;
}

}  // namespace

bool Room::run_command(Connection& op, std::string_view raw) {
  using Handler = void (Room::*)(Connection&, const Args&);
  static const std::unordered_map<std::string_view, Handler> kCommands = {
      {"/kick", &Room::cmd_kick},
      {"/ban", &Room::cmd_ban},
      {"/unban", &Room::cmd_unban},
      {"/bans", &Room::cmd_bans},
      {"/nsfw", &Room::cmd_nsfw},
      {"/cut", &Room::cmd_cut},
      {"/unmute-all", &Room::cmd_unmute_all},
      {"/op", &Room::cmd_op},
      {"/deop", &Room::cmd_deop},
      {"/kickall", &Room::cmd_kickall},
      {"/shutdown", &Room::cmd_shutdown},
      {"/reconfigure", &Room::cmd_reconfigure},
      {"/help", &Room::cmd_help},
      {"/help-advanced", &Room::cmd_help_advanced},
  };
  if (!raw.starts_with('/') || !op.is_op()) return false;
  auto words = split_shell_words(raw);
  if (!words || words->empty()) return false;
  auto it = kCommands.find(words->front());
  if (it == kCommands.end()) return false;
  const Args args(words->begin() + 1, words->end());
  (this->*it->second)(op, args);
  return true;
}

void Room::reply_markdown(const Connection& op, std::string_view markdown) {
  notice(op.id, render::markdown_to_html(markdown));
}

// The kick sequence (commands.md §2.1): everybody (the target too) sees the
// presence notice; the target gets `text` and `disconnect`, is signed out,
// and its socket closes once that is written.
void Room::kick(Connection& target, std::string_view presence, std::string_view text) {
  broadcast_presence(target, presence);
  sign_off(target, protocol::chat_server_notice(text), "kicked");
}

void Room::cmd_kick(Connection& op, const Args& args) {
  const auto name = target_name(args);
  const auto shown = util::html_escape(name);
  if (name.empty()) return reply_markdown(op, text::cmd::kKickUsage);
  auto* t = user(name);
  if (!t) return notice(op.id, "/kick: username not found: " + shown);
  if (t->id == op.id) return notice(op.id, text::cmd::kKickSelf);
  kick(*t, text::cmd::kKicked, "You have been kicked from the chat room by " + op.username);
  notice(op.id, shown + " has been kicked from the room");
}

void Room::cmd_ban(Connection& op, const Args& args) {
  const auto name = target_name(args);
  const auto shown = util::html_escape(name);
  if (name.empty()) return reply_markdown(op, text::cmd::kBanUsage);
  const int64_t hours = ban_hours(args);
  out_.ban_changes.push_back({name, bans_.ban(name, hours, now_ms_)});
  const auto h = std::to_string(hours);
  if (auto* t = user(name)) {
    kick(*t, text::cmd::kBanned,
         "You have been banned from the chat room by " + op.username +
             ". You may come back after " + h + " hours.");
  }
  notice(op.id, shown + " has been banned from the room for " + h + " hours.");
}

void Room::cmd_unban(Connection& op, const Args& args) {
  const auto name = target_name(args);
  const auto shown = util::html_escape(name);
  if (name.empty()) return reply_markdown(op, text::cmd::kUnbanUsage);
  if (!bans_.unban(name)) {
    return reply_markdown(op, "/unban: user " + name +
                                  " was not found to be banned. Try `/bans` to see current "
                                  "banned users.");
  }
  out_.ban_changes.push_back({name, std::nullopt});
  notice(op.id, "The ban on " + shown + " has been lifted.");
}

// Beyond the original: the time left of each ban.
void Room::cmd_bans(Connection& op, const Args&) {
  std::string md(text::cmd::kBansHeader);
  md += "\n";
  for (const auto& [name, until_ms] : bans_.entries()) {
    const int64_t left = until_ms - now_ms_;
    md += "\n* `" + name + "` banned until " + util::rfc3339_local(until_ms / 1000) +
          (left > 0 ? " (" + util::go_duration(left / 1000 * 1000) + " left)" : " (expired)");
  }
  reply_markdown(op, md);
}

// The user online whose camera is on that `command` names, or nullptr once
// the operator has been told why not.
Connection* Room::camera_target(const Connection& op, const Args& args, std::string_view command,
                                std::string_view usage) {
  auto refuse = [&](const std::string& text) -> Connection* {
    notice(op.id, text);
    return nullptr;
  };
  const auto name = target_name(args);
  if (name.empty()) return refuse(std::string(usage));
  const auto shown = util::html_escape(name);
  auto* t = user(name);
  if (!t) return refuse(std::string(command) + ": username not found: " + shown);
  if (!(t->video & video::kActive)) {
    return refuse(std::string(command) + ": " + shown + "'s camera was not turned on.");
  }
  return t;
}

void Room::cmd_nsfw(Connection& op, const Args& args) {
  auto* t = camera_target(op, args, "/nsfw", text::cmd::kNsfwUsage);
  if (!t) return;
  const auto shown = util::html_escape(t->username);
  if (t->video & video::kNsfw) {
    return notice(op.id, "/nsfw: " + shown + "'s camera was already marked as explicit.");
  }
  // A user who booted the operator is not told who marked it.
  const bool anonymous = t->booted.contains(op.username);
  notice(t->id,
         std::string(text::cmd::kNsfwReminder) +
             (anonymous ? std::string(text::cmd::kNsfwMarkedAnonymously)
                        : "Your camera has been marked as Explicit for you by @" + op.username));
  t->video |= video::kNsfw;
  t->who_entry.valid = false;
  send_me(*t);
  who_user_changed(*t);
  notice(op.id, shown + " now has their camera marked as Explicit");
  report_nsfw(op, *t);
}

void Room::cmd_cut(Connection& op, const Args& args) {
  auto* t = camera_target(op, args, "/cut", text::cmd::kCutUsage);
  if (!t) return;
  send(t->id, protocol::make_frame({.action = "cut"}));
  notice(op.id, util::html_escape(t->username) + " has been told to turn their camera off.");
}

void Room::cmd_unmute_all(Connection& op, const Args&) {
  const size_t n = op.muted.size();
  for (const auto& name : op.muted) who_pair_changed(name, op.username);
  op.muted.clear();
  op.unblockable = true;
  // Unblockable changes which blocks count, for everybody's lists.
  if (settings_->blockable_admins) who_everything_changed();
  notice(op.id, "Your mute on " + std::to_string(n) + " users has been lifted.");
}

// Operator rights granted or taken for the connection's life. Unlike the
// original they are not written into the user's claims, so the JWTs that the
// pings refresh never carry an operator right the website did not give.
void Room::cmd_op(Connection& op, const Args& args) {
  set_op(op, args, true);
}

void Room::cmd_deop(Connection& op, const Args& args) {
  set_op(op, args, false);
}

void Room::set_op(Connection& op, const Args& args, bool grant) {
  const auto name = target_name(args);
  const auto shown = util::html_escape(name);
  if (name.empty()) return reply_markdown(op, grant ? text::cmd::kOpUsage : text::cmd::kDeopUsage);
  auto* t = user(name);
  if (!t) return notice(op.id, (grant ? "/op: user " : "/deop: user ") + shown + " was not found.");
  t->op_override = grant;
  t->who_entry.valid = false;
  who_user_changed(*t);
  notice(op.id, grant ? "Operator rights have been granted to " + shown
                      : "Operator rights have been taken from " + shown);
}

// Everybody, the operator too, is signed out without presence notices; the
// sockets close once the notice is written.
void Room::cmd_kickall(Connection&, const Args&) {
  const auto& url = settings_->jwt.landing_page_url;
  std::string text(text::cmd::kKickAll);
  if (settings_->jwt.enabled && !url.empty()) {
    text = text::cmd::kKickAllRelogin;
    text.replace(text.find("{}"), 2, util::html_escape(url));
  }
  const auto notice_frame = protocol::chat_server_notice(text);
  std::vector<ConnId> everyone;
  for (const auto& [_, id] : by_name_) everyone.push_back(id);
  for (ConnId id : everyone) sign_off(conns_.at(id), notice_frame, "kicked");
}

void Room::cmd_shutdown(Connection&, const Args&) {
  on(Shutdown{});
}

// The file is read off the room's thread; ReloadDone brings the answer.
void Room::cmd_reconfigure(Connection& op, const Args&) {
  out_.reloads.push_back(op.id);
}

void Room::on(const ReloadDone& e) {
  if (!conns_.contains(e.conn)) return;
  notice(e.conn, e.error.empty() ? std::string(text::cmd::kReloaded)
                                 : "Error reloading the server config: " + e.error);
}

void Room::cmd_help(Connection& op, const Args&) {
  reply_markdown(op, text::cmd::kHelp);
}

void Room::cmd_help_advanced(Connection& op, const Args&) {
  reply_markdown(op, text::cmd::kHelpAdvanced);
}

void Room::restore_bans(const std::vector<std::pair<std::string, int64_t>>& bans) {
  for (const auto& [name, until_ms] : bans) bans_.restore(name, until_ms);
}

std::optional<std::string> Room::ban_refusal(const std::string& name) {
  const auto left = bans_.remaining_ms(name, now_ms_);
  if (!left) return std::nullopt;
  return std::string(text::cmd::kBannedAtLogin) + util::go_duration(*left);
}

}  // namespace chat
