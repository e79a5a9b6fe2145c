// libFuzzer target: fix force/reference's reader of LAMMPS text dumps, serial and with its atom
// lines parsed in chunks (as the /kk style does), with and without match step's step check.
#include "fuzz_input.h"

#include "core/reference_reader.h"

#include <thread>

extern "C" int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
  const std::string path = mlipeval_fuzz::as_file(data, size, ".dump");
  for (int mode = 0; mode < 2; ++mode) {
    try {
      mlipeval::ReferenceReader reader(path, mlipeval::ReferenceReader::DUMP, "forces", mode ? "c_p" : "");
      if (mode) {
        reader.need_steps();
        // chunks of 3 lines in reverse order: the first bad line must still be the one named
        reader.set_parallel_for([](size_t n, const std::function<void(size_t, size_t)> &body) {
          for (size_t end = n; end > 0;) {
            const size_t begin = end > 3 ? end - 3 : 0;
            body(begin, end);
            end = begin;
          }
        });
      }
      mlipeval::RefFrame f;
      while (reader.next(f)) {}
    } catch (mlipeval::XyzError &) {
    }
  }
  return 0;
}
