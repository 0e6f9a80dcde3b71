#include "chat/who_pacer.hpp"

#include <gtest/gtest.h>

#include <vector>

using chat::ConnId;
using chat::WhoPacer;

namespace {

// Everything next() hands out at `now`, spending `cost` per list.
std::vector<ConnId> drain(WhoPacer& p, int64_t now, size_t cost = 100) {
  std::vector<ConnId> out;
  while (auto id = p.next(now)) {
    out.push_back(*id);
    p.spend(cost);
  }
  return out;
}

}  // namespace

TEST(WhoPacer, WithoutALimitEveryStaleViewerIsServedOnceAChange) {
  WhoPacer p;
  p.set_rate(0);
  for (ConnId id : {1, 2, 3}) p.add(id);
  EXPECT_EQ(drain(p, 0), (std::vector<ConnId>{1, 2, 3}));
  EXPECT_FALSE(p.waiting());
  EXPECT_TRUE(drain(p, 10).empty());  // quiet: nothing more
  p.all_stale();
  EXPECT_EQ(drain(p, 20), (std::vector<ConnId>{1, 2, 3}));
}

TEST(WhoPacer, TheBudgetSpreadsListsOverTime) {
  WhoPacer p;
  p.set_rate(1000);  // bytes per second; holds a second's worth: 10 lists of 100 bytes
  for (ConnId id = 1; id <= 25; ++id) p.add(id);
  const int64_t t0 = 1'000'000;
  EXPECT_EQ(drain(p, t0).size(), 10u);
  EXPECT_TRUE(p.waiting());
  const int64_t due = p.due_ms(t0);
  EXPECT_GT(due, t0);
  EXPECT_EQ(drain(p, t0 + 500).size(), 5u);  // half a second: 500 bytes
  EXPECT_EQ(drain(p, t0 + 1500).size(), 10u);
  EXPECT_FALSE(p.waiting());
}

TEST(WhoPacer, NewViewersComeFirstThenTheLongestWaiting) {
  WhoPacer p;
  p.set_rate(0);
  for (ConnId id : {1, 2, 3, 4}) p.add(id);
  drain(p, 0);
  p.all_stale();
  // A second's budget (1000 bytes) fits two lists of 600 (the second one
  // overdraws): 1 and 2, the longest since their last list.
  p.set_rate(1000);
  EXPECT_EQ(drain(p, 1000, 600), (std::vector<ConnId>{1, 2}));
  p.add(9);       // a newcomer goes before 3 and 4
  p.all_stale();  // another change: 1 and 2 are stale again, after 3 and 4
  EXPECT_EQ(drain(p, 2000, 300), (std::vector<ConnId>{9, 3, 4}));
  EXPECT_EQ(drain(p, 4000, 300), (std::vector<ConnId>{1, 2}));
  EXPECT_FALSE(p.waiting());
}

TEST(WhoPacer, RemovedViewersAreForgottenWhereverTheyWait) {
  WhoPacer p;
  p.set_rate(0);
  for (ConnId id : {1, 2, 3}) p.add(id);
  EXPECT_EQ(drain(p, 0), (std::vector<ConnId>{1, 2, 3}));
  p.add(4);
  p.remove(4);  // never served
  p.remove(1);  // stale-to-be
  p.all_stale();
  p.remove(2);  // stale
  EXPECT_EQ(drain(p, 1), (std::vector<ConnId>{3}));
  p.remove(3);  // fresh
  EXPECT_FALSE(p.waiting());
  p.all_stale();
  EXPECT_FALSE(p.waiting());
}
