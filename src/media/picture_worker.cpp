#include "media/picture_worker.hpp"

#include <sys/resource.h>
#include <unistd.h>

#include "media/picture.hpp"

namespace media {
namespace {

// Pictures are background work: when the machine is busy, the room and the
// connections' threads get the CPU first (Linux niceness is per thread, and
// the threads libvips starts from here inherit it).
void lower_this_threads_priority() {
  static thread_local const bool done = [] {
    setpriority(PRIO_PROCESS, static_cast<id_t>(gettid()), 10);
    return true;
  }();
  (void)done;
}

}  // namespace

void PictureWorker::run(const Task& t) {
  lower_this_threads_priority();
  const auto& j = t.job;
  chat::PictureReady ready{.conn = j.conn, .channel = j.channel, .html = {}, .error = {}};
  auto picture = process_picture(j.bytes ? std::string_view(*j.bytes) : std::string_view(), j.mime,
                                 j.max_width, j.preview_width);
  if (picture) {
    ready.html = picture_html(*picture);
  } else {
    ready.error = std::move(picture.error());
  }
  t.done(std::move(ready));
}

}  // namespace media
