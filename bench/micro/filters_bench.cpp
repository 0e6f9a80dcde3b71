// The room thread's cost of the message filters per message: 20 filters of
// three patterns (the original's template), on a chat line that matches
// none of them, and on one that a filter censors (then rendered again).
#include <benchmark/benchmark.h>

#include "chat/inbound.hpp"
#include "chat/message_filters.hpp"
#include "sample_filters.hpp"

namespace {

const std::string kLine = "hey everyone, how is it going tonight? anyone up for a game later";

void NoMatch(benchmark::State& state) {
  const chat::MessageFilters f(bench::sample_filters(static_cast<int>(state.range(0))));
  for (auto _ : state) benchmark::DoNotOptimize(f.match(kLine, false));
}
BENCHMARK(NoMatch)->Arg(0)->Arg(1)->Arg(20);

void MatchCensorAndRender(benchmark::State& state) {
  const chat::MessageFilters f(bench::sample_filters(20));
  const std::string line = kLine + " I swear19 words";
  for (auto _ : state) {
    auto hit = f.match(line, false);
    benchmark::DoNotOptimize(chat::render_message(hit->text));
  }
}
BENCHMARK(MatchCensorAndRender);

}  // namespace

BENCHMARK_MAIN();
