// Load generator for a BareRTC chat server (ours or the original): opens
// thousands of WebSocket connections on loopback, logs them in, drives chat
// traffic and measures delivery rate, end-to-end latency, server CPU time,
// join-storm time, who-list latency and memory per connection.
//
// Usage: loadgen SCENARIO [--option value ...]; without arguments it prints
// every scenario and option (options.cpp).
#include <csignal>
#include <iostream>
#include <map>

#include "options.hpp"
#include "scenarios.hpp"

namespace {

const std::map<std::string, bench::Loadgen::Scenario>& scenarios() {
  using bench::Loadgen;
  static const std::map<std::string, Loadgen::Scenario> table = {
      {"fanout", [](Loadgen& g) { return bench::fanout(g, false); }},
      {"fanout-max", [](Loadgen& g) { return bench::fanout(g, true); }},
      {"join", [](Loadgen& g) { return bench::join_storm(g); }},
      {"idle", [](Loadgen& g) { return bench::idle_memory(g); }},
      {"who-toggle", [](Loadgen& g) { return bench::who_toggle(g); }},
      {"storm", [](Loadgen& g) { return bench::storm(g); }},
  };
  return table;
}

}  // namespace

int main(int argc, char** argv) {
  if (argc >= 2 && !scenarios().contains(argv[1])) {
    std::cerr << "unknown scenario " << argv[1] << "\n";
    bench::usage();
    return 2;
  }
  auto opt = bench::parse_options(argc, argv);
  if (!opt) {
    bench::usage();
    return 2;
  }
  // A server that closes first must not kill the generator on its next write.
  std::signal(SIGPIPE, SIG_IGN);
  const double cpu0 = bench::self_cpu_seconds();
  int rc = 0;
  {
    const auto& scenario = scenarios().at(opt->scenario);
    bench::Loadgen gen(std::move(*opt));
    rc = gen.run(scenario);
  }
  std::cerr << "loadgen: total CPU " << bench::self_cpu_seconds() - cpu0 << " s, peak RSS "
            << bench::self_max_rss_kib() / 1024 << " MiB" << std::endl;
  return rc;
}
