/* USER-MLIPEVAL: nearest-two site search for sites that repeat a unit cell over the box
   (sites cell STYLE NX NY NZ).  The unit cell is cut into m^3 voxels; each voxel lists the
   few (basis, cell offset) pairs that can be the nearest or second-nearest site of any point
   inside it, so a query computes about half a dozen distances.  The lists are exact for the
   metric they were built with and stay exact, through a safety margin, while the box strains
   by less than `tolerance`; needs_rebuild() tells when to build them again (NPT). */
#ifndef MLIPEVAL_CORE_CELL_TABLE_H
#define MLIPEVAL_CORE_CELL_TABLE_H

#include "point_grid.h"

#include <vector>

namespace mlipeval {

// One candidate of a voxel: basis site b in the unit cell at offset o from the atom's cell.
struct CellCandidate {
  double u[3];    // o + basis position, in unit-cell fractional coordinates
  int b, o[3];
};

struct CellTableView {
  int ncell[3];
  double inv[3];          // 1 / ncell
  int nbasis;
  int m;                  // voxels per unit-cell axis
  const double *basis;    // nbasis x 3, unit-cell fractional positions
  const int *start;       // CSR offsets, m^3 + 1
  const CellCandidate *cand;
  double cover;           // no point is farther than this from its nearest site (Angstrom)
};

class CellTable {
 public:
  static constexpr double tolerance = 2e-3;    // largest strain the lists stay exact for
  void build(const std::vector<double> &basis, const int ncell[3], const Box &box);
  bool needs_rebuild(const Box &box) const;
  CellTableView view() const;
  size_t bytes() const
  {
    return basis.capacity() * sizeof(double) + start.capacity() * sizeof(int) + cand.capacity() * sizeof(CellCandidate);
  }
  double covering_bound() const { return cover; }
  double mean_candidates() const { return cand.empty() ? 0.0 : (double) cand.size() / (start.size() - 1); }

 private:
  int ncell[3] = {1, 1, 1}, m = 1;
  std::vector<double> basis;
  std::vector<int> start;
  std::vector<CellCandidate> cand;
  double cover = 0.0;
  double h[6] = {0, 0, 0, 0, 0, 0};    // xx yy zz xy xz yz of the box the lists were built for
};

// Site index of basis b in unit cell (i, j, k), each already wrapped into the box.
MLIPEVAL_RULES_BEGIN
MLIPEVAL_INLINE int cell_site_index(const CellTableView &t, int b, int i, int j, int k)
{
  return b + t.nbasis * (i + t.ncell[0] * (j + t.ncell[1] * k));
}

MLIPEVAL_INLINE Nearest2 nearest_in_cells(const CellTableView &t, const Box &b, const double sp[3])
{
  int c[3], v[3];
  for (int d = 0; d < 3; ++d) {
    const double u = sp[d] * t.ncell[d];
    c[d] = (int) u;
    if (c[d] >= t.ncell[d]) c[d] = t.ncell[d] - 1;
    v[d] = (int) ((u - c[d]) * t.m);
    if (v[d] >= t.m) v[d] = t.m - 1;
  }
  const int voxel = (v[2] * t.m + v[1]) * t.m + v[0];
  // the atom's position inside its cell, in unit-cell fractional coordinates
  const double f[3] = {sp[0] * t.ncell[0] - c[0], sp[1] * t.ncell[1] - c[1], sp[2] * t.ncell[2] - c[2]};
  Top2 top;
  top.n.i1 = top.n.i2 = -1;
  top.n.r1sq = top.n.r2sq = 0.0;
  for (int p = t.start[voxel]; p < t.start[voxel + 1]; ++p) {
    const CellCandidate &q = t.cand[p];
    // box-fractional displacement; the image is implied by the unwrapped offset
    const double ds[3] = {(q.u[0] - f[0]) * t.inv[0], (q.u[1] - f[1]) * t.inv[1], (q.u[2] - f[2]) * t.inv[2]};
    double dx[3];
    frac_to_cart(b, ds, dx);
    const double rsq = dx[0] * dx[0] + dx[1] * dx[1] + dx[2] * dx[2];
    if (top.n.i2 >= 0 && rsq > top.n.r2sq) continue;    // most candidates stop here
    int w[3];
    for (int d = 0; d < 3; ++d) {
      // offsets are a few cells at most: wrap by adding, not dividing (this is the hot path)
      w[d] = c[d] + q.o[d];
      while (w[d] < 0) w[d] += t.ncell[d];
      while (w[d] >= t.ncell[d]) w[d] -= t.ncell[d];
    }
    top(cell_site_index(t, q.b, w[0], w[1], w[2]), rsq);
  }
  return top.n;
}
MLIPEVAL_RULES_END

}    // namespace mlipeval

#endif
