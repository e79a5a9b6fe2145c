/* USER-MLIPEVAL: static sites (perfect-crystal positions) in fractional box coordinates. */
#ifndef MLIPEVAL_CORE_SITES_H
#define MLIPEVAL_CORE_SITES_H

#include "cell_table.h"
#include "point_grid.h"

#include <algorithm>
#include <functional>
#include <string>
#include <vector>

namespace mlipeval {

// Basis of a named cubic lattice in unit-cell fractional coordinates (3 per site).
// Known names: sc, bcc, fcc, diamond.  Returns false for an unknown name.
bool lattice_basis(const std::string &name, std::vector<double> &basis);

// The basis replicated n[0] x n[1] x n[2] times over the box, in box fractional coordinates.
// Site index = b + nbasis * (i + n0 * (j + n1 * k)).
std::vector<double> replicate_cell(const std::vector<double> &basis, const int n[3]);

// Wrap every coordinate into [0,1).
void wrap_all(std::vector<double> &frac);

// One policy for "a whole number of lattice cells" (sites lattice).  A box edge measured in
// lattice cells is whole when it lies within kWholeCellTol of an integer, relative to
// max(1, |cells|); it then counts as that integer.  Sites are kept in the window
// [-kSiteWindow, 1 - kSiteWindow) of box fractional coordinates: one box long, so that every
// site of a box that is whole cells appears once, and clear of the faces by far more than the
// tolerance, so that a box a hair above or below whole cells gains or loses no plane.
constexpr double kWholeCellTol = 1e-6;
constexpr double kSiteWindow = 1e-4;
// The integer count of cells when c is whole by the policy; otherwise false.
bool whole_cells(double c, long *n);
// Sites of a lattice with nbasis sites per cell in a box whose edges are the lattice
// translations of the rows of m (whole cells): nbasis * |det m|.
double lattice_site_count(int nbasis, const long m[3][3]);
inline bool in_site_window(double s) { return s >= -kSiteWindow && s < 1.0 - kSiteWindow; }

// A lattice (sites lattice) as the core sees it: its basis in unit-cell fractions (3 per site)
// and its maps, in place, from lattice to box coordinates and back.
struct LatticeFrame {
  std::vector<double> basis;
  std::function<void(double x[3])> to_box, to_lattice;
};
// Every site of the lattice in `box`, in box fractional coordinates, by the whole-cell policy
// above.  check(count) sees the count the box holds before any site is made (it may refuse it
// by throwing).  Throws std::runtime_error, message starting "sites lattice", when a box edge is
// no whole lattice translation or a basis site lies on a box face.  basis_of (optional) receives
// the basis site of each.
std::vector<double> lattice_sites(const LatticeFrame &lat, const Box &box, const std::function<void(double)> &check,
                                  std::vector<int> *basis_of = nullptr);
// Stored sites handed on in blocks as they are made: emit(frac, types, first, n, total) receives
// the positions of sites first .. first+n-1 (3 each) and, when given, their types (else null);
// total: the count of all the sites, as the source states it ahead (the same in every block).
using SiteEmit = std::function<void(const double *, const int *, long, int, long)>;
// The same sites in bounded memory: at most `block` at a time go to emit, with the type of each
// from basis_types (the type of each basis site; empty: none).  Returns their count.
long lattice_sites(const LatticeFrame &lat, const Box &box, const std::function<void(double)> &check, int block,
                   const SiteEmit &emit, const std::vector<int> &basis_types = std::vector<int>());
// The lattice translations (in unit cells) of the three box edges, rows x, y, z; throws as
// lattice_sites() does when an edge is no whole translation.
void lattice_edges(const LatticeFrame &lat, const Box &box, long whole[3][3]);
// Whether the lattice is its unit cell repeated n[0] x n[1] x n[2] times along the box edges
// (edges along the lattice axes, a lattice point at the box origin, every basis site clear of
// the window's faces).  Its sites are then exactly those of replicate_cell(lat.basis, n), in
// lattice_sites()'s order, and SiteSet::build_cells() holds them without storing any.
bool lattice_as_cells(const LatticeFrame &lat, const Box &box, const long whole[3][3], int n[3]);

// The ratio of the longest to the shortest edge of one cell when the box is divided into
// n[0] x n[1] x n[2] cells (sites cell): 1 for the cubic cells of sc, bcc, fcc and diamond.
double cell_aspect(const Box &box, const int n[3]);

// How a per-atom function finds the nearest two sites: a plain struct, usable in kernels.
struct SiteFinder {
  int use_cells;         // the sites repeat a unit cell: use its candidate table
  CellTableView cells;
  PointGridView grid;
  double r0;             // first search radius of the grid search
  // stored sites: the positions this rank keeps (3 each, by increasing site index) and, when it
  // keeps only some, their site indices (null: it keeps all, and position i is site i's)
  const double *frac;
  const int *gid;
  int nstored;
  const int *stype;      // stored sites with types: the type of each stored position (else null)
};

MLIPEVAL_RULES_BEGIN
// type: the atom's type; with sublattices (sites with types) only the sites of that type count.
// where (optional): for a unit-cell set, the nearest site's slot in a rank's block (BlockSlot)
// second: SECOND_DISTANCE for the second site's distance alone (see SecondSite: i2 is then not
// to be taken for its index)
MLIPEVAL_INLINE Nearest2 nearest_two_sites(const SiteFinder &f, const Box &b, const double sp[3], int type = 0,
                                           BlockSlot *where = nullptr, int second = SECOND_SITE)
{
  return f.use_cells ? nearest_in_cells(f.cells, b, sp, type, second, where) : nearest(f.grid, b, sp, 2, f.r0, type);
}

// Where site i's position is stored on this rank, or -1 when this rank does not keep it.
MLIPEVAL_INLINE int stored_slot(const SiteFinder &f, int i)
{
  if (!f.gid) return i >= 0 && i < f.nstored ? i : -1;
  int lo = 0, hi = f.nstored;
  while (lo < hi) {
    const int mid = (lo + hi) / 2;
    if (f.gid[mid] < i) lo = mid + 1;
    else hi = mid;
  }
  return lo < f.nstored && f.gid[lo] == i ? lo : -1;
}

// The nearest site only (i2 is then not to be used): a stored set searches no farther than
// the nearest (a rank's ghost atoms need no more, and their second-nearest may lie beyond the
// sites it keeps); a unit-cell set takes the first candidate of a sure voxel.
MLIPEVAL_INLINE Nearest2 nearest_site(const SiteFinder &f, const Box &b, const double sp[3], int type = 0,
                                      BlockSlot *where = nullptr)
{
  return f.use_cells ? nearest_in_cells(f.cells, b, sp, type, NO_SECOND, where) : nearest(f.grid, b, sp, 1, f.r0, type);
}

// The atom type of site i's sublattice, 0 when the sites have no types (or, for stored sites,
// when this rank does not keep site i).
MLIPEVAL_INLINE int site_type(const SiteFinder &f, int i)
{
  if (f.use_cells) return f.cells.btype ? f.cells.btype[i % f.cells.nbasis] : 0;
  if (!f.stype) return 0;
  const int k = stored_slot(f, i);
  return k < 0 ? 0 : f.stype[k];
}

// Fractional position of basis site b of unit cell `cell`: the one formula of every use.
MLIPEVAL_INLINE void cell_site_at(const CellTableView &t, int b, const int cell[3], double s[3])
{
  for (int d = 0; d < 3; ++d) s[d] = (cell[d] + t.basis[3 * b + d]) / t.ncell[d];
}

// Fractional position of site i of a unit-cell site set: generated, not stored.
MLIPEVAL_INLINE void cell_site_position(const CellTableView &t, int i, double s[3])
{
  int cell[3];
  const int b = cell_site_decode(t, i, cell);
  cell_site_at(t, b, cell, s);
}

// Position of site i: generated for a unit-cell set, else read from the stored positions.
// False when this rank does not keep the site (stored sites on several ranks).
MLIPEVAL_INLINE bool site_position(const SiteFinder &f, int i, double s[3])
{
  if (f.use_cells) {
    cell_site_position(f.cells, i, s);
    return true;
  }
  const int k = stored_slot(f, i);
  if (k < 0) return false;
  for (int d = 0; d < 3; ++d) s[d] = f.frac[3 * k + d];
  return true;
}
MLIPEVAL_RULES_END

// The sites of compute re/atom: explicit positions (sites lattice, sites file), searched with a
// grid, or a unit cell repeated over the box (sites cell), whose positions are generated from
// the index and searched with a per-voxel candidate table: no array over all sites is held,
// unless a vacancy radius beyond the nearest site needs the grid (need_radius_search()).
class SiteSet {
 public:
  // frac is wrapped into [0,1).  Returns the smallest nearest-image distance between two
  // distinct sites in this box (0 for duplicates); needs at least 2 sites.  types (optional): the
  // atom type of each site (sublattices, as build_cells() takes them: the separation is then
  // that of two sites of one type), and ntypes the largest type any site of the whole set has.
  double build(std::vector<double> frac, const Box &box, std::vector<int> types = std::vector<int>(),
               int ntypes = 0);
  // Stored sites of which this rank keeps those in window w only (several ranks): their
  // positions (3 each) and site indices, increasing; total: the count of the whole set.  Returns
  // the smallest separation between two kept sites, 1e300 when no two are found: the whole
  // set's is the smallest over the ranks (set_separation()).  types, ntypes: as build() takes them.
  double build_kept(std::vector<double> frac, std::vector<int> ids, int total, const GridWindow &w, const Box &box,
                    std::vector<int> types = std::vector<int>(), int ntypes = 0);
  // the smallest separation of the whole set, when this rank keeps a part of it
  void set_separation(double dmin);
  // give back the memory of stored sites before others are made (the set is empty until then)
  void release()
  {
    std::vector<double>().swap(frac);
    std::vector<int>().swap(ids);
    std::vector<int>().swap(stype);
    grid = PointGrid();
  }
  // the part of the box whose sites this rank keeps (the whole box unless build_kept())
  const GridWindow &window() const { return win; }
  int stored() const { return (int) frac.size() / 3; }
  // basis (unit-cell fractional, 3 per site) repeated ncell times in replicate_cell()'s order;
  // returns the smallest separation.  types (optional): the atom type of each basis site, one
  // sublattice per type: an atom then occupies the sites of its own type only, and the returned
  // separation is that of two sites of one type (0 when two sites of any types coincide).
  double build_cells(const std::vector<double> &basis, const int ncell[3], const Box &box,
                     const std::vector<int> &types = std::vector<int>());
  // the atom type of each basis site (empty: no sublattices, or stored sites)
  const std::vector<int> &types() const { return cell_types; }
  // the largest site type (0 without sublattices), and the type of site i (site_type(): 0 for a
  // stored site this rank does not keep)
  int ntypes() const { return ntype; }
  int type_of(int i) const { return site_type(finder(), i); }
  // the same sites for another box (a new run); returns the smallest separation
  double rebuild(const Box &box);
  // the grid over every site in window w (default: the whole box), for searches within a radius
  // (a unit-cell set builds it only now, from the cells that reach into the window)
  void need_radius_search(const Box &box, const GridWindow &w = GridWindow());
  int size() const { return nsites; }
  bool generated() const { return cells; }
  // stored positions (3 per site): empty for a unit-cell set
  const std::vector<double> &fractional() const { return frac; }
  void position(int i, double s[3]) const;
  std::vector<double> positions(const std::vector<int> &which) const;
  PointGridView view() const { return grid.view(); }
  // first search radius for nearest-two queries, set from the site spacing
  double search_radius() const { return r0; }

  // stored sites: the squared distance from stored position k to the nearest other site (of its
  // type when same_type), searched from radius r outward; 1e300 when there is none.  Without
  // same_type only the bins next to k's are looked at (enough to find coinciding sites).
  double nearest_other(int k, const Box &box, double r, bool same_type) const;

  // Rebuild what depends on the box metric when the box has strained too far for it.
  void refresh(const Box &box);
  SiteFinder finder() const;
  // changes whenever the search structures are rebuilt (copies of them must be refreshed)
  int version() const { return generation; }
  // memory held: the positions and both search structures
  size_t bytes() const
  {
    return (frac.capacity() + cell_basis.capacity()) * sizeof(double) +
        (ids.capacity() + stype.capacity() + cell_types.capacity()) * sizeof(int) + grid.bytes() + table.bytes();
  }

 private:
  std::vector<double> frac;
  std::vector<int> ids;    // build_kept(): the site index of each kept position
  std::vector<int> stype;  // stored sites with types: the type of each stored position
  int ntype = 0;           // the largest site type, 0 without sublattices
  GridWindow win;
  int nsites = 0;
  double build_stored(const Box &box);
  PointGrid grid;
  double r0 = 1.0;
  bool cells = false;
  CellTable table;
  std::vector<double> cell_basis;
  std::vector<int> cell_types;
  int ncell[3] = {1, 1, 1};
  bool radius = false;    // a unit-cell set holds the grid of need_radius_search(), over `win`
  int generation = 0;
};

}    // namespace mlipeval

#endif
