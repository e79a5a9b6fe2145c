/* -*- c++ -*- ----------------------------------------------------------
   USER-MLIPEVAL: the sites keyword of compute re/atom (sites cell, sites lattice, sites file):
   its syntax, its checks and the SiteSet it builds, with LAMMPS's lattice, box and group.
   fix vacancy/track passes the same keyword on to the compute it makes and asks here how many
   values it takes.
------------------------------------------------------------------------- */

#ifndef LMP_MLIPEVAL_SITES_H
#define LMP_MLIPEVAL_SITES_H

#include "pointers.h"

#include "core/site_tally.h"

#include <functional>
#include <string>
#include <vector>

namespace LAMMPS_NS {

class MlipevalArgs;

class MlipevalSites : protected Pointers {
 public:
  MlipevalSites(LAMMPS *lmp, const std::string &who) : Pointers(lmp), who(who) {}
  // the number of values after "sites" for its first value how (cell, lattice, file)
  static int nvalues(const std::string &how) { return how == "cell" ? 5 : (how == "file" ? 2 : 1); }
  // args is at the sites keyword: read its values and step past them, and past a types keyword
  // that follows sites cell or sites lattice or an elements keyword that follows sites file
  void parse(MlipevalArgs &args);
  // the atom type of each basis site (sites cell, sites lattice ... types t1 ... tn), or 1 .. n for
  // the n names of sites file ... elements; empty without sublattices
  const std::vector<int> &types() const { return basis_types; }
  // the values of a types keyword (integers) or an elements keyword (names that start with a
  // capital letter) at args, up to the next other word: how many
  static int list_values(const MlipevalArgs &args);
  bool given() const { return mode >= 0; }
  const std::string &spec() const { return text; }    // the keyword as given, for messages
  // Build the sites in the current box for the atoms of group igroup; returns the smallest
  // separation of two sites.  Any bad definition is an ERROR that names it.  On more than one
  // rank, stored positions (sites file; a lattice that is not its unit cell repeated) are read
  // or made on rank 0 and each rank keeps those within `keep` (Angstrom) of its subdomain.
  double build(mlipeval::SiteSet &sites, int igroup, double keep);
  // whether the sites are stored positions, kept by part on more than one rank
  bool stored() const { return mode == FILE || stored_lattice; }
  // Stored sites on several ranks, for the box of a new run: each rank keeps those within
  // `keep` of its subdomain, made anew when the ones it holds do not reach that far (else only
  // their search is rebuilt).  Returns the smallest separation of two sites.
  double keep(mlipeval::SiteSet &sites, int igroup, double keep);
  // n sites against the index range, this node's memory and the atoms of group igroup
  void check_count(double n, int igroup, bool at_init);
  // with types: a WARNING when atoms of group igroup have a type that no site has
  void check_atom_types(int igroup);

 private:
  enum { CELL, LATTICE, FILE };
  std::string who;
  int mode = -1;
  std::string cell_style, file, text;
  std::vector<int> basis_types;
  std::vector<std::string> elements;    // sites file: the species of types 1, 2, ...
  void check_types(int nbasis) const;
  int ncell[3] = {0, 0, 0};
  bool stored_lattice = false;
  static constexpr int kBlock = 8192;    // sites per broadcast, as read_dump sends atoms
  using Emit = mlipeval::SiteEmit;    // positions, types, first, count, count of all
  void lattice_sites(mlipeval::SiteSet &sites, int igroup, double keep, double *dmin);
  double deal(mlipeval::SiteSet &sites, int igroup, double keep, const std::function<long(const Emit &)> &make);
  double separation(mlipeval::SiteSet &sites, double mine);
};

// The current box of the simulation as the core takes it.
mlipeval::Box mlipeval_box(const class Domain *domain);
// This rank's part of the box in box fractions, as LAMMPS's Domain::set_lamda_box takes it;
// margin and drift in Angstrom (mlipeval::Subdomain).
mlipeval::Subdomain mlipeval_subdomain(const class Comm *comm, double margin, double drift = 0.0);

}    // namespace LAMMPS_NS

#endif
