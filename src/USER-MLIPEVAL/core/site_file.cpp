#include "site_file.h"

#include "xyz_reader.h"

#include <algorithm>
#include <cstdio>

namespace mlipeval {

std::vector<double> read_site_file(const std::string &path, const Box &b)
{
  std::vector<double> frac;
  read_site_file(path, b, 8192, [&frac](const double *s, const int *, long, int n, long) { frac.insert(frac.end(), s, s + 3 * n); });
  return frac;
}

long read_site_file(const std::string &path, const Box &b, int block, const SiteEmit &emit,
                    const std::vector<std::string> &elements)
{
  XyzFrame f;
  RestrictedCell rc;
  Box fb = b;
  std::vector<double> frac;
  std::vector<int> type;
  // the positions of a block of rows, in fractional coordinates of `box`
  auto rows = [&](const XyzFrame &fr, int first, int n) {
    const XyzColumn *pos = &fr.numeric("pos", 3);
    if (first == 0) {
      if (fr.has_lattice && !restrict_cell(fr.lattice, rc))
        throw XyzError("sites file " + path + " has a degenerate or left-handed Lattice");
      const double zero[3] = {0.0, 0.0, 0.0};
      if (fr.has_lattice) fb = make_box(zero, rc.xx, rc.yy, rc.zz, rc.xy, rc.xz, rc.yz);
    }
    frac.resize(3 * (size_t) n);
    const XyzColumn *species = elements.empty() ? nullptr : fr.find("species");
    if (!elements.empty() && (!species || species->type != 'S'))
      throw XyzError("sites file " + path + " has no species column for elements");
    type.assign(elements.empty() ? 0 : n, 0);
    for (int k = 0; k < n; ++k) {
      if (species) {    // the first frame's atoms are on lines 3, 4, ...
        const std::string &name = fr.strings[(size_t) k * fr.width + species->offset];
        const auto e = std::find(elements.begin(), elements.end(), name);
        if (e == elements.end())
          throw XyzError("sites file " + path + ":" + std::to_string((long) first + k + 3) + ": species '" + name +
                         "' is not in the elements list");
        type[k] = (int) (e - elements.begin()) + 1;
      }
      const double *x = &fr.values[(size_t) k * fr.width + pos->offset];
      double r[3] = {x[0], x[1], x[2]};
      if (fr.has_lattice)    // fractional coordinates of the file's own cell, rotated onto LAMMPS's frame
        for (int d = 0; d < 3; ++d) r[d] = rc.rot[d][0] * x[0] + rc.rot[d][1] * x[1] + rc.rot[d][2] * x[2];
      double *s = &frac[3 * (size_t) k];
      to_frac_unwrapped(fb, r, s);
      for (int d = 0; d < 3; ++d)
        if (!fr.has_lattice && (s[d] < -0.01 || s[d] > 1.01)) {
          char where[200];
          std::snprintf(where, sizeof where, " at (%.10g %.10g %.10g) lies outside the box", x[0], x[1], x[2]);
          throw XyzError("site " + std::to_string((long) first + k + 1) + " of sites file " + path + where);
        }
    }
    emit(frac.data(), type.empty() ? nullptr : type.data(), first, n, fr.natoms);
  };
  try {
    XyzReader reader(path);
    if (!reader.next(f, block, rows)) throw XyzError("sites file " + path + " holds no sites");
  } catch (XyzError &e) {
    const std::string what = e.what();
    if (what.rfind("sites file ", 0) == 0 || what.rfind("site ", 0) == 0) throw;
    throw XyzError("cannot read sites file: " + what);
  }
  if (f.natoms < 2) throw XyzError("sites file " + path + " needs at least 2 sites");
  return f.natoms;
}

}    // namespace mlipeval
