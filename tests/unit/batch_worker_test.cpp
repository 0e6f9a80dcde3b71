// The worker thread that the stores share: batches in order, and a task of
// its own every so often, even while items keep coming.
#include <gtest/gtest.h>

#include <atomic>
#include <chrono>
#include <thread>

#include "util/batch_worker.hpp"

namespace {

TEST(BatchWorker, HandlesEveryItemInOrder) {
  std::vector<int> seen;
  {
    util::BatchWorker<int> w([&](const std::vector<int>& batch) {
      seen.insert(seen.end(), batch.begin(), batch.end());
    });
    for (int i = 0; i < 100; ++i) w.add({i, i + 100});
    w.flush();
    EXPECT_EQ(seen.size(), 200u);
    w.add({7});
  }  // destroying it handles what is queued
  ASSERT_EQ(seen.size(), 201u);
  EXPECT_EQ(seen[0], 0);
  EXPECT_EQ(seen[1], 100);
  EXPECT_EQ(seen.back(), 7);
}

TEST(BatchWorker, RunsItsPeriodicTaskWhileItemsKeepComing) {
  std::atomic<int> ticks{0};
  // A slow handler and a producer that never pauses: whenever the worker
  // looks, items are waiting.
  util::BatchWorker<int> w(
      [](const std::vector<int>&) { std::this_thread::sleep_for(std::chrono::milliseconds(2)); },
      util::BatchWorker<int>::Periodic{std::chrono::milliseconds(1), [&] { ++ticks; }});
  const auto give_up = std::chrono::steady_clock::now() + std::chrono::seconds(20);
  while (ticks < 3 && std::chrono::steady_clock::now() < give_up) {
    w.add({1});
    std::this_thread::sleep_for(std::chrono::microseconds(100));
  }
  EXPECT_GE(ticks.load(), 3);
}

}  // namespace
