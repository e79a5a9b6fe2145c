#include "box.h"

namespace mlipeval {

static double dot3(const double *a, const double *b) { return a[0] * b[0] + a[1] * b[1] + a[2] * b[2]; }

bool restrict_cell(const double cell[3][3], RestrictedCell &out)
{
  const double *a = cell[0], *b = cell[1], *c = cell[2];
  double axb[3] = {a[1] * b[2] - a[2] * b[1], a[2] * b[0] - a[0] * b[2], a[0] * b[1] - a[1] * b[0]};
  const double la = std::sqrt(dot3(a, a)), laxb = std::sqrt(dot3(axb, axb));
  if (la <= 0.0 || laxb <= 0.0 || dot3(axb, c) <= 0.0) return false;
  // orthonormal frame: e1 along a, e3 along a x b, e2 = e3 x e1
  double e1[3], e3[3], e2[3];
  for (int d = 0; d < 3; ++d) {
    e1[d] = a[d] / la;
    e3[d] = axb[d] / laxb;
  }
  e2[0] = e3[1] * e1[2] - e3[2] * e1[1];
  e2[1] = e3[2] * e1[0] - e3[0] * e1[2];
  e2[2] = e3[0] * e1[1] - e3[1] * e1[0];
  for (int d = 0; d < 3; ++d) {
    out.rot[0][d] = e1[d];
    out.rot[1][d] = e2[d];
    out.rot[2][d] = e3[d];
  }
  out.xx = la;
  out.xy = dot3(b, e1);
  out.yy = dot3(b, e2);
  out.xz = dot3(c, e1);
  out.yz = dot3(c, e2);
  out.zz = dot3(c, e3);
  return true;
}

}    // namespace mlipeval
