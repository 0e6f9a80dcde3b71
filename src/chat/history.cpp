// What the room does for the DM history database (history.md): it says which
// DMs to keep and which to delete; the database is written off its thread.
// A takeback of a DM sent in an earlier session is decided by the database
// (was it this user's?), which answers with a TakebackChecked event.
#include "chat/room.hpp"
#include "chat/texts.hpp"
#include "protocol/server_message.hpp"

namespace chat {

void Room::enable_history(int64_t max_stored_id) {
  history_ = true;
  // Ids go on above the stored ones, so that a restart soon after a busy
  // spell does not reuse one (the original could).
  next_msg_id_ = std::max(next_msg_id_, max_stored_id);
}

void Room::on_takeback(Connection& c, const protocol::ClientMessage& m) {
  const bool op = c.is_op();
  if (op || c.owned_message_ids.contains(m.msg_id)) {
    if (history_) out_.history_takebacks.push_back({m.msg_id, op ? "" : c.username, {}});
    return take_back(m.msg_id);
  }
  if (!history_) return notice(c.id, text::kNotYourMessage);
  out_.history_takebacks.push_back({m.msg_id, c.username, c.id});
}

void Room::on(const TakebackChecked& e) {
  if (!conns_.contains(e.conn)) return;
  if (!e.deleted) return notice(e.conn, text::kNotYourMessage);
  take_back(e.msg_id);
}

void Room::take_back(int64_t msg_id) {
  echo_.remove(msg_id);
  const auto frame = protocol::make_frame({.action = "takeback", .msg_id = msg_id});
  if (!send_to_dm_parties(msg_id, frame)) broadcast(frame, nullptr);
}

void Room::on(const OnlineQuery& e) {
  out_.replies.push_back({e.req, by_name_.contains(e.username) ? "1" : ""});
}

}  // namespace chat
