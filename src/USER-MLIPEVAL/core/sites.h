/* USER-MLIPEVAL: static sites (perfect-crystal positions) in fractional box coordinates. */
#ifndef MLIPEVAL_CORE_SITES_H
#define MLIPEVAL_CORE_SITES_H

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

 private:
  std::vector<double> frac;
  PointGrid grid;
  double r0 = 1.0;
};

}    // namespace mlipeval

#endif
