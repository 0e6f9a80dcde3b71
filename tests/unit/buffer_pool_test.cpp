#include <gtest/gtest.h>

#include "protocol/buffer_pool.hpp"
#include "protocol/frame.hpp"

using protocol::BufferPool;
using protocol::FrameBuilder;

TEST(BufferPool, AFramesBufferComesBackWhenItsLastReferenceGoes) {
  auto pool = std::make_shared<BufferPool>(1 << 20);
  FrameBuilder b(pool);
  b.text().append(100'000, 'x');
  auto frame = b.seal();
  auto copy = frame;
  frame = {};
  EXPECT_EQ(pool->bytes(), 0u);  // still referenced
  copy = {};
  EXPECT_GE(pool->bytes(), 100'000u);

  FrameBuilder again(pool);
  EXPECT_GE(again.text().capacity(), 100'000u);  // the same memory, reused
  EXPECT_EQ(again.text().size(), protocol::kFrameHeaderRoom);
  EXPECT_EQ(pool->bytes(), 0u);
  again.text() += "{}";
  EXPECT_EQ(again.seal().payload(), "{}");
}

TEST(BufferPool, HoldsNoMoreThanItsBound) {
  BufferPool pool(150'000);
  std::string a(100'000, 'a'), b(100'000, 'b');
  pool.give(std::move(a));
  pool.give(std::move(b));
  EXPECT_LT(pool.bytes(), 150'000u);
  EXPECT_GE(pool.take().capacity(), 100'000u);
  EXPECT_EQ(pool.take().capacity(), std::string().capacity());  // nothing left
}

TEST(BufferPool, ClearFreesEverything) {
  BufferPool pool(1 << 20);
  pool.give(std::string(50'000, 'c'));
  pool.clear();
  EXPECT_EQ(pool.bytes(), 0u);
}
