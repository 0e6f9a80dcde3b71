// Frame buffers kept for reuse, so that a stream of big frames built on one
// thread and freed on another (per-viewer who lists) does not make the
// allocator give their memory back and fault it in again page by page for
// every frame. Bounded by the bytes it holds; emptied when the room is quiet.
//
// Threading: any thread (frames die on the I/O threads).
#pragma once

#include <cstddef>
#include <mutex>
#include <string>
#include <vector>

namespace protocol {

class BufferPool {
 public:
  explicit BufferPool(size_t max_bytes) : max_bytes_(max_bytes) {}

  // A cleared string, with the capacity of a used one when there is one.
  std::string take();
  // Keeps `s` for a later take(), unless the pool is full.
  void give(std::string&& s);
  // Frees what it holds.
  void clear();
  size_t bytes() const;

 private:
  const size_t max_bytes_;
  mutable std::mutex mutex_;
  std::vector<std::string> free_;
  size_t bytes_ = 0;  // capacity held in free_
};

}  // namespace protocol
