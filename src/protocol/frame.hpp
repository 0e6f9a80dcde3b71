// An outgoing WebSocket text frame, header included, in an immutable shared
// buffer. A broadcast is encoded and framed once; every recipient's outbox
// holds a reference to the same bytes, which go to the socket as they are
// (server frames are not masked).
#pragma once

#include <cstdint>
#include <memory>
#include <string>
#include <string_view>

#include "protocol/buffer_pool.hpp"

namespace protocol {

// Room left at the front of a buffer for the longest frame header.
inline constexpr size_t kFrameHeaderRoom = 10;

struct Frame {
  std::shared_ptr<const std::string> buffer;
  uint32_t offset = 0;  // where the header starts inside `buffer`

  explicit operator bool() const { return buffer != nullptr; }
  // The bytes to write to the socket.
  std::string_view wire() const { return std::string_view(*buffer).substr(offset); }
  // The JSON text the frame carries.
  std::string_view payload() const { return std::string_view(*buffer).substr(kFrameHeaderRoom); }
  size_t wire_size() const { return buffer->size() - offset; }
};

// Builds one frame: write the JSON into `text()` (after the reserved header
// room), then `seal()` it.
class FrameBuilder {
 public:
  FrameBuilder() : text_(kFrameHeaderRoom, '\0') {}
  // Writes into a buffer of `pool` (its memory already in use, see
  // buffer_pool.hpp); the sealed frame's buffer goes back there when the
  // frame's last reference is gone.
  explicit FrameBuilder(std::shared_ptr<BufferPool> pool);
  std::string& text() { return text_; }
  Frame seal(uint8_t opcode = 0x1);

 private:
  std::string text_;
  std::shared_ptr<BufferPool> pool_;
};

// Frames an already-encoded JSON payload.
Frame make_text_frame(std::string_view json);

// A close frame with a status code and a short reason.
Frame make_close_frame(uint16_t code, std::string_view reason);

}  // namespace protocol
