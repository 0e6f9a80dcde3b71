#include "protocol/frame.hpp"

namespace protocol {

Frame FrameBuilder::seal(uint8_t opcode) {
  const uint64_t len = text_.size() - kFrameHeaderRoom;
  size_t header = len < 126 ? 2 : (len <= 0xFFFF ? 4 : 10);
  auto* h = reinterpret_cast<unsigned char*>(text_.data()) + kFrameHeaderRoom - header;
  h[0] = static_cast<unsigned char>(0x80 | opcode);  // FIN + opcode
  if (header == 2) {
    h[1] = static_cast<unsigned char>(len);
  } else if (header == 4) {
    h[1] = 126;
    h[2] = static_cast<unsigned char>(len >> 8);
    h[3] = static_cast<unsigned char>(len);
  } else {
    h[1] = 127;
    for (int i = 0; i < 8; ++i) h[2 + i] = static_cast<unsigned char>(len >> (56 - 8 * i));
  }
  Frame f;
  f.offset = static_cast<uint32_t>(kFrameHeaderRoom - header);
  if (pool_) {
    f.buffer = std::shared_ptr<const std::string>(
        new std::string(std::move(text_)), [pool = std::move(pool_)](const std::string* s) {
          pool->give(std::move(*const_cast<std::string*>(s)));
          delete s;
        });
  } else {
    f.buffer = std::make_shared<const std::string>(std::move(text_));
  }
  return f;
}

FrameBuilder::FrameBuilder(std::shared_ptr<BufferPool> pool)
    : text_(pool->take()), pool_(std::move(pool)) {
  text_.assign(kFrameHeaderRoom, '\0');
}

Frame make_text_frame(std::string_view json) {
  FrameBuilder b;
  b.text().append(json);
  return b.seal();
}

Frame make_close_frame(uint16_t code, std::string_view reason) {
  FrameBuilder b;
  b.text().push_back(static_cast<char>(code >> 8));
  b.text().push_back(static_cast<char>(code & 0xFF));
  b.text().append(reason.substr(0, 123));  // control frames carry at most 125 bytes
  return b.seal(0x8);
}

}  // namespace protocol
