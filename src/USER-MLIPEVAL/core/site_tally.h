/* USER-MLIPEVAL: the per-site tallies one rank decides (one owner per site).
   A site belongs to the rank whose subdomain, [lo, hi) in box fractions, holds its position in
   [0,1)^3.  Its tallies are whole in one of two ways.
   - Folded (unit-cell sites on a brick of ranks): each rank tallies its owned atoms, and only
     those, into a block of unit cells that reaches as far around its subdomain as an owned atom
     can find a site (the margin plus the drift: half the neighbor skin).  The slots of the block
     that hold other ranks' sites (its halo) then travel to their owners, axis by axis, and are
     added there (fold(): as LAMMPS sums ghost forces, a reverse communication of the block's
     faces).  Each atom counts once, on the rank that owns it, for the image of its site nearest
     to it, whatever rank owns that: no ghost atoms are needed.
   - With ghosts (stored sites, or a tiled layout): the rank counts every atom image it has,
     owned atoms and ghosts, whose nearest site image (or site image within the vacancy radius)
     is the position of one of its sites; another image of the same atom, on this rank or
     another, lies more than half a box away from it and does not count.  (An atom lies near its
     site, far from that half-box line, so rounding never makes two images count, or none; a line
     at the box faces, where lattice atoms sit, would.)  Each site is decided from the atoms
     within `margin` of its subdomain, and the tallies are held for the owned sites only: a block
     of unit cells around the subdomain for `sites cell` (its index is arithmetic), the owned
     sites themselves for stored sites.
   A rank that owns the whole box (one rank; one process) counts every atom for its nearest site
   whatever the image and needs neither. */
#ifndef MLIPEVAL_CORE_SITE_TALLY_H
#define MLIPEVAL_CORE_SITE_TALLY_H

#include "re_rules.h"
#include "sites.h"

#include <vector>

namespace mlipeval {

// A rank's part of the box, in box fractions; whole when it is the whole box.
struct Subdomain {
  double lo[3] = {0.0, 0.0, 0.0}, hi[3] = {1.0, 1.0, 1.0};
  int whole = 1;
  double margin = 0.0;    // Angstrom: the atoms that count for its sites lie this close to it
  double drift = 0.0;     // Angstrom: an owned atom lies this close to it (half the skin)
  // a brick of ranks (its neighbours along an axis have the same cuts along the other two):
  // unit-cell tallies can be folded; wmin: the narrowest subdomain along each axis
  int brick = 0;
  double wmin[3] = {1.0, 1.0, 1.0};
};

// How the ranks of a brick exchange the faces of their blocks (fold()): a neighbour along each
// axis, the same on every rank of a grid of one process.
struct FoldComm {
  virtual ~FoldComm() = default;
  // send `out` to the neighbour on side dir (-1 below, +1 above) along axis, and return what
  // the neighbour on the other side sent this way; one process is its own neighbour
  virtual std::vector<int> shift(int /*axis*/, int /*dir*/, const std::vector<int> &out) { return out; }
};

// The tallies of one rank as the per-atom functions take them: a plain struct, usable in kernels.
struct TallyView {
  int *ws, *held;    // nslots each, held right after ws
  int *lost;         // right after held: owned atoms whose site lay outside a folded block
  int nslots;
  int fold;          // folded: every owned atom counts, for its site's image nearest to it
  int wrap[3];       // folded: the axes the subdomain spans whole, where the block is the box's
                     // cells and an image's cell wraps into it (no halo)
  int generation;          // changes when the owned sites do (device copies follow it)
  Subdomain sub;
  int clo[3], nc[3];       // sites cell: the block of unit cells that holds the owned sites
  // sites cell: the slot stride of each axis's block cell (slot = basis + sum of cell * stride);
  // folded, the axes with a halo vary slowest, so that a face sent to a neighbour is one run
  int cstride[3];
  // sites cell: per axis d, the slot offset of an image's unwrapped cell x (the cell's index in
  // the block times cstride[d]), -1 outside the block:
  // axis_slot[d][x] for x in [-reach, ncell + reach) (CellTableView::reach, BlockSlot), all three
  // in axis_map (axis_len ints)
  const int *axis_slot[3];
  const int *axis_map;
  int axis_len;
  const int *slot_of;      // stored sites: the slot of each kept site, -1 for another rank's
};

MLIPEVAL_RULES_BEGIN
// The search's view of the block: where the nearest site's slot is to be written (tally_slot).
MLIPEVAL_INLINE BlockSlot block_of(const TallyView &t)
{
  return BlockSlot{t.axis_slot, BLOCK_UNKNOWN};
}

// the slot of basis site b of block cell kc (the cell's indices in the block)
MLIPEVAL_INLINE int cell_slot(const TallyView &t, int b, const int kc[3])
{
  return b + kc[0] * t.cstride[0] + kc[1] * t.cstride[1] + kc[2] * t.cstride[2];
}

// tally_slot without `where`
MLIPEVAL_OUTLINE int site_slot(const TallyView &t, const SiteFinder &f, int site, const double su[3])
{
  double sc[3];
  int cell[3] = {0, 0, 0}, kc[3] = {0, 0, 0}, b = 0, k = 0;
  if (f.use_cells) {
    b = cell_site_decode(f.cells, site, cell);    // once: integer division is the cost here
    cell_site_at(f.cells, b, cell, sc);
    // (a wrapped axis: the block is the box's cells [0, ncell))
    for (int d = 0; d < 3; ++d) kc[d] = cell[d] - t.clo[d];
    if (t.fold) {    // the image nearest su: the site's own, moved by the whole boxes between
      for (int d = 0; d < 3; ++d) {
        if (!t.wrap[d]) kc[d] += (int) MLIPEVAL_MATH::floor(su[d] - sc[d] + 0.5) * f.cells.ncell[d];
        if ((unsigned) kc[d] >= (unsigned) t.nc[d]) return -1;
      }
      return cell_slot(t, b, kc);
    }
  } else {
    k = stored_slot(f, site);
    if (k < 0) return -1;    // a site this rank does not keep is another rank's
    for (int d = 0; d < 3; ++d) sc[d] = f.frac[3 * k + d];
  }
  for (int d = 0; d < 3; ++d) {
    if (!(sc[d] >= t.sub.lo[d] && sc[d] < t.sub.hi[d])) return -1;
    const double v = su[d] - sc[d];
    if (!(v > -0.5 && v < 0.5)) return -1;
  }
  return f.use_cells ? cell_slot(t, b, kc) : t.slot_of[k];
}

// The slot of `site` for an atom image at unwrapped box fractions su, or -1 when another rank
// or another image counts it.
// where (unit-cell sites, optional; where->slot = BLOCK_UNKNOWN for none), only for an atom
// inside the box (su in [0, 1), as nearly every owned atom): the slot the search gave from the
// unwrapped cell of the image it found near the atom, by three table look-ups
// (TallyView::axis_slot, block_of): that image is the one in the box exactly when its cell is in
// [0, ncell) (the atom lies near the image it sees and a whole box from any other, as the
// half-box test below asks), and its slot is in the block when the cell is.  A site of the block
// that is not the rank's (its position outside the subdomain) may be given a count here, which
// count() never reads: the owned sites' tallies are those of the test below.
// Folded, the slot is that of the site's image nearest su, in the block or not (-1: lost).
MLIPEVAL_INLINE int tally_slot(const TallyView &t, const SiteFinder &f, int site, const double su[3],
                               const BlockSlot *where = nullptr)
{
  if (t.sub.whole) return site;
  if (where && where->slot != BLOCK_UNKNOWN) return where->slot;
  return site_slot(t, f, site, su);
}

// An atom image's share of the tallies: its nearest site (ws) and the sites within the vacancy
// radius (held), for its wrapped (s) and unwrapped (su) box fractions.  When the vacancy radius
// is below half the smallest site separation an atom can only hold its own nearest site.
// type: the atom's type (its sublattice, when the sites have types).
// where: see tally_slot (none for an atom outside the box).
template <class Add>
MLIPEVAL_INLINE void tally_atom(const SiteFinder &f, const Box &b, const double s[3], const double su[3],
                                const AtomSite &a, const ReParams &p, int vacancy_is_local, const TallyView &t,
                                const Add &add, int type = 0, const BlockSlot *where = nullptr)
{
  if (a.site < 0) return;    // no site of its type
  const int slot = tally_slot(t, f, a.site, su, where);
  if (slot >= 0) add(t.ws + slot);
  else if (t.fold) add(t.lost);
  if (vacancy_is_local) {
    if (slot >= 0 && a.d1 < p.vacancy) add(t.held + slot);
  } else {
    auto hold = [&](int site, double) {
      const int h = tally_slot(t, f, site, su);
      if (h >= 0) add(t.held + h);
      else if (t.fold) add(t.lost);
    };
    for_each_within(f.grid, b, s, p.vacancy, hold, type);
  }
}

// Whether a ghost atom at unwrapped box fractions su can count for a site of this rank: it lies
// within `reach` (box fractions per axis, margin / width) of the subdomain.
MLIPEVAL_INLINE bool near_subdomain(const Subdomain &sub, const double reach[3], const double su[3])
{
  for (int d = 0; d < 3; ++d)
    if (su[d] < sub.lo[d] - reach[d] || su[d] >= sub.hi[d] + reach[d]) return false;
  return true;
}
MLIPEVAL_RULES_END

// Where the ghost atoms that can count for a rank's sites lie: within `reach` (box fractions per
// axis, Subdomain::margin / width) of its subdomain, and so inside the Cartesian box [xlo, xhi),
// the bounds of that region a little enlarged.  Most ghosts lie outside it: that test, three
// pairs of compares on the position, comes before the fractional position and near_subdomain.
struct GhostReach {
  double reach[3];
  double xlo[3], xhi[3];
};
GhostReach ghost_reach(const Subdomain &sub, const Box &box);

MLIPEVAL_RULES_BEGIN
// false for a ghost at Cartesian x that cannot count (outside the Cartesian box of g)
MLIPEVAL_INLINE bool in_ghost_box(const GhostReach &g, const double x[3])
{
  return x[0] >= g.xlo[0] && x[0] < g.xhi[0] && x[1] >= g.xlo[1] && x[1] < g.xhi[1] && x[2] >= g.xlo[2] &&
      x[2] < g.xhi[2];
}
MLIPEVAL_RULES_END

// The tallies of the sites one rank owns, and their counts.
class SiteTally {
 public:
  // Take the owned sites of `sites` for subdomain `sub` of `box`; keeps the storage when nothing
  // changed.  The same calls on every rank (a folded block's reach follows the box alike).
  void assign(const SiteSet &sites, const Subdomain &sub, const Box &box);
  // zeroed tallies for one analysis
  TallyView clear();
  int slots() const { return nslots; }
  // the tallies are folded (then no ghost atoms are tallied)
  bool folds() const { return folding; }
  // Folded: the halo's tallies to their owners, each face in turn (every rank of the brick at
  // once); returns the owned atoms whose site lay outside the block (none when the drift holds).
  long fold(FoldComm &comm);
  // Counts of the owned sites, and their vacant (held == 0) and crowded (ws >= 2) sites by
  // global index, increasing.
  SiteCounts count(const SiteSet &sites, std::vector<int> &vacant, std::vector<int> &crowded) const;
  // the tallies (ws then held, slots() each, then lost: size()) for a device copy to fill
  int *data() { return tally.data(); }
  size_t size() const { return tally.size(); }
  const std::vector<int> &slot_map() const { return slot_of; }
  size_t bytes() const
  {
    return (tally.capacity() + slot_of.capacity() + site_of.capacity() + axis_map.capacity()) * sizeof(int) +
        inside[0].capacity() +
        inside[1].capacity() + inside[2].capacity() + buffer.capacity() * sizeof(int);
  }

 private:
  Subdomain sub;
  int version = -1, nsites = -1, generation = 0;
  int nslots = 0;
  int clo[3] = {0, 0, 0}, nc[3] = {0, 0, 0};
  int cstride[3] = {0, 0, 0};    // TallyView::cstride
  int order[3] = {0, 1, 2};      // the axes from the fastest varying in the block to the slowest
  // sites cell: per axis, whether block cell i's basis site b is below the subdomain (-1), in it
  // (0) or above it (1)
  std::vector<signed char> inside[3];
  int span[3][2] = {{0, 0}, {0, 0}, {0, 0}};    // and the block cells [from, to) where one is in it
  bool folding = false;
  double reach[3] = {-1.0, -1.0, -1.0};    // folded: how far the block reaches beyond the subdomain
  int hops[3] = {0, 0, 0};                 // and the shifts a halo's tally needs to reach its owner
  int wrap[3] = {0, 0, 0};                 // folded: the axes the subdomain spans whole
  std::vector<int> tally, slot_of, site_of, buffer;
  std::vector<int> axis_map;    // sites cell: TallyView::axis_slot's tables
  int axis_zero[3] = {0, 0, 0};    // where cell 0 of each axis is in axis_map
  int nbasis_of_block = 0, ncell_of_block[3] = {0, 0, 0};
  bool follow_box(const Subdomain &s, const Box &box);
  std::vector<int> face;    // fold(): block offsets of a face's (cell, basis) pairs
  template <class F> void each_face_run(int axis, const F &f) const;
};

// The part of the box whose stored sites a rank keeps: its subdomain and `keep` (Angstrom) around
// it, open along the axes where that is less than the box.
GridWindow keep_window(const Subdomain &sub, const Box &box, double keep);
// How far around a subdomain a rank keeps stored sites so that every atom it looks at finds what
// it needs there: an owned atom (up to half the skin outside) its two nearest sites (the nearest
// within the covering radius `cover`, the next within `neighbour` of that one: at most cover +
// neighbour away), a ghost atom (within the margin) its nearest site (within cover), and both
// the sites within the vacancy radius; 10 % more, for the box to shrink under NPT.
double keep_distance(double margin, double skin, double cover, double vacancy, double neighbour);
// The farthest any site of the subdomain `sub` (box fractions [lo, hi)) is from its nearest other
// site of its type: the largest over the ranks bounds it for every site.  A unit-cell set gives
// two covering radii (no site is farther from its nearest neighbour).
double neighbour_bound(const SiteSet &sites, const Box &box, const Subdomain &sub);

// An upper bound on how far a point of the box subdomain `sub` can be from its nearest site (the
// covering radius there): every atom lies this close to the site it counts for.
double covering_bound(const SiteSet &sites, const Box &box, const Subdomain &sub);

}    // namespace mlipeval

#endif
