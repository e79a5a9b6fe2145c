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
  double dncell[3];       // ncell, as doubles (no conversions on the hot path)
  int nbasis;
  int m;                  // voxels per unit-cell axis
  double dm;              // m, as a double
  const double *basis;    // nbasis x 3, unit-cell fractional positions
  const int *start;       // CSR offsets, m^3 + 1
  const CellCandidate *cand;
  // per voxel: 1 when its first candidate is the nearest site of every point in it (under any
  // strain the lists allow), so that only the second nearest is searched for; only in a
  // distinct table, for a voxel of two candidates or more
  const unsigned char *sure;
  double cover;           // no point is farther than this from its nearest site (Angstrom)
  int distinct;           // no voxel lists two images of one site (every axis has enough cells)
  int reach;              // no candidate's cell is more than this many cells from the atom's
  // sublattices: the table (block of m^3 voxels) of each atom type 1..ntypes, -1 for a type
  // without sites; null when the sites have no types (one table for every atom)
  const int *tab_of;
  int ntypes;
  const int *btype;       // the type of each basis site (null without types)
};

class CellTable {
 public:
  static constexpr double tolerance = 2e-3;    // largest strain the lists stay exact for
  // types (optional): the atom type of each basis site; then each type has a table of its own
  // sites (its sublattice), and `cover` is the largest covering radius of a sublattice
  void build(const std::vector<double> &basis, const int ncell[3], const Box &box,
             const std::vector<int> &types = std::vector<int>());
  bool needs_rebuild(const Box &box) const;
  CellTableView view() const;
  size_t bytes() const
  {
    return basis.capacity() * sizeof(double) + (start.capacity() + tab_of.capacity() + btype.capacity()) * sizeof(int) +
        cand.capacity() * sizeof(CellCandidate) + sure.capacity();
  }
  double covering_bound() const { return cover; }
  double mean_candidates() const { return cand.empty() ? 0.0 : (double) cand.size() / (start.size() - 1); }

 private:
  int ncell[3] = {1, 1, 1}, m = 1;
  std::vector<double> basis;
  std::vector<int> start, tab_of, btype;
  std::vector<CellCandidate> cand;
  std::vector<unsigned char> sure;
  double cover = 0.0;
  int distinct = 0, cell_reach = 0;
  double h[6] = {0, 0, 0, 0, 0, 0};    // xx yy zz xy xz yz of the box the lists were built for
};

// A rank's tally block as the search sees it (see site_tally.h), for the owner test of several
// ranks: per axis d, axis[d][x] is the slot offset in the block (the cell's index there times
// the axis's slot stride, TallyView::cstride) of a site image's unwrapped cell x (an atom's cell in the box plus a candidate's offset, x in
// [-reach, ncell + reach)), -1 outside the block.  The search gives the nearest site's slot:
// its basis index plus the three offsets, -1 when that image's cell is outside the block, and
// BLOCK_UNKNOWN on the rare general path (the owner test then works from the site index).
struct BlockSlot {
  const int *const *axis;    // the three tables
  int slot;
};
enum { BLOCK_UNKNOWN = -2 };

// What a search asks of the second-nearest site: nothing (i2 is then not to be used), its index
// and distance, or its distance alone (the RE rule needs no more): then i2 is i1 when there is
// a second site, -1 when there is none, and its index is not worked out on the fast paths.
enum SecondSite { NO_SECOND = 0, SECOND_SITE = 1, SECOND_DISTANCE = 2 };

// Site index of basis b in unit cell (i, j, k), each already wrapped into the box.
MLIPEVAL_RULES_BEGIN
MLIPEVAL_INLINE int cell_site_index(const CellTableView &t, int b, int i, int j, int k)
{
  return b + t.nbasis * (i + t.ncell[0] * (j + t.ncell[1] * k));
}

// The unit cell (cell[3]) and basis site (returned) of site i of a unit-cell site set, numbered
// as replicate_cell() does.
MLIPEVAL_INLINE int cell_site_decode(const CellTableView &t, int i, int cell[3])
{
  const int b = i % t.nbasis;
  int c = i / t.nbasis;
  cell[0] = c % t.ncell[0];
  c /= t.ncell[0];
  cell[1] = c % t.ncell[1];
  cell[2] = c / t.ncell[1];
  return b;
}

// The candidates of the atom's voxel, their distances in the metric of one unit cell (the box
// columns divided by ncell).  Ortho: the box has no tilt, so three products per candidate.
// second: what is asked of the second-nearest site (SecondSite).
// Where (then where): the nearest site's slot in a rank's block (BlockSlot), from its cell before
// wrapping into the box (the atom's cell plus the candidate's offset: which image of the site the
// atom sees), for the owner test of several ranks (tally_slot); BLOCK_UNKNOWN on the rare
// general path.
template <bool Ortho, bool Where>
MLIPEVAL_INLINE Nearest2 nearest_in_cells_metric(const CellTableView &t, const Box &b, const double sp[3], int type,
                                                 int second, BlockSlot *where)
{
  if (Where) where->slot = BLOCK_UNKNOWN;
  int c[3], v[3];
  double f[3];    // the atom's position inside its cell, in unit-cell fractional coordinates
  for (int d = 0; d < 3; ++d) {
    const double u = sp[d] * t.dncell[d];
    c[d] = (int) u;    // < ncell: sp < 1, and sp * ncell never rounds up to ncell
    f[d] = u - c[d];
    // the voxel from u, not from f: the same voxel, without waiting on f's conversion (the
    // search's critical path); m is a power of two, so u * m is exact and v in [0, m)
    v[d] = (int) (u * t.dm) - c[d] * t.m;
  }
  int voxel = (v[2] * t.m + v[1]) * t.m + v[0];
  if (t.tab_of) {    // sublattices: the atom's own type's table
    const int k = type >= 1 && type <= t.ntypes ? t.tab_of[type] : -1;
    if (k < 0) {    // a type without sites: no site at all
      Nearest2 none;
      none.i1 = none.i2 = -1;
      none.r1sq = none.r2sq = 0.0;
      return none;
    }
    voxel += k * t.m * t.m * t.m;
  }
  const double hxx = b.xx * t.inv[0], hyy = b.yy * t.inv[1], hzz = b.zz * t.inv[2];
  const double hxy = Ortho ? 0.0 : b.xy * t.inv[1], hxz = Ortho ? 0.0 : b.xz * t.inv[2];
  const double hyz = Ortho ? 0.0 : b.yz * t.inv[2];
  // the site index of candidate q for this atom's cell; w (Where only): its slot in the block
  auto site_of = [&](const CellCandidate &q, BlockSlot *w) {
    int cw[3] = {c[0] + q.o[0], c[1] + q.o[1], c[2] + q.o[2]};
    if (Where && w) {
      const int i = w->axis[0][cw[0]], j = w->axis[1][cw[1]], k = w->axis[2][cw[2]];
      w->slot = (i | j | k) < 0 ? -1 : q.b + i + j + k;
    }
    // (an atom near a box face) wrap the cell into the box: by one box length, without branches
    // (the hot path), then, rarely (a box of fewer cells than the offsets), by more
    for (int d = 0; d < 3; ++d) {
      cw[d] += cw[d] < 0 ? t.ncell[d] : 0;
      cw[d] -= cw[d] >= t.ncell[d] ? t.ncell[d] : 0;
    }
    if (((unsigned) cw[0] >= (unsigned) t.ncell[0]) | ((unsigned) cw[1] >= (unsigned) t.ncell[1]) |
        ((unsigned) cw[2] >= (unsigned) t.ncell[2]))
      for (int d = 0; d < 3; ++d) {
        while (cw[d] < 0) cw[d] += t.ncell[d];
        while (cw[d] >= t.ncell[d]) cw[d] -= t.ncell[d];
      }
    return cell_site_index(t, q.b, cw[0], cw[1], cw[2]);
  };
  auto rsq_of = [&](const CellCandidate &q) {
    // the image is implied by the unwrapped offset
    const double d0 = q.u[0] - f[0], d1 = q.u[1] - f[1], d2 = q.u[2] - f[2];
    const double x = Ortho ? hxx * d0 : hxx * d0 + hxy * d1 + hxz * d2;
    const double y = Ortho ? hyy * d1 : hyy * d1 + hyz * d2;
    const double z = hzz * d2;
    return x * x + y * y + z * z;
  };
  Top2 top;
  top.n.i1 = top.n.i2 = -1;
  top.n.r1sq = top.n.r2sq = 0.0;
  const int first = t.start[voxel], last = t.start[voxel + 1];
  if (t.sure[voxel]) {    // (then the table is distinct and the voxel has two candidates or more)
    // the first candidate is the nearest: the second is the nearest of the others (an atom
    // near its site, nearly every atom, is in such a voxel); a tie, rare, is decided below
    if (!second) {
      top.n.i1 = site_of(t.cand[first], where);
      top.n.r1sq = rsq_of(t.cand[first]);
      return top.n;
    }
    if (second == SECOND_DISTANCE) {
      // the second distance alone: the least of the others (a tie changes which site is
      // second, not its distance, so no tie test)
      double r2 = rsq_of(t.cand[first + 1]);
      for (int p = first + 2; p < last; ++p) {
        const double rsq = rsq_of(t.cand[p]);
        r2 = rsq < r2 ? rsq : r2;
      }
      top.n.i1 = site_of(t.cand[first], where);
      top.n.i2 = top.n.i1;
      top.n.r1sq = rsq_of(t.cand[first]);
      top.n.r2sq = r2;
      return top.n;
    }
    double r2 = rsq_of(t.cand[first + 1]);
    int p2 = first + 1, tie = 0;
    for (int p = first + 2; p < last; ++p) {
      const double rsq = rsq_of(t.cand[p]);
      tie |= rsq == r2;
      const bool c2 = rsq < r2;
      r2 = c2 ? rsq : r2;
      p2 = c2 ? p : p2;
    }
    if (!tie) {
      top.n.i1 = site_of(t.cand[first], where);
      top.n.i2 = site_of(t.cand[p2], nullptr);
      top.n.r1sq = rsq_of(t.cand[first]);
      top.n.r2sq = r2;
      return top.n;
    }
  } else if (t.distinct && last - first >= 2) {
    // every candidate is another site: keep the best two candidates without branches (which
    // the CPU cannot predict here) and index only them; a tie in distance, rare, goes to the
    // general search below, which decides it by the site index
    double r1 = rsq_of(t.cand[first]), r2 = rsq_of(t.cand[first + 1]);
    int p1 = first, p2 = first + 1;
    int tie = r1 == r2;
    if (r2 < r1) {
      const double rt = r1;
      r1 = r2;
      r2 = rt;
      p1 = first + 1;
      p2 = first;
    }
    for (int p = first + 2; p < last; ++p) {
      const double rsq = rsq_of(t.cand[p]);
      tie |= (rsq == r1) | (rsq == r2);
      const bool c1 = rsq < r1, c2 = rsq < r2;
      r2 = c1 ? r1 : (c2 ? rsq : r2);
      p2 = c1 ? p1 : (c2 ? p : p2);
      r1 = c1 ? rsq : r1;
      p1 = c1 ? p : p1;
    }
    if (!tie) {
      top.n.i1 = site_of(t.cand[p1], where);
      top.n.i2 = second == SECOND_DISTANCE ? top.n.i1 : site_of(t.cand[p2], nullptr);
      top.n.r1sq = r1;
      top.n.r2sq = r2;
      return top.n;
    }
  }
  for (int p = first; p < last; ++p) {
    const CellCandidate &q = t.cand[p];
    const double rsq = rsq_of(q);
    if (top.n.i2 >= 0 && rsq > top.n.r2sq) continue;
    top(site_of(q, nullptr), rsq);
  }
  if (second == SECOND_DISTANCE && top.n.i2 >= 0) top.n.i2 = top.n.i1;    // as the fast paths give it
  return top.n;    // (rare: ties, voxels of one candidate; where->slot stays BLOCK_UNKNOWN)
}

// type: the atom's type, which picks its sublattice's table (ignored when the sites have no types);
// second: what is asked of the second-nearest site (SecondSite)
// where (optional): the nearest site's slot in a rank's block (see BlockSlot, nearest_in_cells_metric)
MLIPEVAL_INLINE Nearest2 nearest_in_cells(const CellTableView &t, const Box &b, const double sp[3], int type = 0,
                                          int second = SECOND_SITE, BlockSlot *where = nullptr)
{
  if (where)
    return b.orthogonal ? nearest_in_cells_metric<true, true>(t, b, sp, type, second, where)
                        : nearest_in_cells_metric<false, true>(t, b, sp, type, second, where);
  return b.orthogonal ? nearest_in_cells_metric<true, false>(t, b, sp, type, second, nullptr)
                      : nearest_in_cells_metric<false, false>(t, b, sp, type, second, nullptr);
}
MLIPEVAL_RULES_END

}    // namespace mlipeval

#endif
