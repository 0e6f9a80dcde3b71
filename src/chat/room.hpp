// chat::Room: the whole chat as a deterministic state machine. It is fed
// events in order (handle), and after each batch of events returns what to
// deliver (finish_batch). It does no I/O, reads no clock and draws no random
// numbers; it is driven from a single thread.
//
// Who lists are coalesced per batch: however many joins, leaves or profile
// changes a batch holds, each viewer gets at most one list, built from the
// final state of the batch, at the position of the first change it would have
// seen. Viewers that asked for deltas get only the changes; the others get
// full lists within the byte budget of the settings (who_pacer.hpp), and when
// the budget defers some, the output asks to be woken up (a Tick) then.
#pragma once

#include <deque>
#include <expected>
#include <map>
#include <memory>
#include <string>
#include <unordered_map>
#include <unordered_set>
#include <vector>

#include "chat/ban_list.hpp"
#include "chat/connection.hpp"
#include "chat/echo_buffer.hpp"
#include "chat/event.hpp"
#include "chat/link_spam.hpp"
#include "chat/message_filters.hpp"
#include "chat/output.hpp"
#include "chat/ping_schedule.hpp"
#include "chat/recent_context.hpp"
#include "chat/who_changes.hpp"
#include "chat/who_delta.hpp"
#include "chat/who_list.hpp"
#include "chat/who_pacer.hpp"
#include "config/settings.hpp"

namespace chat {

struct RoomOptions {
  int64_t started_at_ms = 0;
  // Join/exit notices are dropped for this long after start, so that a
  // restart does not flood the room with every reconnecting user.
  int64_t presence_quiet_ms = 30'000;
  // How long a kicked connection has to read its `disconnect` before the
  // server closes it.
  int64_t kick_close_delay_ms = 1'500;
  // Join/exit notices go to everyone: in a storm of thousands of logins they
  // would be millions of frames nobody can read, each a send of its own.
  // Past this many deliveries a second (a second's worth may come at once)
  // they are skipped; the who list still shows who is there. 20,000: up to
  // 200 notices a second in a room of 100, 2 a second in a room of 10,000.
  // 0: no limit.
  int64_t presence_deliveries_per_second = 20'000;
};

class Room {
 public:
  Room(std::shared_ptr<const config::Settings> settings, RoomOptions options);

  void set_settings(std::shared_ptr<const config::Settings> settings);
  void handle(const Event& event);
  Output finish_batch();
  // Bans read back from the database, before the first event.
  void restore_bans(const std::vector<std::pair<std::string, int64_t>>& bans);
  // DMs are kept in the history database, whose highest message id is this
  // (before the first event; the settings' Enabled is read once, at start).
  void enable_history(int64_t max_stored_id);
  // Cluster: this node delivers to its own connections only (IDs of this
  // node, event.hpp), so frames and who lists for the others' are not even
  // built. Called after restore(): other nodes' viewers are forgotten.
  void set_local_node(NodeId node);
  // The room is quiet: frees buffers kept for reuse.
  void release_memory() { who_lists_.release_memory(); }

  // Cluster: the room's state as of the last finished batch (call it between
  // finish_batch() and the next event), to start another node's copy from.
  // Settings and RoomOptions are each node's own and not in it.
  std::string snapshot() const;
  // Replaces this room's state with a snapshot's (on a fresh Room made with
  // the same settings, before any event). A snapshot that is not one leaves
  // the room as it was.
  std::expected<void, std::string> restore(std::string_view snapshot);

  // For tests and statistics.
  const Connection* find(ConnId id) const;
  const Connection* find_user(std::string_view username) const;
  size_t connection_count() const { return conns_.size(); }
  size_t user_count() const { return by_name_.size(); }
  // The who list this viewer would get now, built entry by entry.
  std::string who_list_for(ConnId viewer);

 private:
  friend struct SnapshotCodec;  // room_snapshot.cpp

  // One handler per event kind.
  void on(const Connected& e);
  void on(const Disconnected& e);
  void on(const Received& e);
  void on(const Polled& e);
  void on(const Tick& e);
  void on(const StatisticsQuery& e);
  void on(const CacheBlocklist& e);
  void on(const BlocklistQuery& e);
  void on(const Shutdown& e);
  void on(const ReloadDone& e);
  void on(const ReportSent& e);       // reports.cpp, with the report_ functions
  void on(const TakebackChecked& e);  // history.cpp, with on_takeback
  void on(const OnlineQuery& e);
  void on(const PictureReady& e);
  void on(const BlockNow& e);  // admin_actions.cpp, with the two below
  void on(const DisconnectNow& e);
  void on(const AmendJwt& e);
  void on(const NodeJoined&) {}
  void on(const NodeLeft& e);

  // A client's message, whichever way it came.
  void receive(Connection& c, const Inbound& in);
  // Actions (one file each: login.cpp, messaging.cpp, profile.cpp, relations.cpp).
  void on_login(Connection& c, const Inbound& in);
  void on_message(Connection& c, const Inbound& in);
  void on_takeback(Connection& c, const protocol::ClientMessage& m);
  void on_react(Connection& c, const protocol::ClientMessage& m);
  void on_typing(Connection& c, const protocol::ClientMessage& m);
  void on_me(Connection& c, const protocol::ClientMessage& m);
  void on_relation(Connection& c, const protocol::ClientMessage& m);
  void on_blocklist(Connection& c, const protocol::ClientMessage& m);
  void on_video_invite(Connection& c, const protocol::ClientMessage& m);
  void on_open(Connection& viewer, const Inbound& in);
  void on_signal(Connection& c, const protocol::ClientMessage& m);
  void on_watch(Connection& c, const protocol::ClientMessage& m);
  void on_file(Connection& c, const Inbound& in);  // pictures.cpp, with PictureReady
  // Why `c` may not post a picture (or a message) to this public channel now.
  std::optional<std::string> channel_refusal(const Connection& c, const std::string& channel,
                                             bool picture) const;
  void on_report(Connection& c, const protocol::ClientMessage& m);
  std::string open_refusal(const Connection& viewer, const Connection& target) const;
  bool take_open_token(Connection& viewer);
  void end_session(Connection& a, std::string_view other);

  // The HTML to post after the message filters: the message's own, or the
  // censored one written into `censored`; nullptr when a filter kept the
  // message to its sender (messaging.cpp).
  const std::string* filter_message(Connection& c, const Inbound& in, std::string& censored);
  int64_t new_message_id(Connection& author);  // owned by the author (takeback)
  void take_back(int64_t msg_id);              // from the echo buffer and everyone's view
  void post_public(Connection& c, const std::string& channel, const std::string& html,
                   std::optional<std::string_view> raw);
  static std::string undeliverable(std::string_view to_channel);  // "... not to be online."
  std::string log_line(const Connection& sender, std::string_view raw) const;
  void log_dm(const Connection& sender, const Connection& recipient, std::string_view raw);
  void post_direct(Connection& c, const std::string& target, const std::string& html,
                   std::optional<std::string_view> raw);
  // Whether the DM link-spam protection stopped this DM (and kicked or
  // banned its sender).
  bool stopped_as_link_spam(Connection& c, const std::string& target, std::string_view raw);

  // Reports to the website and the recent lines they carry (reports.cpp).
  static std::string context_key(std::string_view username, const std::string& channel);
  void remember_line(const Connection& c, const std::string& channel, std::string_view raw);
  bool report_webhook_enabled() const;
  void report_filter_hit(Connection& c, const std::string& channel, std::string_view raw);
  void report_link_spam(const Connection& c, const std::string& target, std::string_view raw,
                        bool banned);
  void report_nsfw(const Connection& op, const Connection& target);

  // Session changes.
  void sign_in(Connection& c, std::string username, std::optional<auth::Claims> claims, bool dnd);
  void sign_out(Connection& c);
  // Sends `notice` (when set) and `disconnect`, signs the connection out and
  // closes its socket once they are written, so that a client ignoring
  // `disconnect` does not stay connected (protocol.md §1.5).
  void sign_off(Connection& c, const protocol::Frame& notice, std::string reason);
  void kick(Connection& target, std::string_view presence, std::string_view text);
  // Why `name` may not sign in now, if it is banned.
  std::optional<std::string> ban_refusal(const std::string& name);

  // Operator commands (commands.cpp). run_command: whether `raw` was one.
  using CommandArgs = std::vector<std::string>;
  bool run_command(Connection& op, std::string_view raw);
  void reply_markdown(const Connection& op, std::string_view markdown);
  void cmd_kick(Connection& op, const CommandArgs& args);
  void cmd_ban(Connection& op, const CommandArgs& args);
  void cmd_unban(Connection& op, const CommandArgs& args);
  void cmd_bans(Connection& op, const CommandArgs& args);
  Connection* camera_target(const Connection& op, const CommandArgs& args, std::string_view command,
                            std::string_view usage);
  void cmd_nsfw(Connection& op, const CommandArgs& args);
  void cmd_cut(Connection& op, const CommandArgs& args);
  void cmd_unmute_all(Connection& op, const CommandArgs& args);
  void cmd_op(Connection& op, const CommandArgs& args);
  void cmd_deop(Connection& op, const CommandArgs& args);
  void set_op(Connection& op, const CommandArgs& args, bool grant);
  void cmd_kickall(Connection& op, const CommandArgs& args);
  void cmd_shutdown(Connection& op, const CommandArgs& args);
  void cmd_reconfigure(Connection& op, const CommandArgs& args);
  void cmd_help(Connection& op, const CommandArgs& args);
  void cmd_help_advanced(Connection& op, const CommandArgs& args);
  std::string unique_guest_name(const std::string& wanted) const;

  // Delivery.
  void send(ConnId to, protocol::Frame frame);
  void notice(ConnId to, std::string_view text, std::string_view channel = {});
  // The original's Broadcast: every signed-in user, except those who muted
  // or have a block relation with `sender`, and non-VIPs for VIP channels.
  // Returns the number of recipients.
  size_t broadcast(const protocol::Frame& frame, const Connection* sender,
                   std::string_view channel = {});
  // How many a broadcast from `sender` would reach (nothing is sent).
  size_t broadcast_count(const Connection* sender);
  template <typename Visit>
  size_t for_each_recipient(const Connection* sender, std::string_view channel, Visit&& visit);
  void broadcast_presence(const Connection& user, std::string_view text);
  void send_echo(Connection& c);
  void send_ping(Connection& c);
  void send_me(const Connection& c);  // its name and camera flags

  // Who lists (room_who.cpp). Handlers say what changed; finish_batch()
  // turns that into lists and deltas.
  void who_user_changed(const Connection& u);  // its entry, for everyone
  void who_pair_changed(std::string_view viewer, std::string_view user);
  void who_everything_changed();
  void who_viewer_joined(Connection& c);  // signed in: its first list is due
  void who_viewer_left(const Connection& c);
  void who_mark();
  void resolve_who();

  bool send_to_dm_parties(int64_t msg_id, const protocol::Frame& frame);
  bool local(ConnId id) const { return node_of(id) == local_node_; }
  Connection* user(std::string_view username);
  int64_t now_seconds() const { return now_ms_ / 1000; }

  std::shared_ptr<const config::Settings> settings_;
  std::vector<protocol::Frame> welcome_;  // rendered and framed once per settings
  RoomOptions options_;
  int64_t now_ms_ = 0;
  int64_t next_msg_id_;
  NodeId local_node_ = 0;
  bool history_ = false;  // DMs go to the history database

  std::unordered_map<ConnId, Connection> conns_;
  std::map<std::string, ConnId, std::less<>> by_name_;  // signed-in users, sorted
  EchoBuffer echo_;
  BanList bans_;
  MessageFilters filters_;  // compiled from the settings
  LinkSpamGuard link_spam_;
  RecentContext context_;                           // what was said lately, for reports
  static constexpr int64_t kLinkSweepMs = 300'000;  // forget old links this often
  int64_t next_link_sweep_ms_ = 0;
  TokenBucket presence_budget_;
  PingSchedule pings_;
  std::unordered_map<std::string, std::vector<std::string>> cached_blocklists_;
  // Recent DM message IDs and their two parties, so reactions stay private.
  std::unordered_map<int64_t, std::pair<std::string, std::string>> dm_parties_;
  std::deque<int64_t> dm_order_;

  // The batch being built.
  Output out_;

  // Who lists.
  WhoListBuilder who_lists_;  // full lists of the current state, built on demand
  WhoDeltaBuilder who_deltas_;
  WhoChanges who_changes_;                    // since the last delta round
  WhoPacer who_pacer_;                        // full lists to the viewers without deltas
  std::unordered_set<ConnId> delta_viewers_;  // have their first list, get deltas
  std::vector<ConnId> who_new_;               // signed in during this batch
  int64_t who_delta_due_ms_ = 0;              // the earliest time of the next delta round
  bool who_marked_ = false;                   // the batch holds a marker for everyone's lists
};

}  // namespace chat
