#include "media/picture_worker.hpp"

#include "media/picture.hpp"

namespace media {

void PictureWorker::run(const Task& t) {
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
