/* USER-MLIPEVAL: the reader of compute re/atom's sites file (no LAMMPS types). */
#ifndef MLIPEVAL_CORE_SITE_FILE_H
#define MLIPEVAL_CORE_SITE_FILE_H

#include "box.h"
#include "sites.h"

#include <functional>
#include <string>
#include <vector>

namespace mlipeval {

// The sites of an xyz or extended xyz file: every atom of its first frame, in fractional
// coordinates of `box` (3 per site, in file order).  With a Lattice= the positions are taken as
// fractional coordinates of that (possibly general triclinic) cell, which maps onto the box;
// without one they are Cartesian positions in the box and must lie inside it (within 1 %).
// Throws XyzError with the whole message: the file and line, or the site, and what is wrong.
std::vector<double> read_site_file(const std::string &path, const Box &box);
// The same, in bounded memory: emit(frac, types, first, n, total) receives the positions of
// sites first .. first+n-1 (3 each) as they are read, at most `block` at a time, and the count
// the file's first line gives.  Returns the count of sites.  elements (optional) maps the file's species to atom types, E1 -> 1, E2 -> 2, ...: types
// then holds the type of each site (else it is null), and a species not in the list throws
// XyzError naming the file and line.
long read_site_file(const std::string &path, const Box &box, int block, const SiteEmit &emit,
                    const std::vector<std::string> &elements = std::vector<std::string>());

}    // namespace mlipeval

#endif
