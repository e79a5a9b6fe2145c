/* USER-MLIPEVAL: periodic simulation cell in LAMMPS's restricted-triclinic form.
   x = lo + h s with h = [[xx, xy, xz], [0, yy, yz], [0, 0, zz]] and s fractional. */
#ifndef MLIPEVAL_CORE_BOX_H
#define MLIPEVAL_CORE_BOX_H

#include "inline.h"

#include <cmath>

namespace mlipeval {

struct Box {
  double lo[3];
  double xx, yy, zz, xy, xz, yz;
  double ixx, iyy, izz, ixy, ixz, iyz;    // upper-triangular inverse of h
  double width[3];                        // distance between opposite faces (1/|row of h^-1|)
  double wmin;                            // the smallest of them
  int orthogonal;                         // no tilt
};

// Build a box from the LAMMPS box description; the inverse is cached for the per-atom calls.
inline Box make_box(const double lo[3], double xx, double yy, double zz, double xy, double xz,
                    double yz)
{
  Box b;
  for (int d = 0; d < 3; ++d) b.lo[d] = lo[d];
  b.xx = xx; b.yy = yy; b.zz = zz; b.xy = xy; b.xz = xz; b.yz = yz;
  b.ixx = 1.0 / xx;
  b.iyy = 1.0 / yy;
  b.izz = 1.0 / zz;
  b.ixy = -xy / (xx * yy);
  b.iyz = -yz / (yy * zz);
  b.ixz = (xy * yz - yy * xz) / (xx * yy * zz);
  b.width[0] = 1.0 / std::sqrt(b.ixx * b.ixx + b.ixy * b.ixy + b.ixz * b.ixz);
  b.width[1] = 1.0 / std::sqrt(b.iyy * b.iyy + b.iyz * b.iyz);
  b.width[2] = 1.0 / std::fabs(b.izz);
  b.wmin = b.width[0] < b.width[1] ? b.width[0] : b.width[1];
  if (b.width[2] < b.wmin) b.wmin = b.width[2];
  b.orthogonal = xy == 0.0 && xz == 0.0 && yz == 0.0;
  return b;
}

MLIPEVAL_RULES_BEGIN
MLIPEVAL_INLINE double wrap01(double s)
{
  if (s >= 0.0 && s < 1.0) return s;    // nearly always: no libm call on the hot path
  s -= MLIPEVAL_MATH::floor(s);
  return s < 1.0 ? s : 0.0;    // floor can leave exactly 1.0 for tiny negative s
}

// s = wrap01(u) per axis; true when u lies in the box already (then s = u), nearly always.
MLIPEVAL_INLINE bool wrap01_in_box(const double u[3], double s[3])
{
  bool in = true;
  for (int d = 0; d < 3; ++d) {
    if (u[d] >= 0.0 && u[d] < 1.0) {
      s[d] = u[d];
    } else {
      s[d] = wrap01(u[d]);
      in = false;
    }
  }
  return in;
}

// Cartesian position -> fractional coordinates (0 and 1 at the box faces), not wrapped.
MLIPEVAL_INLINE void to_frac_unwrapped(const Box &b, const double x[3], double s[3])
{
  const double dx = x[0] - b.lo[0], dy = x[1] - b.lo[1], dz = x[2] - b.lo[2];
  if (b.orthogonal) {    // the same values (the tilt terms are zero), five products fewer
    s[0] = b.ixx * dx;
    s[1] = b.iyy * dy;
  } else {
    s[0] = b.ixx * dx + b.ixy * dy + b.ixz * dz;
    s[1] = b.iyy * dy + b.iyz * dz;
  }
  s[2] = b.izz * dz;
}

// Cartesian position -> fractional coordinates wrapped into [0,1).
MLIPEVAL_INLINE void to_frac(const Box &b, const double x[3], double s[3])
{
  to_frac_unwrapped(b, x, s);
  for (int d = 0; d < 3; ++d) s[d] = wrap01(s[d]);
}

// Fractional displacement -> Cartesian displacement.
MLIPEVAL_INLINE void frac_to_cart(const Box &b, const double ds[3], double dx[3])
{
  dx[0] = b.xx * ds[0] + b.xy * ds[1] + b.xz * ds[2];
  dx[1] = b.yy * ds[1] + b.yz * ds[2];
  dx[2] = b.zz * ds[2];
}
MLIPEVAL_RULES_END

// A general cell (rows a, b, c) rotated into LAMMPS's restricted form.  rot maps a vector in
// the general frame onto the LAMMPS frame (x' = rot x); the same rotation applies to forces.
struct RestrictedCell {
  double xx, yy, zz, xy, xz, yz;
  double rot[3][3];
};
// Returns false when the cell is degenerate or left-handed.
bool restrict_cell(const double cell[3][3], RestrictedCell &out);

}    // namespace mlipeval

#endif
