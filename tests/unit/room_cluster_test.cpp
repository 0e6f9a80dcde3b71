// The room's cluster side: a node's users leave with NodeLeft, a node
// delivers to its own connections only, and state every node must agree on
// does not depend on when a node started.
#include <gtest/gtest.h>

#include "room_harness.hpp"

namespace {

using test::RoomHarness;

constexpr chat::ConnId on_node(chat::NodeId node, uint64_t n) {
  return chat::node_base(node) + n;
}

TEST(RoomCluster, NodeLeftSignsOutThatNodesUsersOnly) {
  RoomHarness h;
  h.room().set_local_node(1);
  h.join(on_node(1, 1), "ann");
  h.join(on_node(2, 1), "bob");
  h.join(on_node(2, 2), "cat");
  h.clear();
  h.apply(chat::NodeLeft{2});
  EXPECT_EQ(h.room().user_count(), 1u);
  EXPECT_NE(h.room().find_user("ann"), nullptr);
  EXPECT_EQ(h.room().find(on_node(2, 1)), nullptr);
  // Ann is told, in ID order, that both timed out.
  std::vector<std::string> presence;
  for (const auto& f : h.got(on_node(1, 1))) {
    if (RoomHarness::action_of(f) == "presence") presence.push_back(f);
  }
  ASSERT_EQ(presence.size(), 2u);
  EXPECT_NE(presence[0].find(R"("username":"bob","message":"has timed out!")"), std::string::npos);
  EXPECT_NE(presence[1].find(R"("username":"cat")"), std::string::npos);
}

TEST(RoomCluster, ANodeDeliversToItsOwnConnectionsOnly) {
  RoomHarness h;
  h.room().set_local_node(1);
  h.join(on_node(1, 1), "ann");
  h.join(on_node(2, 1), "bob");
  h.send(on_node(2, 1), R"({"action":"message","channel":"lobby","message":"hi"})");
  for (const auto& d : h.last_output().deliveries) EXPECT_EQ(chat::node_of(d.to), 1u);
  EXPECT_FALSE(h.got(on_node(1, 1)).empty());
  EXPECT_TRUE(h.got(on_node(2, 1)).empty());
  // The other node's user is in the room all the same.
  ASSERT_NE(h.room().find_user("bob"), nullptr);
}

// A node still in its quiet period after start sends no join notices, but
// spends the notice budget as the others do: afterwards both skip the same.
TEST(RoomCluster, TheNoticeBudgetDoesNotDependOnANodesStart) {
  // The harness's first event is 60 s after the start: the quiet node is
  // quiet for the first joins only.
  constexpr int64_t kQuietMs = 60'001;
  RoomHarness quiet(RoomHarness::make_settings(), kQuietMs, 2);
  RoomHarness loud(RoomHarness::make_settings(), 0, 2);
  for (auto* h : {&quiet, &loud}) {
    h->join(1, "watcher");
    h->join(2, "a");
    h->join(3, "b");  // the budget of 2 notices a second is spent
    h->advance(1);    // the quiet period is over; the budget has not come back
    h->clear();
    h->join(4, "c");
  }
  auto presence = [](RoomHarness& h) {
    size_t n = 0;
    for (const auto& f : h.got(1)) n += RoomHarness::action_of(f) == "presence";
    return n;
  };
  EXPECT_EQ(presence(loud), 0u);
  EXPECT_EQ(presence(quiet), 0u);  // it spent its budget while quiet, too
  EXPECT_EQ(quiet.room().snapshot(), loud.room().snapshot());
}

}  // namespace
