// What the room does with a `file`: its checks, the job for the picture
// worker, and posting what comes back.
#include "room_harness.hpp"

using test::RoomHarness;

namespace {

std::string file(const std::string& channel, const std::string& name) {
  return R"({"action":"file","channel":")" + channel + R"(","message":")" + name +
         R"(","bytes":"aGVsbG8="})";
}

struct Pictures : RoomHarness {
  Pictures() {
    join(1, "alice");
    join(2, "bob");
  }
  std::string notice(chat::ConnId id) {
    auto doc = protocol::parse_json(test::last_of(got(id), "error"));
    return doc && doc->HasMember("message") ? (*doc)["message"].GetString() : "";
  }
};

}  // namespace

TEST(RoomPictures, APictureGoesToTheWorkerWithItsBytesThenToEveryone) {
  Pictures h;
  h.send(1, file("offtopic", "cat.JPG"));
  ASSERT_EQ(h.last_output().pictures.size(), 1u);
  const auto& job = h.last_output().pictures[0];
  EXPECT_EQ(job.conn, 1u);
  EXPECT_EQ(job.channel, "offtopic");
  EXPECT_EQ(job.mime, "image/jpeg");
  ASSERT_TRUE(job.bytes);
  EXPECT_EQ(*job.bytes, "hello");
  EXPECT_EQ(job.max_width, 1280);
  EXPECT_EQ(job.preview_width, 360);
  EXPECT_TRUE(h.got(2).empty());  // nothing until it is ready

  h.apply(chat::PictureReady{1, "offtopic", "<img src=\"x\">", ""});
  const auto frame = test::last_of(h.got(2), "message");
  EXPECT_NE(frame.find(R"("username":"alice","message":"\u003cimg src=\"x\"\u003e","msgID":)"),
            std::string::npos);
  EXPECT_EQ(test::last_of(h.got(1), "message"), frame);
}

TEST(RoomPictures, ChecksComeFirstAndErrorsReachTheSender) {
  Pictures h;
  h.send(1, file("offtopic", "notes.txt"));
  EXPECT_EQ(h.notice(1), "Unsupported image type, should be a jpeg, GIF or png.");
  h.send(1, file("lobby", "a.png"));  // PermitPhotos = false, as by default
  EXPECT_EQ(h.notice(1), "Photo sharing in this channel is not available.");
  h.send(1, file("nowhere", "a.png"));
  EXPECT_EQ(h.notice(1), "Could not post your message: there is no channel named \"nowhere\".");
  h.send(1, file("@ghost", "a.png"));
  EXPECT_EQ(h.notice(1), "Could not deliver your message: @ghost appears not to be online.");
  EXPECT_TRUE(h.last_output().pictures.empty());
  h.apply(chat::PictureReady{1, "offtopic", "", "Your picture is empty."});
  EXPECT_EQ(h.notice(1), "Your picture is empty.");
}

TEST(RoomPictures, TwoAtATimePerUser) {
  Pictures h;
  h.send(1, file("offtopic", "a.png"));
  h.send(1, file("offtopic", "b.png"));
  h.send(1, file("offtopic", "c.png"));
  EXPECT_TRUE(h.last_output().pictures.empty());
  EXPECT_EQ(h.notice(1), "Please wait: your last pictures are still being processed.");
  h.apply(chat::PictureReady{1, "offtopic", "<img>", ""});
  h.send(1, file("offtopic", "c.png"));
  EXPECT_EQ(h.last_output().pictures.size(), 1u);
}

TEST(RoomPictures, ADmPictureIsNotLetPastAMuteEvenByAnOperator) {
  Pictures h;
  auto op = test::claims_for("op");
  op.op = true;
  h.join_jwt(3, op);
  h.send(2, R"({"action":"mute","username":"op"})");
  h.clear();
  h.send(3, file("@bob", "a.png"));
  h.apply(chat::PictureReady{3, "@bob", "<img>", ""});
  EXPECT_EQ(test::last_of(h.got(2), "message"), "");
  EXPECT_NE(test::last_of(h.got(3), "message"), "");  // its own copy
}
