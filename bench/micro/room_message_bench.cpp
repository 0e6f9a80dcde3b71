// The room thread's whole cost of one public chat message, as the server
// runs it: filters, the recent-context line for reports, the echo buffer,
// and the fan-out into shared frames for every recipient (delivery to the
// sockets is the I/O threads' work and is not in it). Arguments: the number
// of [[MessageFilters]] (three patterns each, none matching) and of users.
#include <benchmark/benchmark.h>

#include "chat/inbound.hpp"
#include "chat/room.hpp"
#include "sample_filters.hpp"

namespace {

constexpr int64_t kNow = 1'795'622'527'000;

config::Settings settings_with(int filters) {
  auto s = config::default_settings("key");
  s.message_filters = bench::sample_filters(filters);
  return s;
}

void PublicMessage(benchmark::State& state) {
  const auto settings = std::make_shared<config::Settings>(settings_with(state.range(0)));
  chat::Room room(settings, {.started_at_ms = kNow - 60'000, .presence_quiet_ms = 0});
  const int users = static_cast<int>(state.range(1));
  int64_t now = kNow;
  for (int i = 1; i <= users; ++i) {
    room.handle({now, chat::Connected{static_cast<chat::ConnId>(i)}});
    const auto login = R"({"action":"login","username":"user)" + std::to_string(i) + R"("})";
    room.handle({now, chat::Received{static_cast<chat::ConnId>(i),
                                     chat::prepare_inbound(login, *settings, now / 1000)}});
  }
  room.finish_batch();
  const auto message = chat::prepare_inbound(
      R"({"action":"message","channel":"lobby","message":"hey everyone, how is it going tonight? anyone up for a game later"})",
      *settings, now / 1000);
  chat::ConnId from = 1;
  for (auto _ : state) {
    now += 1;
    room.handle({now, chat::Received{from, message}});
    benchmark::DoNotOptimize(room.finish_batch());
    from = from % users + 1;
  }
}
BENCHMARK(PublicMessage)->Args({0, 10})->Args({20, 10})->Args({0, 1000})->Args({20, 1000});

}  // namespace

BENCHMARK_MAIN();
