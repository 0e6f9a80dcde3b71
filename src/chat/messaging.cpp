// Chat messages, public and direct, and what refers to them: takeback,
// reactions, typing notices (protocol.md §5).
#include "chat/command_texts.hpp"
#include "chat/inbound.hpp"
#include "chat/relations.hpp"
#include "chat/room.hpp"
#include "chat/rules.hpp"
#include "chat/texts.hpp"
#include "protocol/server_message.hpp"
#include "util/local_time.hpp"

namespace chat {
namespace {

constexpr size_t kMaxReactionBytes = 32;
constexpr size_t kDmIndexSize = 10'000;

std::string dm_channel(std::string_view name) {
  return "@" + std::string(name);
}

protocol::Frame chat_message(std::string_view channel, std::string_view username,
                             std::string_view html, int64_t id) {
  return protocol::make_frame({.action = "message",
                               .channel = channel,
                               .username = username,
                               .message = html,
                               .msg_id = id});
}

}  // namespace

std::string Room::undeliverable(std::string_view to_channel) {
  return "Could not deliver your message: " + std::string(to_channel) +
         " appears not to be online.";
}

void Room::on_message(Connection& c, const Inbound& in) {
  const auto& channel = in.msg.channel;
  if (run_command(c, in.msg.message)) return;
  if (in.html.empty()) return;  // nothing left after rendering: dropped, as in the original
  remember_line(c, channel, in.msg.message);  // even if a filter stops it: reports show it
  std::string censored;
  const auto* html = filter_message(c, in, censored);
  if (!html) return;
  if (!channel.empty() && channel.front() == '@') {
    return post_direct(c, channel.substr(1), *html, in.msg.message);
  }
  if (auto refused = channel_refusal(c, channel, false)) return notice(c.id, *refused);
  post_public(c, channel, *html, in.msg.message);
}

std::optional<std::string> Room::channel_refusal(const Connection& c, const std::string& channel,
                                                 bool picture) const {
  const auto* ch = settings_->find_channel(channel);
  if (!ch) return "Could not post your message: there is no channel named \"" + channel + "\".";
  if (ch->vip && !c.is_vip() && !c.is_op()) return std::string(text::kVipChannelOnly);
  if (picture && !ch->permit_photos) return std::string(text::kNoPhotosHere);
  return std::nullopt;
}

// chat.md §5: the first filter with a match decides. A DM with an operator on
// either side is not filtered.
const std::string* Room::filter_message(Connection& c, const Inbound& in, std::string& censored) {
  const auto& channel = in.msg.channel;
  const bool direct = channel.starts_with('@');
  if (filters_.empty()) return &in.html;
  if (direct) {
    const auto* target = user(std::string_view(channel).substr(1));
    if (c.is_op() || (target && target->is_op())) return &in.html;
  }
  auto hit = filters_.match(in.msg.message, direct);
  if (!hit) return &in.html;
  const auto& f = *hit->filter;
  const std::string* html = &in.html;
  if (f.censor_message) html = &(censored = render_message(hit->text));
  if (!f.forward_message && !html->empty()) {
    send(c.id, chat_message(channel, c.username, *html, new_message_id(c)));
  }
  if (!f.chat_server_response.empty()) notice(c.id, f.chat_server_response);
  if (f.report_message) {
    if (c.is_op()) {
      notice(c.id, text::kContextWouldBeReported);
    } else {
      report_filter_hit(c, channel, in.msg.message);
    }
  }
  if (!f.forward_message || html->empty()) return nullptr;
  return html;
}

// history.md §7: the time, the sender and the text as typed.
std::string Room::log_line(const Connection& sender, std::string_view raw) const {
  std::string line = util::rfc3339_local(now_seconds());
  line.append(" [").append(sender.username).append("] ").append(raw).append("\n");
  return line;
}

// Each monitored party gets the line in their own folder.
void Room::log_dm(const Connection& sender, const Connection& recipient, std::string_view raw) {
  const auto& s = settings_->logging;
  const bool from = logs_user(s, sender.username), to = logs_user(s, recipient.username);
  if (!from && !to) return;
  const auto line = log_line(sender, raw);
  if (from) out_.log_lines.push_back({dm_log_path(s, sender.username, recipient.username), line});
  if (to) out_.log_lines.push_back({dm_log_path(s, recipient.username, sender.username), line});
}

int64_t Room::new_message_id(Connection& author) {
  const int64_t id = ++next_msg_id_;
  author.owned_message_ids.insert(id);
  return id;
}

// `raw` is the text as typed; a picture has none, and is neither logged nor
// kept in the echo buffer (images.md §2).
void Room::post_public(Connection& c, const std::string& channel, const std::string& html,
                       std::optional<std::string_view> raw) {
  const int64_t id = new_message_id(c);
  if (raw) {
    if (logs_channel(settings_->logging, channel)) {
      out_.log_lines.push_back({channel_log_path(settings_->logging, channel), log_line(c, *raw)});
    }
    echo_.add(*settings_, {.channel = channel,
                           .username = c.username,
                           .html = html,
                           .msg_id = id,
                           .timestamp = util::rfc3339_local(now_seconds())});
  }
  broadcast(chat_message(channel, c.username, html, id), &c, channel);
}

// As for post_public; a picture is also neither checked
// for link spam, kept in the history, logged, nor let past a mute by an
// operator (images.md §4).
void Room::post_direct(Connection& c, const std::string& target, const std::string& html,
                       std::optional<std::string_view> raw) {
  if (raw && stopped_as_link_spam(c, target, *raw)) return;
  const int64_t id = new_message_id(c);
  // The sender sees its own message first, whatever happens to it next.
  const auto to_channel = dm_channel(target);
  send(c.id, chat_message(to_channel, c.username, html, id));
  auto* t = user(target);
  if (!t) {
    return notice(c.id, undeliverable(to_channel));
  }
  const bool op_bypass = raw && c.is_op();
  if (has_muted(*t, c) && !op_bypass) return;
  if (has_muted(c, *t) && !op_bypass) {
    return notice(c.id, "You have muted " + target + " and so your message has not been sent.");
  }
  if (blocking(c, *t, settings_->blockable_admins)) return;

  if (raw) {
    if (history_) {
      out_.history_writes.push_back({id, c.username, t->username, html, now_seconds()});
    }
    log_dm(c, *t, *raw);
  }
  dm_parties_[id] = {c.username, t->username};
  dm_order_.push_back(id);
  if (dm_order_.size() > kDmIndexSize) {
    dm_parties_.erase(dm_order_.front());
    dm_order_.pop_front();
  }
  send(t->id, chat_message(dm_channel(c.username), c.username, html, id));
}

// The offending DM is not delivered, nor echoed to its sender.
bool Room::stopped_as_link_spam(Connection& c, const std::string& target, std::string_view raw) {
  const auto& rules = settings_->dm_link_spam_protection;
  switch (link_spam_.check(c.username, target, raw, now_ms_, rules)) {
    case LinkSpamGuard::Verdict::kDeliver:
      return false;
    case LinkSpamGuard::Verdict::kKick:
      report_link_spam(c, target, raw, false);
      kick(c, text::cmd::kKicked, text::kLinkSpamKick);
      return true;
    case LinkSpamGuard::Verdict::kBan:
      report_link_spam(c, target, raw, true);
      out_.ban_changes.push_back({c.username, bans_.ban(c.username, rules.ban_hours, now_ms_)});
      kick(c, text::cmd::kBanned, text::kLinkSpamBan);
      return true;
  }
  return false;
}

// A reaction or takeback about a DM goes to its two parties only, so nobody
// else learns that the DM exists. A DM to oneself has one party: it gets the
// frame once (a client toggles a reaction it sees twice back off).
bool Room::send_to_dm_parties(int64_t msg_id, const protocol::Frame& frame) {
  auto it = dm_parties_.find(msg_id);
  if (it == dm_parties_.end()) return false;
  auto* sender = user(it->second.first);
  auto* target = user(it->second.second);
  if (sender) send(sender->id, frame);
  if (target && target != sender) send(target->id, frame);
  return true;
}

void Room::on_react(Connection& c, const protocol::ClientMessage& m) {
  if (m.message.empty() || m.message.size() > kMaxReactionBytes) {
    return notice(c.id, text::kBadReaction);
  }
  const auto frame = protocol::make_frame(
      {.action = "react", .username = c.username, .message = m.message, .msg_id = m.msg_id});
  if (!send_to_dm_parties(m.msg_id, frame)) broadcast(frame, &c);
}

void Room::on_typing(Connection& c, const protocol::ClientMessage& m) {
  std::string_view target = m.channel.starts_with('@') ? std::string_view(m.channel).substr(1)
                                                       : std::string_view(m.username);
  auto* t = user(target);
  if (!t || t->id == c.id || has_muted(*t, c) || blocking(c, *t, settings_->blockable_admins)) {
    return;
  }
  send(t->id, protocol::make_frame(
                  {.action = "typing", .channel = dm_channel(c.username), .username = c.username}));
}

}  // namespace chat
