// The room's output for one batch of events: frames to deliver, connections
// to close, answers to API queries.
#pragma once

#include <cstdint>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "chat/chat_log.hpp"
#include "chat/event.hpp"
#include "protocol/frame.hpp"

namespace chat {

struct Delivery {
  ConnId to;
  protocol::Frame frame;
  // A who list: a newer one may replace it while it is still unsent.
  bool snapshot = false;
  bool who = false;  // a who list or delta (counted apart in /metrics)
};

struct CloseRequest {
  ConnId conn;
  uint16_t code;
  std::string reason;
  // Sent frames are flushed first; the socket closes after this delay.
  int64_t delay_ms = 0;
};

struct Reply {
  RequestId req;
  std::string body;
};

// A ban set or lifted, for the database (bans survive a restart).
struct BanChange {
  std::string username;
  std::optional<int64_t> until_ms;  // nullopt: lifted
};

// A report for the website's `report` webhook (webhooks.md §2).
struct Report {
  std::string from_username;
  std::string about_username;
  std::string channel;
  std::string timestamp;
  std::string reason;
  std::string message;
  std::string comment;
  // A user's own report: how it went comes back as a ReportSent event for
  // this connection. Automatic reports only log their failures.
  std::optional<ConnId> reporter;
  // The connection whose action led to the report: in a cluster, its node
  // sends it, so that it is sent once.
  ConnId cause = 0;
};

// A DM to keep in the history database ([DirectMessageHistory]).
struct HistoryWrite {
  int64_t msg_id;
  std::string sender, recipient;
  std::string html;  // as delivered
  int64_t at_s;
};
// A takeback, for the history database: `owner` empty deletes whoever sent
// it (an operator's). With `answer_to`, the room waits for a TakebackChecked
// event to know whether the message was that user's (sent in an earlier
// session).
struct HistoryTakeback {
  int64_t msg_id;
  std::string owner;
  std::optional<ConnId> answer_to;
};

// A picture to decode and re-encode on the picture worker; it comes back
// as a PictureReady event.
struct PictureJob {
  ConnId conn;
  std::string channel;
  std::string mime;
  std::shared_ptr<const std::string> bytes;
  int64_t max_width;
  int64_t preview_width;
};

struct Output {
  std::vector<Delivery> deliveries;
  std::vector<CloseRequest> closes;
  std::vector<Reply> replies;
  std::vector<BanChange> ban_changes;
  std::vector<HistoryWrite> history_writes;
  std::vector<HistoryTakeback> history_takebacks;
  std::vector<LogLine> log_lines;  // [Logging]
  std::vector<PictureJob> pictures;
  std::vector<Report> reports;  // for the report webhook, which is enabled
  std::vector<ConnId> reloads;  // operators asking for settings.toml to be read again
  bool shutdown = false;        // the process should exit shortly
  int64_t wake_at_ms = 0;       // send a Tick at this time (Unix ms), if set
};

}  // namespace chat
