// The who-delta extension as a client sees it: asking for it at login, the
// first full list, then deltas; clients that do not ask see the original
// protocol unchanged.
#include "room_harness.hpp"

using test::RoomHarness;
using test::who_names;

namespace {

void join_with_deltas(RoomHarness& h, chat::ConnId id, const std::string& name) {
  h.connect(id);
  h.send(id, R"({"action":"login","username":")" + name + R"(","extensions":["who-delta"]})");
  h.clear();
}

}  // namespace

TEST(WhoDelta, LoginGrantsTheExtensionInMe) {
  RoomHarness h;
  h.connect(1);
  h.send(1, R"({"action":"login","username":"ann","extensions":["later-thing","who-delta"]})");
  EXPECT_EQ(h.got(1).at(0), R"({"action":"me","username":"ann","extensions":["who-delta"]})");
  EXPECT_EQ(
      h.got(1).at(1),
      R"({"action":"who","whoList":[{"username":"ann","status":"online","video":0,"loginAt":1795622587,"op":false}]})");
  EXPECT_TRUE(h.room().find(1)->who_deltas);
}

TEST(WhoDelta, TypingIsGrantedInTheClientsOrderOnce) {
  RoomHarness h;
  h.connect(1);
  h.send(1,
         R"({"action":"login","username":"ann","extensions":["typing","x","who-delta","typing"]})");
  EXPECT_EQ(h.got(1).at(0),
            R"({"action":"me","username":"ann","extensions":["typing","who-delta"]})");
  h.connect(2);
  h.send(2, R"({"action":"login","username":"bob","extensions":["typing"]})");
  EXPECT_EQ(h.got(2).at(0), R"({"action":"me","username":"bob","extensions":["typing"]})");
  EXPECT_FALSE(h.room().find(2)->who_deltas);
}

TEST(WhoDelta, NothingGrantedMeansTheOriginalMe) {
  RoomHarness h;
  h.connect(1);
  h.send(1, R"({"action":"login","username":"ann","extensions":["unknown"]})");
  EXPECT_EQ(h.got(1).at(0), R"({"action":"me","username":"ann"})");
  h.connect(2);
  h.send(2, R"({"action":"login","username":"bob"})");
  EXPECT_EQ(h.got(2).at(0), R"({"action":"me","username":"bob"})");
  EXPECT_FALSE(h.room().find(2)->who_deltas);
}

TEST(WhoDelta, ExtensionsOfTheWrongTypeAreAClearError) {
  RoomHarness h;
  h.connect(1);
  h.send(1, R"({"action":"login","username":"ann","extensions":"who-delta"})");
  ASSERT_EQ(h.got(1).size(), 1u);
  EXPECT_NE(h.got(1)[0].find("extensions"), std::string::npos) << h.got(1)[0];
  EXPECT_FALSE(h.room().find(1)->authenticated);
}

TEST(WhoDelta, ChangesArriveAsDeltasSharedByViewersWithTheSameView) {
  RoomHarness h;
  join_with_deltas(h, 1, "ann");
  join_with_deltas(h, 2, "bob");
  h.join(3, "legacy");
  h.clear();
  h.send(3, R"({"action":"me","video":1,"status":"away"})");
  const auto delta =
      R"({"action":"who-delta","set":[{"username":"legacy","status":"away","video":1,"loginAt":1795622587,"op":false}]})";
  EXPECT_EQ(h.got(1), std::vector<std::string>{delta});
  EXPECT_EQ(h.got(2), std::vector<std::string>{delta});
  EXPECT_EQ(who_names(h.got(3).at(0)), (std::vector<std::string>{"ann", "bob", "legacy"}));
  const chat::Delivery* first = nullptr;
  for (const auto& d : h.last_output().deliveries) {
    if (d.to == 3) {
      EXPECT_TRUE(d.snapshot);  // a full list: a newer one may replace it
      continue;
    }
    EXPECT_FALSE(d.snapshot);  // deltas build on each other: never replaced
    if (!first) first = &d;
    EXPECT_EQ(d.frame.buffer.get(), first->frame.buffer.get());
  }
}

TEST(WhoDelta, JoinsAndLeavesAreSetsAndRemoves) {
  RoomHarness h;
  join_with_deltas(h, 1, "ann");
  h.connect(2);
  h.send(2, R"({"action":"login","username":"bob"})");
  EXPECT_EQ(
      test::last_of(h.got(1), "who-delta"),
      R"({"action":"who-delta","set":[{"username":"bob","status":"online","video":0,"loginAt":1795622587,"op":false}]})");
  h.clear();
  h.disconnect(2);
  EXPECT_EQ(h.got(1),
            (std::vector<std::string>{
                R"({"action":"presence","username":"bob","message":"has exited the room!"})",
                R"({"action":"who-delta","remove":["bob"]})"}));
}

TEST(WhoDelta, ARelationChangesOnlyTheViewsItTouches) {
  RoomHarness h;
  h.join(1, "cam");
  join_with_deltas(h, 2, "booted");
  join_with_deltas(h, 3, "other");
  h.send(1, R"({"action":"me","video":1})");
  h.clear();
  h.send(1, R"({"action":"boot","username":"booted"})");
  EXPECT_EQ(
      h.got(2),
      std::vector<std::string>{
          R"({"action":"who-delta","set":[{"username":"cam","status":"","video":0,"loginAt":1795622587,"op":false}]})"});
  EXPECT_TRUE(h.got(3).empty());  // its view did not change
  h.clear();
  h.send(2, R"({"action":"block","username":"other"})");
  EXPECT_EQ(h.got(2), std::vector<std::string>{R"({"action":"who-delta","remove":["other"]})"});
  EXPECT_EQ(h.got(3), std::vector<std::string>{R"({"action":"who-delta","remove":["booted"]})"});
}

TEST(WhoDelta, ASettingsChangeSendsFullLists) {
  RoomHarness h;
  join_with_deltas(h, 1, "ann");
  auto s = RoomHarness::make_settings();
  s.vip.mutually_secret = true;
  h.room().set_settings(std::make_shared<config::Settings>(s));
  h.apply(chat::Tick{});
  ASSERT_EQ(h.actions(1), std::vector<std::string>{"who"});
  EXPECT_EQ(who_names(h.got(1)[0]), std::vector<std::string>{"ann"});
}

TEST(WhoDelta, RoundsInABigRoomAreSpacedAndMerged) {
  RoomHarness h;
  std::vector<chat::EventBody> batch;
  for (chat::ConnId id = 1; id <= 300; ++id) {
    batch.push_back(chat::Connected{id});
    batch.push_back(h.received(id, R"({"action":"login","username":"u)" + std::to_string(id) +
                                       R"(","extensions":["who-delta"]})"));
  }
  h.apply_batch(std::move(batch));
  h.advance(1000);
  h.clear();
  h.send(1, R"({"action":"me","video":1,"status":"online"})");  // a round to 300 viewers
  EXPECT_EQ(h.actions(2), std::vector<std::string>{"who-delta"});
  h.clear();
  // Right after it, the next changes wait (300 deliveries: 6 ms) and are merged.
  h.send(1, R"({"action":"me","video":0,"status":"online"})");
  h.send(2, R"({"action":"me","video":1,"status":"online"})");
  EXPECT_TRUE(h.got(3).empty());
  const int64_t due = h.last_output().wake_at_ms;
  EXPECT_EQ(due, h.now_ms() + 6);
  h.advance(6);
  h.apply(chat::Tick{});
  ASSERT_EQ(h.got(3).size(), 1u);
  EXPECT_EQ(test::who_delta_names(h.got(3)[0]), (std::vector<std::string>{"u1", "u2"}));
  EXPECT_EQ(h.last_output().wake_at_ms, 0);
}
