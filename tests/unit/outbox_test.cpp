#include <gtest/gtest.h>

#include "net/outbox.hpp"
#include "protocol/frame.hpp"

using net::Outbox;
using protocol::make_text_frame;

TEST(Outbox, FirstPushAsksForAFlushThenQueuesQuietly) {
  Outbox box(1 << 20);
  EXPECT_EQ(box.push(make_text_frame("a"), false), Outbox::Push::kNeedsFlush);
  EXPECT_EQ(box.push(make_text_frame("b"), false), Outbox::Push::kQueued);
  const auto& batch = box.take(64);
  ASSERT_EQ(batch.size(), 2u);
  EXPECT_EQ(batch[0].payload(), "a");
  EXPECT_TRUE(box.take(64).empty());  // written; nothing more: the flush is over
  EXPECT_EQ(box.push(make_text_frame("c"), false), Outbox::Push::kNeedsFlush);
}

TEST(Outbox, BatchesAreBounded) {
  Outbox box(1 << 20);
  for (int i = 0; i < 10; ++i) box.push(make_text_frame(std::to_string(i)), false);
  EXPECT_EQ(box.take(4).size(), 4u);
  EXPECT_EQ(box.take(4)[0].payload(), "4");
}

TEST(Outbox, ANewerSnapshotReplacesTheUnsentOne) {
  Outbox box(1 << 20);
  box.push(make_text_frame("who1"), true);
  box.push(make_text_frame("msg"), false);
  EXPECT_EQ(box.push(make_text_frame("who2"), true), Outbox::Push::kQueued);
  const auto& batch = box.take(64);
  ASSERT_EQ(batch.size(), 2u);
  EXPECT_EQ(batch[0].payload(), "who2");  // in the first list's place
  EXPECT_EQ(batch[1].payload(), "msg");
}

TEST(Outbox, ASnapshotAlreadyBeingWrittenIsNotReplaced) {
  Outbox box(1 << 20);
  box.push(make_text_frame("who1"), true);
  const auto& batch = box.take(64);
  EXPECT_EQ(batch[0].payload(), "who1");
  EXPECT_EQ(box.push(make_text_frame("who2"), true), Outbox::Push::kQueued);
  EXPECT_EQ(box.take(64)[0].payload(), "who2");
}

TEST(Outbox, OverTheByteCapThePushFails) {
  Outbox box(100);
  EXPECT_EQ(box.push(make_text_frame(std::string(60, 'x')), false), Outbox::Push::kNeedsFlush);
  EXPECT_EQ(box.push(make_text_frame(std::string(60, 'y')), false), Outbox::Push::kOverflow);
  EXPECT_EQ(box.queued_bytes(), 62u);
}

TEST(Outbox, OneFrameLargerThanTheCapPassesWhenEmpty) {
  Outbox box(100);
  EXPECT_EQ(box.push(make_text_frame(std::string(500, 'x')), false), Outbox::Push::kNeedsFlush);
}

TEST(Outbox, BytesInFlightCountUntilTheNextTake) {
  Outbox box(100);
  box.push(make_text_frame(std::string(60, 'x')), false);
  box.take(64);
  EXPECT_EQ(box.push(make_text_frame(std::string(60, 'y')), false), Outbox::Push::kOverflow);
  EXPECT_TRUE(box.take(64).empty());  // the first one written
  EXPECT_EQ(box.queued_bytes(), 0u);
  EXPECT_EQ(box.push(make_text_frame(std::string(60, 'y')), false), Outbox::Push::kNeedsFlush);
}

TEST(Outbox, WhoListsDoNotCountAgainstTheCap) {
  Outbox box(100);
  box.push(make_text_frame(std::string(500, 'w')), true);  // a big list, being written
  box.take(64);
  EXPECT_TRUE(box.in_flight_snapshot(0));
  EXPECT_EQ(box.push(make_text_frame(std::string(500, 'v')), true), Outbox::Push::kQueued);
  EXPECT_EQ(box.push(make_text_frame(std::string(60, 'x')), false), Outbox::Push::kQueued);
  EXPECT_EQ(box.push(make_text_frame(std::string(60, 'y')), false), Outbox::Push::kOverflow);
  const auto& next = box.take(64);
  ASSERT_EQ(next.size(), 2u);
  EXPECT_TRUE(box.in_flight_snapshot(0));
  EXPECT_FALSE(box.in_flight_snapshot(1));
  EXPECT_TRUE(box.take(64).empty());
  EXPECT_EQ(box.queued_bytes(), 0u);
}

TEST(Frame, HeadersForEachLengthClass) {
  auto small = make_text_frame("hi");
  EXPECT_EQ(small.wire(), std::string("\x81\x02hi", 4));
  auto medium = make_text_frame(std::string(200, 'm'));
  EXPECT_EQ(medium.wire().substr(0, 4), std::string("\x81\x7e\x00\xc8", 4));
  auto large = make_text_frame(std::string(70000, 'l'));
  EXPECT_EQ(large.wire().substr(0, 10),
            std::string("\x81\x7f\x00\x00\x00\x00\x00\x01\x11\x70", 10));
  EXPECT_EQ(large.wire_size(), 70010u);
}
