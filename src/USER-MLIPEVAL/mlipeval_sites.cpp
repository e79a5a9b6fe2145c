/* ----------------------------------------------------------------------
   USER-MLIPEVAL: the sites keyword of compute re/atom
------------------------------------------------------------------------- */

#include "mlipeval_sites.h"

#include "atom.h"
#include "comm.h"
#include "domain.h"
#include "error.h"
#include "group.h"
#include "lattice.h"
#include "mlipeval_args.h"
#include "mlipeval_compat.h"
#include "mlipeval_mpi.h"

#include "core/site_file.h"
#include "core/size_check.h"
#include "core/xyz_reader.h"

#include <algorithm>
#include <climits>
#include <cmath>
#include <cstdio>

using namespace LAMMPS_NS;
using namespace mlipeval;

mlipeval::Box LAMMPS_NS::mlipeval_box(const Domain *domain)
{
  const double *h = domain->h;    // xprd yprd zprd yz xz xy
  if (domain->triclinic) return make_box(domain->boxlo, h[0], h[1], h[2], h[5], h[4], h[3]);
  return make_box(domain->boxlo, domain->xprd, domain->yprd, domain->zprd, 0.0, 0.0, 0.0);
}

Subdomain LAMMPS_NS::mlipeval_subdomain(const Comm *comm, double margin, double drift)
{
  Subdomain sub;
  sub.whole = comm->nprocs == 1;
  const double *split[3] = {comm->xsplit, comm->ysplit, comm->zsplit};
  const bool tiled = comm->layout == Comm::LAYOUT_TILED;
  sub.brick = tiled ? 0 : 1;
  for (int d = 0; d < 3; ++d) {
    sub.lo[d] = tiled ? comm->mysplit[d][0] : split[d][comm->myloc[d]];
    sub.hi[d] = tiled ? comm->mysplit[d][1] : split[d][comm->myloc[d] + 1];
    for (int k = 0; !tiled && k < comm->procgrid[d]; ++k) sub.wmin[d] = std::min(sub.wmin[d], split[d][k + 1] - split[d][k]);
  }
  sub.margin = margin;
  sub.drift = drift;
  return sub;
}

void MlipevalSites::parse(MlipevalArgs &args)
{
  args.need(1);
  switch (args.choice({"cell", "lattice", "file"})) {
    case CELL: {
      args.need(5);
      cell_style = args.value(2);
      std::vector<double> basis;
      if (!lattice_basis(cell_style, basis))
        error->all(FLERR, "{}: sites cell lattice '{}' is unknown (use sc, bcc, fcc or diamond)", who, cell_style);
      const char *names[3] = {"NX", "NY", "NZ"};
      for (int d = 0; d < 3; ++d) {
        ncell[d] = utils::inumeric(FLERR, args.value(3 + d), false, lmp);
        if (ncell[d] <= 0)
          error->all(FLERR, "{}: sites cell {} value {} must be a positive integer", who, names[d], args.value(3 + d));
      }
      mode = CELL;
      text = fmt::format("sites cell {} {} {} {}", cell_style, ncell[0], ncell[1], ncell[2]);
      break;
    }
    case LATTICE:
      mode = LATTICE;
      text = "sites lattice";
      break;
    default:
      args.need(2);
      file = args.value(2);
      mode = FILE;
      text = "sites file " + file;
  }
  args.next(nvalues(args.value()));
  if (args.more() && args.key() == "types") {
    if (mode == FILE) error->all(FLERR, "{}: keyword types goes with sites cell or sites lattice, not sites file", who);
    const int n = list_values(args);
    if (n == 0) error->all(FLERR, "{}: keyword types needs the atom type of each basis site", who);
    for (int k = 1; k <= n; ++k) {
      const int t = utils::inumeric(FLERR, args.value(k), false, lmp);
      if (t < 1) error->all(FLERR, "{}: types value {} must be a positive atom type", who, args.value(k));
      basis_types.push_back(t);
    }
    text += " types";
    for (int t : basis_types) text += " " + std::to_string(t);
    args.next(n);
  } else if (args.more() && args.key() == "elements") {
    if (mode != FILE)
      error->all(FLERR, "{}: keyword elements goes with sites file, not sites {} (which takes types)", who,
                 mode == CELL ? "cell" : "lattice");
    const int n = list_values(args);
    if (n == 0)
      error->all(FLERR, "{}: keyword elements needs the file's species for atom types 1, 2, ... (element names such as Si C)", who);
    text += " elements";
    for (int k = 1; k <= n; ++k) {
      if (std::find(elements.begin(), elements.end(), args.value(k)) != elements.end())
        error->all(FLERR, "{}: elements value {} is given twice", who, args.value(k));
      elements.emplace_back(args.value(k));
      basis_types.push_back(k);
      text += std::string(" ") + args.value(k);
    }
    args.next(n);
  }
}

int MlipevalSites::list_values(const MlipevalArgs &args)
{
  // types: integers; elements: names that start with a capital letter (no keyword does)
  const bool types = args.key() == "types";
  auto value = [&](const char *v) { return types ? utils::is_integer(v) : (v[0] >= 'A' && v[0] <= 'Z'); };
  int n = 0;
  while (args.pos() + n + 1 < args.count() && value(args.value(n + 1))) ++n;
  return n;
}

// types names one atom type per basis site, each a type of this system
void MlipevalSites::check_types(int nbasis) const
{
  if (basis_types.empty()) return;
  if ((int) basis_types.size() != nbasis)
    error->all(FLERR, "{}: types gives {} atom types for the {} basis sites of {}", who, basis_types.size(), nbasis,
               mode == CELL ? "lattice " + cell_style : std::string("the lattice command"));
  for (int t : basis_types)
    if (t > atom->ntypes)
      error->all(FLERR, "{}: types value {} is above the {} atom types of this system", who, t, atom->ntypes);
}

double MlipevalSites::build(SiteSet &sites, int igroup, double keep)
{
  const Box box = mlipeval_box(domain);
  double dmin = 0.0;
  if (mode == CELL) {
    // a unit cell repeated over the box: positions generated from the index, no site arrays,
    // and the per-voxel candidate search
    std::vector<double> basis;
    lattice_basis(cell_style, basis);
    const double n = (double) ncell[0] * ncell[1] * ncell[2] * (basis.size() / 3);
    if (n < 2) error->all(FLERR, "{}: the site definition gives fewer than 2 sites", who);
    check_count(n, igroup, false);
    // the named lattices have cubic cells: NX NY NZ in the wrong order still give the right count
    const double aspect = cell_aspect(box, ncell);
    if (aspect > 1.5)
      error->all(FLERR,
                 "{}: {} cuts the box into cells whose edges differ by a factor {:.3g}; {} cells are cubic: "
                 "check NX NY NZ",
                 who, text, aspect, cell_style);
    if (aspect > 1.05 && comm->me == 0)
      error->warning(FLERR, "{}: {} gives cells whose edges differ by a factor {:.3g} (a strained {} crystal?)", who,
                     text, aspect, cell_style);
    check_types((int) basis.size() / 3);
    dmin = sites.build_cells(basis, ncell, box, basis_types);
  } else if (mode == FILE) {
    if ((int) elements.size() > atom->ntypes)
      error->all(FLERR, "{}: elements gives {} names for the {} atom types of this system", who, elements.size(),
                 atom->ntypes);
    // rank 0 reads the file block by block, as LAMMPS reads its inputs
    dmin = deal(sites, igroup, keep, [&](const Emit &emit) { return read_site_file(file, box, kBlock, emit, elements); });
  } else {
    lattice_sites(sites, igroup, keep, &dmin);
  }
  if (dmin <= 1e-6) error->all(FLERR, "{}: two sites coincide; the site definition has duplicates", who);
  return dmin;
}

double MlipevalSites::keep(SiteSet &sites, int igroup, double distance)
{
  const Box box = mlipeval_box(domain);
  // made anew on every rank when one rank's do not reach (the making is collective)
  int stale = !window_covers(sites.window(), keep_window(mlipeval_subdomain(comm, 0.0), box, distance));
  MPI_Allreduce(MPI_IN_PLACE, &stale, 1, MPI_INT, MPI_MAX, world);
  if (stale) return build(sites, igroup, distance);
  return separation(sites, sites.rebuild(box));
}

// The smallest separation of sites kept by part: the smallest any rank sees between two it keeps.
double MlipevalSites::separation(SiteSet &sites, double mine)
{
  double dmin = 0.0;
  MPI_Allreduce(&mine, &dmin, 1, MPI_DOUBLE, MPI_MIN, world);
  sites.set_separation(dmin);
  return dmin;
}

// Stored positions made on rank 0 by `make`, which hands them to its emit in blocks and returns
// their count, or throws XyzError or std::runtime_error with the message of an ERROR.  Each block
// is broadcast (first its size and the count of all; a size of 0 ends, -1 is an error whose
// message follows) and every rank keeps the sites of its window, so that no rank holds them all;
// on one rank that is all of them.  Each rank sets aside room for its share of the count the
// source states with its first block.  Returns the smallest separation (separation()).
double MlipevalSites::deal(SiteSet &sites, int igroup, double keep, const std::function<long(const Emit &)> &make)
{
  const Box box = mlipeval_box(domain);
  const bool one = comm->nprocs == 1;
  const GridWindow w = one ? GridWindow() : keep_window(mlipeval_subdomain(comm, 0.0), box, keep);
  const int ntypes = basis_types.empty() ? 0 : *std::max_element(basis_types.begin(), basis_types.end());
  sites.release();    // the sites held so far go before these are made: never both at once
  std::vector<double> kept;
  std::vector<int> ids, types;
  // room for this rank's share at once (growing by doubling would briefly hold up to three times
  // as much); at most a few hundred MB for a count that no file holds
  auto set_aside = [&](long expect) {
    double share = std::min(std::max((double) expect, 0.0), 1e7);
    for (int d = 0; d < 3; ++d) share *= w.open[d] ? w.span[d] : 1.0;
    const size_t room = (size_t) (1.02 * share) + 64;
    kept.reserve(3 * room);
    if (!one) ids.reserve(room);
    if (ntypes) types.reserve(room);
  };
  auto take = [&](const double *f, const int *t, long first, long n) {
    for (long k = 0; k < n; ++k) {
      double s[3];
      for (int d = 0; d < 3; ++d) s[d] = wrap01(f[3 * k + d]);
      if (!window_holds(w, s)) continue;
      kept.insert(kept.end(), s, s + 3);
      if (!one) ids.push_back((int) (first + k));
      if (ntypes) types.push_back(t[k]);
    }
  };
  long total = 0;
  std::string msg;
  if (comm->me == 0) {
    try {
      total = make([&](const double *f, const int *t, long first, int n, long all) {
        long head[2] = {n, all};    // the block's size, and the count of all
        if (first == 0) set_aside(all);
        if (!one) {
          MPI_Bcast(head, 2, MPI_LONG, 0, world);
          MPI_Bcast(const_cast<double *>(f), 3 * n, MPI_DOUBLE, 0, world);
          if (ntypes) MPI_Bcast(const_cast<int *>(t), n, MPI_INT, 0, world);
        }
        take(f, t, first, n);
      });
    } catch (std::runtime_error &e) {
      msg = e.what();
      if (msg.empty()) msg = "cannot make the sites";
    }
    long end[2] = {msg.empty() ? 0L : -1L, 0};
    if (!one) MPI_Bcast(end, 2, MPI_LONG, 0, world);
  } else {
    std::vector<double> block;
    std::vector<int> tblock;
    for (long head[2]; MPI_Bcast(head, 2, MPI_LONG, 0, world), head[0] > 0; total += head[0]) {
      const long m = head[0];
      if (total == 0) set_aside(head[1]);
      block.resize(3 * m);
      MPI_Bcast(block.data(), (int) (3 * m), MPI_DOUBLE, 0, world);
      if (ntypes) {
        tblock.resize(m);
        MPI_Bcast(tblock.data(), (int) m, MPI_INT, 0, world);
      }
      take(block.data(), tblock.data(), total, m);
    }
  }
  msg = bcast_message(msg, world);
  if (!msg.empty()) error->all(FLERR, "{}: {}", who, msg);
  MPI_Bcast(&total, 1, MPI_LONG, 0, world);
  if (total < 2) error->all(FLERR, "{}: the site definition gives fewer than 2 sites", who);
  check_count((double) total, igroup, false);
  if (one) return sites.build(std::move(kept), box, std::move(types), ntypes);
  return separation(sites, sites.build_kept(std::move(kept), std::move(ids), (int) total, w, box, std::move(types), ntypes));
}

// sites lattice: every site of LAMMPS's lattice in the box.  A lattice that is its unit cell
// repeated along the box edges from the box origin (the usual lattice, region and create_atoms)
// is built into `sites` as sites cell is, with the same numbering and no stored positions;
// otherwise rank 0 makes the positions block by block and deals them (no rank holds them all).  *dmin: the smallest separation.
void MlipevalSites::lattice_sites(SiteSet &sites, int igroup, double keep, double *dmin)
{
  Lattice *lat = domain->lattice;
  if (!lat || lat->style == Lattice::NONE) error->all(FLERR, "{}: sites lattice needs a lattice command first", who);
  if (mlipeval_compat::general_triclinic(domain))
    error->all(FLERR, "{}: sites lattice does not support general triclinic boxes; use sites cell", who);
  LatticeFrame frame;
  for (int m = 0; m < lat->nbasis; ++m) frame.basis.insert(frame.basis.end(), lat->basis[m], lat->basis[m] + 3);
  frame.to_box = [lat](double x[3]) { lat->lattice2box(x[0], x[1], x[2]); };
  frame.to_lattice = [lat](double x[3]) { lat->box2lattice(x[0], x[1], x[2]); };
  const Box box = mlipeval_box(domain);
  long whole[3][3];
  int n[3];
  stored_lattice = false;
  try {
    lattice_edges(frame, box, whole);
  } catch (std::runtime_error &e) {
    error->all(FLERR, "{}: {}", who, e.what());
  }
  check_types(lat->nbasis);
  const double count = lattice_site_count(lat->nbasis, whole);
  if (lattice_as_cells(frame, box, whole, n)) {
    if (count < 2) error->all(FLERR, "{}: the site definition gives fewer than 2 sites", who);
    check_count(count, igroup, false);
    *dmin = sites.build_cells(frame.basis, n, box, basis_types);
    return;
  }
  stored_lattice = true;
  // the count is checked on every rank before any site is made; rank 0 makes them
  check_count(count, igroup, false);
  *dmin = deal(sites, igroup, keep, [&](const Emit &emit) {
    return mlipeval::lattice_sites(frame, box, [](double) {}, kBlock, emit, basis_types);
  });
}

/* ----------------------------------------------------------------------
   a site count is checked before the sites are made: against the index range
   and this node's memory and, once the group has atoms, against the atoms it is
   meant to hold (a wrong NX NY NZ is the usual slip)
------------------------------------------------------------------------- */

void MlipevalSites::check_count(double n, int igroup, bool at_init)
{
  // position, tallies and a share of the search structures: about 64 bytes per site
  const std::string big = too_big(64.0 * n, n, INT_MAX);
  if (!big.empty()) error->all(FLERR, "{}: {} {}", who, text, big);
  const bigint natoms = group->count(igroup);
  const double ratio = n / (double) (natoms > 0 ? natoms : 1);
  if (natoms > 0 && (ratio < 0.75 || ratio > 4.0 / 3.0))
    error->all(FLERR, "{}: {:.0f} sites for {} atoms in group {}: the site count does not fit the box (check {})",
               who, n, natoms, group->names[igroup], text);
  if (natoms == 0 && at_init && comm->me == 0)
    error->warning(FLERR, "{}: group {} has no atoms; every site will count as vacant", who, group->names[igroup]);
}

void MlipevalSites::check_atom_types(int igroup)
{
  if (basis_types.empty()) return;
  const int bit = group->bitmask[igroup];
  int mine = 0, worst = 0;    // the lowest type without sites that an atom of the group has
  for (int i = 0; i < atom->nlocal; ++i)
    if ((atom->mask[i] & bit) && std::find(basis_types.begin(), basis_types.end(), atom->type[i]) == basis_types.end())
      mine = mine ? std::min(mine, atom->type[i]) : atom->type[i];
  mine = mine ? mine : INT_MAX;
  MPI_Allreduce(&mine, &worst, 1, MPI_INT, MPI_MIN, world);
  if (worst != INT_MAX && comm->me == 0)
    error->warning(FLERR, "{}: atoms of type {} in group {} have no sites in {}; they count as far from every site",
                   who, worst, group->names[igroup], text);
}
