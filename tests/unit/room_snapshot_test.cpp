// Room snapshots (Room::snapshot/restore): a room restored from another's
// snapshot is the same state machine. Fed the same events, the two rooms
// make the same deliveries and effects and answer queries alike; and a
// snapshot that is not one is refused without harm.
#include <functional>
#include <random>

#include "room_harness.hpp"
#include "util/bytes.hpp"

namespace {

using chat::ConnId;
using chat::EventBody;

constexpr int64_t kStart = test::kStartMs;
// The copy started at another time: what it knows of the room must come
// from the snapshot, not from its own start (message ids, clock). Earlier,
// not later: a room drops join/exit notices for presence_quiet_ms after its
// own start (0 here), and a start after the events would read as "not yet".
constexpr int64_t kOtherStart = test::kStartMs - 7 * 3'600'000;

config::Settings rich_settings() {
  auto s = test::RoomHarness::make_settings();
  s.webhook_urls = {{.name = "report", .enabled = true, .url = "http://127.0.0.1:1/r"}};
  s.dm_link_spam_protection.max_threads = 2;
  s.message_filters = {{.enabled = true, .keyword_phrases = {"badword"}, .report_message = true}};
  // Low enough that full who lists wait for their budget across batches.
  s.who_list_bytes_per_second = 3'000;
  s.blockable_admins = true;  // unless they lifted their mutes (/unmute-all)
  return s;
}

// What a room did, as text: deliveries other than who lists in their order,
// everything each connection got in its order (who lists to different
// viewers may come in any order), and the other effects.
struct Trace {
  std::vector<std::string> plain;
  std::map<ConnId, std::vector<std::string>> by_conn;
  std::vector<std::string> effects;
  bool operator==(const Trace&) const = default;
};

bool is_who(const std::string& frame) {
  return frame.starts_with(R"({"action":"who)");
}

void record(const chat::Output& out, Trace& t) {
  for (const auto& d : out.deliveries) {
    std::string frame(d.frame.payload());
    if (!is_who(frame)) t.plain.push_back(std::to_string(d.to) + " " + frame);
    t.by_conn[d.to].push_back(frame);
  }
  for (const auto& c : out.closes) {
    t.effects.push_back("close " + std::to_string(c.conn) + " " + c.reason);
  }
  for (const auto& r : out.replies) t.effects.push_back("reply " + r.body);
  for (const auto& b : out.ban_changes) {
    t.effects.push_back("ban " + b.username + " " + std::to_string(b.until_ms.value_or(-1)));
  }
  for (const auto& h : out.history_writes) {
    t.effects.push_back("dm " + std::to_string(h.msg_id) + " " + h.sender + ">" + h.recipient);
  }
  for (const auto& h : out.history_takebacks) {
    t.effects.push_back("takeback " + std::to_string(h.msg_id) + " " + h.owner);
  }
  for (const auto& r : out.reports) {
    t.effects.push_back("report " + r.from_username + ">" + r.about_username + " " + r.reason +
                        " " + r.message);
  }
  for (const auto& p : out.pictures) {
    t.effects.push_back("picture " + std::to_string(p.conn) + " " + p.channel);
  }
  t.effects.push_back("wake " + std::to_string(out.wake_at_ms));
}

// Builds events with the time and inputs prepared once, so that two rooms
// get the very same events (an `open` draws its secret when prepared).
class Script {
 public:
  explicit Script(std::shared_ptr<const config::Settings> s) : settings_(std::move(s)) {}

  void advance(int64_t ms) { now_ += ms; }
  void add(EventBody body) { batches_.push_back({{now_, std::move(body)}}); }
  void say(ConnId id, const std::string& json) {
    add(chat::Received{id, chat::prepare_inbound(json, *settings_, now_ / 1000)});
  }
  void message(ConnId id, const std::string& channel, const std::string& text) {
    say(id, R"({"action":"message","channel":")" + channel + R"(","message":")" + text + "\"}");
  }
  void join(ConnId id, const std::string& name, bool deltas = false) {
    add(chat::Connected{id});
    say(id, R"({"action":"login","username":")" + name + "\"" +
                (deltas ? R"(,"extensions":["who-delta"]})" : "}"));
  }
  void join_jwt(ConnId id, const auth::Claims& claims) {
    add(chat::Connected{id});
    say(id, R"({"action":"login","jwt":")" + auth::sign_jwt(claims, test::kSecret) + "\"}");
  }
  // Several events as one batch.
  void batch(const std::function<void()>& add_events) {
    const size_t from = batches_.size();
    add_events();
    std::vector<chat::Event> merged;
    for (size_t i = from; i < batches_.size(); ++i) {
      for (auto& e : batches_[i]) merged.push_back(std::move(e));
    }
    batches_.resize(from);
    batches_.push_back(std::move(merged));
  }

  void run(chat::Room& room, Trace& trace) const {
    for (const auto& events : batches_) {
      for (const auto& e : events) room.handle(e);
      record(room.finish_batch(), trace);
    }
  }
  void clear() { batches_.clear(); }
  int64_t now() const { return now_; }

 private:
  std::shared_ptr<const config::Settings> settings_;
  int64_t now_ = kStart + 60'000;
  std::vector<std::vector<chat::Event>> batches_;
};

auth::Claims full_claims(const std::string& sub, bool op, bool vip, int64_t now_s) {
  auto c = test::claims_for(sub);
  c.iss = "example.com";
  c.aud = {"chat", "web"};
  c.exp = static_cast<double>(now_s + 86'400);
  c.iat = c.nbf = static_cast<double>(now_s - 10);
  c.jti = "id-" + sub;
  c.op = op;
  c.vip = vip;
  c.img = "/av/" + sub + ".png";
  c.url = "/u/" + sub;
  c.nick = "Nick " + sub;
  c.emoji = "🙂";
  c.gender = "f";
  c.rules = vip ? std::vector<std::string>{"redcam"} : std::vector<std::string>{"nobroadcast"};
  return c;
}

// The msgID of the last message `author` posted in `channel` that `to` got.
int64_t msg_id(const Trace& t, ConnId to, const std::string& channel, const std::string& author) {
  const auto& frames = t.by_conn.at(to);
  for (auto it = frames.rbegin(); it != frames.rend(); ++it) {
    auto doc = protocol::parse_json(*it);
    if (test::RoomHarness::action_of(*it) != "message") continue;
    if ((*doc)["channel"].GetString() != channel) continue;
    if ((*doc)["username"].GetString() != author) continue;
    return (*doc)["msgID"].GetInt64();
  }
  ADD_FAILURE() << "no message from " << author << " in " << channel;
  return 0;
}

// Connections: 1 alice (deltas), 2 opal (JWT op), 3 vic (JWT VIP), 4 bob,
// 5 carol, 6 dave (deltas), 7 connected without login.
void build_history(Script& s, chat::Room& room, Trace& t) {
  const int64_t now_s = s.now() / 1000;
  s.join(1, "alice", true);
  s.join_jwt(2, full_claims("opal", true, false, now_s));
  s.join_jwt(3, full_claims("vic", false, true, now_s));
  s.batch([&] {  // a join storm: lists wait for the pacer's budget
    s.join(4, "bob");
    s.join(5, "carol");
    s.join(6, "dave", true);
    s.add(chat::Connected{7});
  });
  s.say(1, R"({"action":"me","video":1,"status":"away"})");
  s.say(3, R"({"action":"me","video":65})");  // VIP-only camera
  s.say(4, R"({"action":"open","username":"alice"})");
  s.say(4, R"({"action":"mute","username":"carol"})");
  s.say(5, R"({"action":"block","username":"dave"})");
  s.say(6, R"({"action":"blocklist","usernames":["opal"]})");
  s.say(1, R"({"action":"boot","username":"carol"})");
  s.say(3, R"({"action":"video-invite","usernames":["bob"]})");
  s.say(7, R"({"action":"mute","username":"alice"})");  // kept for its login
  s.message(1, "lobby", "hello lobby");
  s.message(4, "lobby", "bob here");
  s.message(5, "lobby", "carol speaks");
  s.message(3, "vip", "vip only");
  s.message(4, "@alice", "psst alice");
  s.message(1, "@bob", "hi bob");
  s.message(6, "@alice", "see https://spam.example.com/x");
  s.message(6, "@bob", "see https://spam.example.com/x");
  s.message(5, "lobby", "a badword here");  // filtered and reported
  s.message(2, "lobby", "/ban eve 2");
  s.message(2, "lobby", "/op bob");
  s.message(2, "lobby", "/unmute-all");  // opal becomes unblockable
  for (int i = 0; i < 2; ++i) {          // as many pictures as may be in the works
    s.say(1, R"({"action":"file","channel":"offtopic","message":"a.png","bytes":"aGVsbG8="})");
  }
  s.add(chat::CacheBlocklist{"bob", {"zed", "yan"}});
  for (int i = 0; i < 3; ++i) {  // as many as may wait for the website
    s.say(1, R"({"action":"report","channel":"lobby","username":"carol","reason":"rude",)"
             R"("message":"carol speaks","comment":"please"})");
  }
  s.advance(1'200);
  s.add(chat::Tick{});
  // Bob spends his `open` tokens (a burst of 20, then 2 a second).
  for (int i = 0; i < 21; ++i) s.say(4, R"({"action":"open","username":"alice"})");
  // Comings and goings that spend the join/exit notices' budget.
  for (ConnId id = 10; id < 13; ++id) {
    s.join(id, "hank");
    s.add(chat::Disconnected{id});
  }
  s.run(room, t);
  s.clear();
}

// Events that each read some state the snapshot must have carried.
void continue_story(Script& s, const Trace& before) {
  const int64_t alice_public = msg_id(before, 4, "lobby", "alice");
  const int64_t bob_dm = msg_id(before, 1, "@bob", "bob");
  s.advance(500);
  s.say(1, R"({"action":"takeback","msgID":)" + std::to_string(alice_public) + "}");
  s.say(1, R"({"action":"react","msgID":)" + std::to_string(bob_dm) + R"(,"message":"👍"})");
  s.message(5, "lobby", "muted by bob");
  s.message(5, "@bob", "dm from the muted");
  s.message(2, "@dave", "from an unblockable operator");
  s.join(8, "eve");  // banned
  s.say(4, R"({"action":"sdp","username":"alice","description":"{\"type\":\"offer\"}"})");
  s.say(4, R"({"action":"candidate","username":"alice","candidate":"{\"c\":1}"})");
  s.say(4, R"({"action":"open","username":"alice"})");  // one token came back
  s.say(4, R"({"action":"open","username":"alice"})");  // and was spent
  s.message(4, "lobby", "/kick carol");                 // bob is an operator by /op
  s.message(4, "lobby", "/bans");
  s.join(9, "frank");  // gets the echo of the lobby
  s.say(7, R"({"action":"login","username":"gina"})");
  s.message(6, "@frank", "see https://spam.example.com/x");  // a third partner: kicked
  s.message(1, "@vic", "another badword");
  s.say(1, R"({"action":"report","channel":"lobby","username":"carol"})");   // too many
  s.say(4, R"({"action":"report","channel":"@alice","username":"alice"})");  // with context
  s.add(chat::ReportSent{1, ""});
  s.say(1, R"({"action":"file","channel":"offtopic","message":"b.png","bytes":"aGVsbG8="})");
  s.add(chat::PictureReady{1, "offtopic", "<img src=\"x\">", ""});
  s.say(5, R"({"action":"open","username":"alice"})");
  s.add(chat::StatisticsQuery{100});
  s.add(chat::OnlineQuery{101, "bob"});
  s.add(chat::BlocklistQuery{102, "bob"});
  s.add(chat::BlocklistQuery{103, "nobody"});
  for (int i = 0; i < 8; ++i) {  // pings, and the pacer catching up
    s.advance(5'000);
    s.add(chat::Tick{});
  }
  s.add(chat::Disconnected{1});
  s.add(chat::AmendJwt{104, "vic", full_claims("vic", true, true, s.now() / 1000)});
  s.message(3, "lobby", "/deop bob");
  s.message(4, "lobby", "/kick vic");
  s.advance(31'000);
  s.add(chat::Tick{});
}

struct Rooms {
  std::shared_ptr<const config::Settings> settings =
      std::make_shared<config::Settings>(rich_settings());
  // Few join/exit notices a second: whether one is sent depends on the budget.
  chat::Room original{
      settings,
      {.started_at_ms = kStart, .presence_quiet_ms = 0, .presence_deliveries_per_second = 12}};
  chat::Room copy{
      settings,
      {.started_at_ms = kOtherStart, .presence_quiet_ms = 0, .presence_deliveries_per_second = 12}};
  Script script{settings};
  Trace before;

  Rooms() {
    original.enable_history(0);
    build_history(script, original, before);
  }
};

TEST(RoomSnapshot, RestoredRoomBehavesAsTheOriginal) {
  Rooms r;
  const auto snap = r.original.snapshot();
  ASSERT_TRUE(r.copy.restore(snap).has_value());
  EXPECT_EQ(r.copy.snapshot(), snap);
  EXPECT_EQ(r.copy.connection_count(), 7u);
  EXPECT_EQ(r.copy.user_count(), 6u);

  continue_story(r.script, r.before);
  Trace a, b;
  r.script.run(r.original, a);
  r.script.run(r.copy, b);
  EXPECT_EQ(a.plain, b.plain);
  EXPECT_EQ(a.by_conn, b.by_conn);
  EXPECT_EQ(a.effects, b.effects);
  EXPECT_EQ(r.original.snapshot(), r.copy.snapshot());
}

// Who-list work that waits between batches (deltas deferred to the next
// round, full lists deferred by the byte budget) goes on in the copy as in
// the original.
TEST(RoomSnapshot, PendingWhoListWorkCarriesOver) {
  auto settings = std::make_shared<config::Settings>(rich_settings());
  chat::Room original(settings, {.started_at_ms = kStart, .presence_quiet_ms = 0});
  chat::Room copy(settings, {.started_at_ms = kOtherStart, .presence_quiet_ms = 0});
  Script s(settings);
  s.batch([&] {  // 80 delta viewers: a round of deltas costs a couple of ms
    for (ConnId id = 1; id <= 100; ++id) s.join(id, "user" + std::to_string(id), id <= 80);
  });
  s.say(1, R"({"action":"me","status":"away"})");  // a round, due again 1 ms later
  s.say(2, R"({"action":"me","status":"away"})");  // waits for that round
  Trace before;
  s.run(original, before);
  ASSERT_NE(before.effects.back(), "wake 0");

  ASSERT_TRUE(copy.restore(original.snapshot()).has_value());
  s.clear();
  s.say(3, R"({"action":"mute","username":"user90"})");
  for (int i = 0; i < 20; ++i) {
    s.advance(i < 10 ? 1 : 1'000);
    s.add(chat::Tick{});
  }
  Trace a, b;
  s.run(original, a);
  s.run(copy, b);
  EXPECT_EQ(a, b);
  EXPECT_EQ(original.snapshot(), copy.snapshot());
  size_t deltas = 0, lists = 0;
  for (const auto& [_, frames] : a.by_conn) {
    for (const auto& f : frames) {
      deltas += f.starts_with(R"({"action":"who-delta")");
      lists += f.starts_with(R"({"action":"who",)");
    }
  }
  EXPECT_GT(deltas, 0u);
  EXPECT_GT(lists, 0u);
}

// In a cluster each node serves the who lists of its own viewers only: a
// snapshot names the writer's, and the new node, once told which it is,
// forgets them and serves its own.
TEST(RoomSnapshot, ANewNodeServesItsOwnViewers) {
  auto settings = std::make_shared<config::Settings>(test::RoomHarness::make_settings());
  chat::Room node1(settings, {.started_at_ms = kStart, .presence_quiet_ms = 0});
  node1.set_local_node(1);
  Script s(settings);
  const ConnId a = chat::node_base(1) + 1, b = chat::node_base(2) + 1, c = chat::node_base(3) + 1;
  s.join(a, "alice");
  s.join(b, "bob", true);
  Trace before;
  s.run(node1, before);

  chat::Room node3(settings, {.started_at_ms = kOtherStart, .presence_quiet_ms = 0});
  ASSERT_TRUE(node3.restore(node1.snapshot()).has_value());
  node3.set_local_node(3);
  s.clear();
  s.join(c, "carol");
  s.say(b, R"({"action":"me","status":"away"})");
  s.add(chat::StatisticsQuery{1});
  Trace t1, t3;
  s.run(node1, t1);
  s.run(node3, t3);
  EXPECT_EQ(t1.effects, t3.effects);  // the same room
  EXPECT_FALSE(t1.by_conn.contains(c));
  ASSERT_TRUE(t3.by_conn.contains(c));
  EXPECT_EQ(test::who_names(test::last_of(t3.by_conn[c], "who")),
            (std::vector<std::string>{"alice", "bob", "carol"}));
  EXPECT_EQ(t3.by_conn.size(), 1u);  // nothing for the other nodes' viewers
}

// The story does reach the state it means to test.
TEST(RoomSnapshot, TheStoryExercisesTheState) {
  Rooms r;
  ASSERT_TRUE(r.copy.restore(r.original.snapshot()).has_value());
  const auto* bob = r.copy.find_user("bob");
  ASSERT_NE(bob, nullptr);
  EXPECT_TRUE(bob->is_op());
  EXPECT_TRUE(bob->muted.contains("carol"));
  EXPECT_EQ(bob->peers.size(), 1u);
  EXPECT_EQ(r.copy.find_user("alice")->reports_pending, 3);
  EXPECT_EQ(r.copy.find_user("alice")->pictures_pending, 2);
  EXPECT_TRUE(r.copy.find_user("opal")->unblockable);
  EXPECT_EQ(r.copy.find_user("opal")->claims->rules, std::vector<std::string>{"nobroadcast"});
  EXPECT_EQ(r.copy.find(7)->muted.count("alice"), 1u);

  continue_story(r.script, r.before);
  Trace t;
  r.script.run(r.copy, t);
  auto has = [&](ConnId to, const std::string& part) {
    for (const auto& f : t.by_conn[to]) {
      if (f.find(part) != std::string::npos) return true;
    }
    return false;
  };
  EXPECT_TRUE(has(4, R"("action":"takeback")"));            // alice's own message
  EXPECT_TRUE(has(4, R"("action":"react")"));               // the DM's other party
  EXPECT_FALSE(has(4, "muted by bob"));                     // the mute held
  EXPECT_TRUE(has(8, "banned"));                            // the ban held
  EXPECT_TRUE(has(1, R"("action":"sdp")"));                 // peers held
  EXPECT_TRUE(has(5, R"("action":"disconnect")"));          // bob's /kick worked
  EXPECT_TRUE(has(9, "carol speaks"));                      // the echo
  EXPECT_TRUE(has(6, "disconnect"));                        // link spam: a third partner
  EXPECT_TRUE(has(4, R"("jwt":)") || has(2, R"("jwt":)"));  // pings refresh the JWT
  auto replied = [&](const std::string& body) {
    return std::ranges::find(t.effects, "reply " + body) != t.effects.end();
  };
  EXPECT_TRUE(replied(R"(["zed","yan"])"));  // the cached blocklist
  EXPECT_TRUE(replied("1"));                 // bob is online
}

// --- corrupt input ------------------------------------------------------------

// A room that refused a snapshot is as it was, and goes on working.
void expect_unharmed(chat::Room& room, const config::Settings& s, const std::string& before) {
  EXPECT_EQ(room.snapshot(), before);
  const auto login = R"({"action":"login","username":"zz"})";
  room.handle({kStart + 600'000, chat::Connected{900}});
  room.handle({kStart + 600'000, chat::Received{900, chat::prepare_inbound(login, s, kStart)}});
  room.finish_batch();
  EXPECT_NE(room.find_user("zz"), nullptr);
}

TEST(RoomSnapshot, EveryTruncationIsRefused) {
  Rooms r;
  const auto snap = r.original.snapshot();
  const auto fresh = r.copy.snapshot();
  for (size_t n = 0; n < snap.size(); ++n) {
    auto result = r.copy.restore(std::string_view(snap).substr(0, n));
    ASSERT_FALSE(result.has_value()) << n;
    ASSERT_TRUE(result.error().starts_with("room snapshot: ")) << result.error();
    ASSERT_EQ(r.copy.snapshot(), fresh) << n;
  }
  expect_unharmed(r.copy, *r.settings, fresh);
}

TEST(RoomSnapshot, OtherVersionsAndTrailingBytesAreRefused) {
  Rooms r;
  const auto snap = r.original.snapshot();
  const auto fresh = r.copy.snapshot();
  ASSERT_EQ(snap[0], '\x01');
  for (char version : {'\x00', '\x02', '\x7f'}) {
    auto other = snap;
    other[0] = version;
    auto result = r.copy.restore(other);
    ASSERT_FALSE(result.has_value());
    EXPECT_EQ(result.error(), "room snapshot: not a snapshot of this version");
  }
  auto result = r.copy.restore(snap + '\0');
  ASSERT_FALSE(result.has_value());
  EXPECT_EQ(result.error(), "room snapshot: bytes after the end");
  EXPECT_FALSE(r.copy.restore("").has_value());
  expect_unharmed(r.copy, *r.settings, fresh);
}

// Garbage never crashes nor allocates without bound; a garbled snapshot that
// still decodes leaves a room that works.
TEST(RoomSnapshot, RandomBytesAndMutationsNeverCrash) {
  Rooms r;
  const auto snap = r.original.snapshot();
  std::mt19937 rng(20240611);
  auto byte = [&] { return static_cast<char>(rng() & 0xff); };
  for (int i = 0; i < 3'000; ++i) {
    std::string junk(rng() % 200, '\0');
    for (auto& ch : junk) ch = byte();
    if (i % 2) junk[0] = '\x01';  // past the version check
    EXPECT_FALSE(r.copy.restore(junk).has_value());
  }
  int accepted = 0;
  for (int i = 0; i < 1'500; ++i) {
    auto bad = snap;
    for (int flips = 1 + static_cast<int>(rng() % 3); flips > 0; --flips) {
      bad[1 + rng() % (bad.size() - 1)] = byte();
    }
    chat::Room room(r.settings, {.started_at_ms = kOtherStart});
    if (!room.restore(bad)) continue;
    ++accepted;
    Trace t;
    r.script.clear();
    continue_story(r.script, r.before);
    r.script.run(room, t);
  }
  EXPECT_GT(accepted, 0);  // some flips land in text or numbers: still a room
}

// Counts and lengths that the rest of the input cannot hold fail before any
// memory is reserved for them.
TEST(RoomSnapshot, HugeCountsAreRefused) {
  Rooms r;
  for (int field = 0; field < 2; ++field) {
    std::string bad;
    util::ByteWriter w(bad);
    w.u64(1).i64(kStart).i64(1).boolean(false).i64(kStart);
    if (field == 0) {
      w.u64(uint64_t{1} << 40);  // connections
    } else {
      w.u64(1).u64(7).u64(uint64_t{1} << 50);  // one connection, a username of 1 PB
    }
    bad.append(64, '\0');
    auto result = r.copy.restore(bad);
    ASSERT_FALSE(result.has_value());
    EXPECT_EQ(result.error(), "room snapshot: truncated or malformed");
  }
}

// A big room's snapshot stays small: about 200 bytes a signed-in user with
// a website's claims (410 kB for 2,000; recorded as a test property).
TEST(RoomSnapshot, BigRoomSnapshotIsCompact) {
  auto settings = std::make_shared<config::Settings>(rich_settings());
  chat::Room original(settings, {.started_at_ms = kStart, .presence_quiet_ms = 0});
  Script s(settings);
  constexpr int kUsers = 2'000;
  for (int batch = 0; batch < kUsers / 100; ++batch) {
    s.batch([&] {
      for (int i = 0; i < 100; ++i) {
        const int n = batch * 100 + i;
        auto claims =
            full_claims("user" + std::to_string(n), n % 50 == 0, n % 10 == 0, s.now() / 1000);
        s.join_jwt(static_cast<ConnId>(n + 1), claims);
      }
    });
  }
  for (int n = 0; n < kUsers; n += 100) s.message(static_cast<ConnId>(n + 1), "lobby", "hi all");
  Trace t;
  s.run(original, t);
  ASSERT_EQ(original.user_count(), static_cast<size_t>(kUsers));
  const auto snap = original.snapshot();
  RecordProperty("snapshot_bytes", static_cast<int>(snap.size()));
  chat::Room copy(settings, {.started_at_ms = kOtherStart, .presence_quiet_ms = 0});
  ASSERT_TRUE(copy.restore(snap).has_value());
  EXPECT_EQ(copy.snapshot(), snap);
  EXPECT_LT(snap.size(), static_cast<size_t>(kUsers) * 300);
}

}  // namespace
