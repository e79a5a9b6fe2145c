// libFuzzer target: the extended xyz reader (read_extxyz, fix force/reference, sites file).
// Any input must end in frames or an XyzError, never a crash, a hang or a sanitizer report.
#include "fuzz_input.h"

#include "core/xyz_reader.h"

extern "C" int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
  const std::string path = mlipeval_fuzz::as_file(data, size, ".extxyz");
  try {
    mlipeval::XyzReader reader(path);
    mlipeval::XyzFrame f;
    while (reader.next(f)) {
      // what the styles take from a frame
      for (const char *name : {"pos", "forces"})
        if (f.find(name)) f.column(name, 3);
    }
  } catch (mlipeval::XyzError &) {
  }
  return 0;
}
