// Processes pictures on a thread of its own, one at a time, in order, and
// answers each with a PictureReady event: decoding a 12-megapixel photo takes
// a good fraction of a second, which must hold up neither the room nor any
// connection.
#pragma once

#include <functional>
#include <vector>

#include "chat/output.hpp"
#include "util/batch_worker.hpp"

namespace media {

class PictureWorker {
 public:
  using Done = std::function<void(chat::PictureReady)>;
  void submit(chat::PictureJob job, Done done) { worker_.add({{std::move(job), std::move(done)}}); }
  void flush() { worker_.flush(); }

 private:
  struct Task {
    chat::PictureJob job;
    Done done;
  };
  static void run(const Task& t);

  util::BatchWorker<Task> worker_{[](const std::vector<Task>& tasks) {
    for (const auto& t : tasks) run(t);
  }};
};

}  // namespace media
