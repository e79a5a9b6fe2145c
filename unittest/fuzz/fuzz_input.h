// libFuzzer targets: the readers take file names, so each input goes to a file of this process.
#ifndef MLIPEVAL_FUZZ_INPUT_H
#define MLIPEVAL_FUZZ_INPUT_H

#include <cstdint>
#include <cstdio>
#include <string>
#include <unistd.h>

namespace mlipeval_fuzz {

// The input written to a file of this process (the same name for every input); returns its path.
inline std::string as_file(const uint8_t *data, size_t size, const char *suffix)
{
  static const std::string base = "/tmp/mlipeval_fuzz_" + std::to_string((long) getpid());
  const std::string path = base + suffix;
  FILE *f = std::fopen(path.c_str(), "wb");
  if (!f) __builtin_trap();
  if (size) std::fwrite(data, 1, size, f);
  std::fclose(f);
  return path;
}

}    // namespace mlipeval_fuzz

#endif
