// barertc: flags, settings, wiring. Accepts the original's Go-style flags
// (-address, -debug, single or double dash) so existing service units work.
#include <spdlog/spdlog.h>
#include <boost/program_options.hpp>

#include <malloc.h>

#include <csignal>
#include <iostream>
#include <thread>

#include "app/server.hpp"
#include "config/loader.hpp"
#include "http/web_client.hpp"

namespace po = boost::program_options;

namespace {

struct Flags {
  std::string address = ":9000";
  bool debug = false;
  int64_t presence_quiet = 30;
  int64_t poll_timeout = 60;
  std::string web;  // empty: the first default place with a built client
  size_t threads = 0;
};

// Exit statuses of Go's flag package and the original's start-up panics.
constexpr int kUsageStatus = 2;
constexpr int kStartupFailure = 2;

std::optional<Flags> parse_flags(int argc, char** argv, int& status) {
  Flags f;
  po::options_description opts("Usage of barertc");
  opts.add_options()                                                                        //
      ("address", po::value(&f.address)->default_value(f.address), "Address to listen on")  //
      ("debug", po::value(&f.debug)->implicit_value(true)->default_value(false),
       "Enable debug-level logging")  //
      ("presence-quiet", po::value(&f.presence_quiet)->default_value(f.presence_quiet),
       "Seconds after start during which join/exit notices are not sent")  //
      ("poll-timeout", po::value(&f.poll_timeout)->default_value(f.poll_timeout),
       "Seconds without a request after which a polling client is signed out")  //
      ("web", po::value(&f.web),
       "Directory of the built web client (default: the first of <binary's dir>/../web/dist, "
       "./web/dist, ./dist that holds static/app.js)")  //
      ("threads", po::value(&f.threads)->default_value(0),
       "I/O threads (0: half the cores, at least one)")  //
      ("help,h", "Show this help");
  po::variables_map vm;
  try {
    const auto style =
        po::command_line_style::unix_style | po::command_line_style::allow_long_disguise;
    po::store(po::command_line_parser(argc, argv).options(opts).style(style).run(), vm);
    po::notify(vm);
  } catch (const po::error& e) {
    std::cerr << "barertc: " << e.what() << "\n" << opts;
    status = kUsageStatus;
    return std::nullopt;
  }
  if (vm.count("help")) {
    std::cerr << opts;
    status = 0;
    return std::nullopt;
  }
  return f;
}

std::optional<config::Settings> load_settings() {
  auto loaded =
      config::load_or_create("settings.toml", config::default_settings(config::random_uuid()));
  if (!loaded) {
    spdlog::critical("Error loading settings.toml: {}", loaded.error());
    return std::nullopt;
  }
  if (loaded->action == config::FileAction::kUpgraded) {
    spdlog::warn(
        "New options are available for your settings.toml file. Your settings will be re-saved "
        "now.");
  }
  if (loaded->action != config::FileAction::kRead) {
    spdlog::info("Note: initial settings.toml was written to disk.");
  }
  if (loaded->settings.jwt.enabled && loaded->settings.jwt.secret_key.empty()) {
    spdlog::warn("[JWT] is enabled but SecretKey is empty: no token will be accepted.");
  }
  if (loaded->settings.admin_api_key.empty()) {
    spdlog::warn("AdminAPIKey is empty: the admin API is disabled.");
  }
  return std::move(loaded->settings);
}

// SIGHUP reads settings.toml again; SIGINT and SIGTERM stop the server.
void serve_until_stopped(app::Server& server) {
  sigset_t set;
  sigemptyset(&set);
  sigaddset(&set, SIGINT);
  sigaddset(&set, SIGTERM);
  sigaddset(&set, SIGHUP);
  for (;;) {
    int sig = 0;
    sigwait(&set, &sig);
    if (sig != SIGHUP) {
      spdlog::info("Signal {}: stopping", sig);
      return;
    }
    spdlog::info("Signal {}: reloading the settings", sig);
    (void)server.reload();
  }
}

// Who lists of a big room are large, short-lived buffers (a few hundred KB).
// With glibc's adaptive thresholds a burst of them stays in the heap for
// good. Fixed thresholds: buffers up to 4 MiB are recycled in the heap (no
// mmap/munmap and page faults per list), and free memory at the top of the
// heap is given back early; the room runner trims the rest once it is quiet.
void tune_allocator() {
  mallopt(M_MMAP_THRESHOLD, 4 << 20);
  mallopt(M_TRIM_THRESHOLD, 128 << 10);
}

}  // namespace

int main(int argc, char** argv) {
  tune_allocator();
  int status = 0;
  auto flags = parse_flags(argc, argv, status);
  if (!flags) return status;
  spdlog::set_level(flags->debug ? spdlog::level::debug : spdlog::level::info);
  spdlog::set_pattern("%Y/%m/%d %H:%M:%S [%l] %v");

  // Every thread started from here on inherits the blocked signals, so only
  // serve_until_stopped() receives them.
  sigset_t set;
  sigemptyset(&set);
  sigaddset(&set, SIGINT);
  sigaddset(&set, SIGTERM);
  sigaddset(&set, SIGHUP);
  pthread_sigmask(SIG_BLOCK, &set, nullptr);
  std::signal(SIGPIPE, SIG_IGN);
  // A file-size limit reached (like a full disk) fails the write with an
  // error the stores report, instead of killing the server.
  std::signal(SIGXFSZ, SIG_IGN);

  auto settings = load_settings();
  if (!settings) return kStartupFailure;
  config::SettingsStore store(std::move(*settings));

  const size_t threads = flags->threads
                             ? flags->threads
                             : std::max<size_t>(1, std::thread::hardware_concurrency() / 2);
  auto web_files =
      http::load_web_client(flags->web, http::default_web_dirs(http::executable_path(argv[0])));
  try {
    app::Server server(store, {.address = flags->address,
                               .io_threads = threads,
                               .presence_quiet_ms = flags->presence_quiet * 1000,
                               .poll_timeout_ms = std::max<int64_t>(1, flags->poll_timeout) * 1000,
                               .web_files = std::move(web_files)});
    server.start();
    spdlog::info("Listening at {}", server.local_address());
    serve_until_stopped(server);
    server.stop();
  } catch (const std::exception& e) {
    spdlog::critical("Cannot serve on {}: {}", flags->address, e.what());
    return kStartupFailure;
  }
  return 0;
}
