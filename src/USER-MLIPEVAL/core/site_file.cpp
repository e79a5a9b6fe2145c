#include "site_file.h"

#include "xyz_reader.h"

#include <cstdio>

namespace mlipeval {

std::vector<double> read_site_file(const std::string &path, const Box &b)
{
  XyzFrame f;
  try {
    XyzReader reader(path);
    if (!reader.next(f)) throw XyzError("sites file " + path + " holds no sites");
  } catch (XyzError &e) {
    const std::string what = e.what();
    if (what.rfind("sites file ", 0) == 0) throw;
    throw XyzError("cannot read sites file: " + what);
  }
  const std::vector<double> pos = f.column("pos", 3);
  RestrictedCell rc;
  if (f.has_lattice && !restrict_cell(f.lattice, rc))
    throw XyzError("sites file " + path + " has a degenerate or left-handed Lattice");
  const double zero[3] = {0.0, 0.0, 0.0};
  const Box fb = f.has_lattice ? make_box(zero, rc.xx, rc.yy, rc.zz, rc.xy, rc.xz, rc.yz) : b;
  std::vector<double> frac;
  frac.reserve(pos.size());
  for (int i = 0; i < f.natoms; ++i) {
    const double *x = &pos[3 * (size_t) i];
    double r[3] = {x[0], x[1], x[2]}, s[3];
    if (f.has_lattice)    // fractional coordinates of the file's own cell, rotated onto LAMMPS's frame
      for (int d = 0; d < 3; ++d) r[d] = rc.rot[d][0] * x[0] + rc.rot[d][1] * x[1] + rc.rot[d][2] * x[2];
    to_frac_unwrapped(fb, r, s);
    for (int d = 0; d < 3; ++d)
      if (!f.has_lattice && (s[d] < -0.01 || s[d] > 1.01)) {
        char where[200];
        std::snprintf(where, sizeof where, " at (%.10g %.10g %.10g) lies outside the box", x[0], x[1], x[2]);
        throw XyzError("site " + std::to_string(i + 1) + " of sites file " + path + where);
      }
    frac.insert(frac.end(), s, s + 3);
  }
  if (frac.size() < 6) throw XyzError("sites file " + path + " needs at least 2 sites");
  return frac;
}

}    // namespace mlipeval
