// libFuzzer target: compute re/atom's sites file reader, in an orthogonal and a triclinic box.
#include "fuzz_input.h"

#include "core/site_file.h"
#include "core/xyz_reader.h"

extern "C" int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
  const std::string path = mlipeval_fuzz::as_file(data, size, ".xyz");
  const double lo[3] = {0.0, 0.0, 0.0};
  const mlipeval::Box boxes[2] = {mlipeval::make_box(lo, 10.862, 10.862, 10.862, 0.0, 0.0, 0.0),
                                  mlipeval::make_box(lo, 10.0, 9.0, 8.0, 2.5, -1.5, 1.0)};
  for (const auto &b : boxes) {
    try {
      mlipeval::read_site_file(path, b);
    } catch (mlipeval::XyzError &) {
    }
  }
  return 0;
}
