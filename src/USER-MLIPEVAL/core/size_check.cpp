#include "size_check.h"

#include <cstdio>
#include <unistd.h>

namespace mlipeval {

double physical_memory()
{
  const long pages = sysconf(_SC_PHYS_PAGES), page = sysconf(_SC_PAGESIZE);
  return pages > 0 && page > 0 ? (double) pages * (double) page : 0.0;
}

std::string too_big(double bytes, double count, double max_count)
{
  char buf[160];
  if (max_count > 0.0 && count > max_count) {
    std::snprintf(buf, sizeof buf, "gives %.6g elements, more than the %.6g an index can hold", count, max_count);
    return buf;
  }
  const double have = physical_memory();
  if (have > 0.0 && bytes > have) {
    std::snprintf(buf, sizeof buf, "needs %.3g bytes, more than this node's %.1f GiB of memory", bytes,
                  have / (1024.0 * 1024.0 * 1024.0));
    return buf;
  }
  return std::string();
}

}    // namespace mlipeval
