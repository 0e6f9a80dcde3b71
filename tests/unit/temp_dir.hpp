// A fresh directory for one test's files, removed afterwards.
#pragma once

#include <unistd.h>

#include <filesystem>
#include <string>

namespace test {

struct TempDir {
  std::filesystem::path path =
      std::filesystem::temp_directory_path() /
      ("barertc-unit-" + std::to_string(::getpid()) + "-" + std::to_string(counter++));
  TempDir() { std::filesystem::create_directories(path); }
  ~TempDir() { std::filesystem::remove_all(path); }
  std::string file(const std::string& name) const { return (path / name).string(); }
  static inline int counter = 0;
};

}  // namespace test
