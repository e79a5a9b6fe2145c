/* -*- c++ -*- ----------------------------------------------------------
   USER-MLIPEVAL: the sites keyword of compute re/atom (sites cell, sites lattice, sites file):
   its syntax, its checks and the SiteSet it builds, with LAMMPS's lattice, box and group.
   fix vacancy/track passes the same keyword on to the compute it makes and asks here how many
   values it takes.
------------------------------------------------------------------------- */

#ifndef LMP_MLIPEVAL_SITES_H
#define LMP_MLIPEVAL_SITES_H

#include "pointers.h"

#include "core/sites.h"

#include <string>
#include <vector>

namespace LAMMPS_NS {

class MlipevalArgs;

class MlipevalSites : protected Pointers {
 public:
  MlipevalSites(LAMMPS *lmp, const std::string &who) : Pointers(lmp), who(who) {}
  // the number of values after "sites" for its first value how (cell, lattice, file)
  static int nvalues(const std::string &how) { return how == "cell" ? 5 : (how == "file" ? 2 : 1); }
  // args is at the sites keyword: read its values and step past them
  void parse(MlipevalArgs &args);
  bool given() const { return mode >= 0; }
  const std::string &spec() const { return text; }    // the keyword as given, for messages
  // Build the sites in the current box for the atoms of group igroup; returns the smallest
  // separation of two sites.  Any bad definition is an ERROR that names it.
  double build(mlipeval::SiteSet &sites, int igroup);
  // n sites against the index range, this node's memory and the atoms of group igroup
  void check_count(double n, int igroup, bool at_init);

 private:
  enum { CELL, LATTICE, FILE };
  std::string who;
  int mode = -1;
  std::string cell_style, file, text;
  int ncell[3] = {0, 0, 0};
  std::vector<double> lattice_positions(mlipeval::SiteSet &sites, int igroup, double *dmin);
  std::vector<double> file_positions(const mlipeval::Box &box);
};

// The current box of the simulation as the core takes it.
mlipeval::Box mlipeval_box(const class Domain *domain);

}    // namespace LAMMPS_NS

#endif
