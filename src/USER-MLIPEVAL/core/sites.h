/* USER-MLIPEVAL: static sites (perfect-crystal positions) in fractional box coordinates. */
#ifndef MLIPEVAL_CORE_SITES_H
#define MLIPEVAL_CORE_SITES_H

#include "cell_table.h"
#include "point_grid.h"

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

// How a per-atom function finds the nearest two sites: a plain struct, usable in kernels.
struct SiteFinder {
  int use_cells;         // the sites repeat a unit cell: use its candidate table
  CellTableView cells;
  PointGridView grid;
  double r0;             // first search radius of the grid search
};

MLIPEVAL_RULES_BEGIN
MLIPEVAL_INLINE Nearest2 nearest_two_sites(const SiteFinder &f, const Box &b, const double sp[3])
{
  return f.use_cells ? nearest_in_cells(f.cells, b, sp) : nearest(f.grid, b, sp, 2, f.r0);
}
MLIPEVAL_RULES_END

// A set of sites with its search grid.
class SiteSet {
 public:
  // frac is wrapped into [0,1).  Returns the smallest nearest-image distance between two
  // distinct sites in this box (0 for duplicates); needs at least 2 sites.
  double build(std::vector<double> frac, const Box &box);
  int size() const { return (int) frac.size() / 3; }
  const std::vector<double> &fractional() const { return frac; }
  PointGridView view() const { return grid.view(); }
  // first search radius for nearest-two queries, set from the site spacing
  double search_radius() const { return r0; }

  // The sites are basis x ncell as made by replicate_cell: use the unit-cell table.
  void use_unit_cell(const std::vector<double> &basis, const int ncell[3], const Box &box);
  // Rebuild what depends on the box metric when the box has strained too far for it.
  void refresh(const Box &box);
  SiteFinder finder() const;
  // changes whenever the search structures are rebuilt (copies of them must be refreshed)
  int version() const { return generation; }
  // memory held: the positions and both search structures
  size_t bytes() const
  {
    return (frac.capacity() + cell_basis.capacity()) * sizeof(double) + grid.bytes() + table.bytes();
  }

 private:
  std::vector<double> frac;
  PointGrid grid;
  double r0 = 1.0;
  bool cells = false;
  CellTable table;
  std::vector<double> cell_basis;
  int ncell[3] = {1, 1, 1};
  int generation = 0;
};

}    // namespace mlipeval

#endif
