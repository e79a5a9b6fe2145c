/* USER-MLIPEVAL: the memory an input implies, checked before anything is allocated. */
#ifndef MLIPEVAL_CORE_SIZE_CHECK_H
#define MLIPEVAL_CORE_SIZE_CHECK_H

#include <string>

namespace mlipeval {

// Physical memory of this node in bytes (0 when the system does not say).
double physical_memory();

// Empty when `bytes` (what an input implies on one rank) fits in the node's physical memory,
// else the end of an error message: "needs 1.2e+12 bytes, more than this node's 23.4 GiB".
// `count` (elements) beyond `max_count` (an index type's range) is refused the same way.
std::string too_big(double bytes, double count = 0.0, double max_count = 0.0);

}    // namespace mlipeval

#endif
