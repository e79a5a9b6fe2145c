/* ----------------------------------------------------------------------
   USER-MLIPEVAL: compute re/atom
   The analysis lives in core/ (no LAMMPS types); this class feeds it the owned atoms,
   sums the per-site tallies over ranks and spreads the vacancy and RE lists back.
------------------------------------------------------------------------- */

#include "compute_re_atom.h"

#include "atom.h"
#include "mlipeval_compat.h"
#include "comm.h"
#include "domain.h"
#include "error.h"
#include "group.h"
#include "lattice.h"
#include "memory.h"
#include "neighbor.h"
#include "update.h"

#include "core/site_file.h"
#include "core/site_tally.h"
#include "core/size_check.h"
#include "core/xyz_reader.h"
#include "mlipeval_mpi.h"

#include <algorithm>
#include <climits>
#include <cmath>
#include <cstring>

using namespace LAMMPS_NS;
using namespace mlipeval;

/* ---------------------------------------------------------------------- */

ComputeREAtom::ComputeREAtom(LAMMPS *lmp, int narg, char **arg) :
    Compute(lmp, narg, arg), site_mode(-1), ncell{0, 0, 0}, min_separation(0.0),
    vacancy_is_local(false), nmax(0), result(nullptr)
{
  // sites are periodic images of each other: a slab or a 2d box would need other rules
  if (domain->dimension != 3) error->all(FLERR, "Compute re/atom requires a 3d simulation");
  if (!domain->xperiodic || !domain->yperiodic || !domain->zperiodic)
    error->all(FLERR, "Compute re/atom requires a box periodic in x, y and z (boundary p p p)");

  int iarg = 3;
  while (iarg < narg) {
    const std::string key = arg[iarg];
    if (key == "sites") {
      parse_sites(narg, arg, iarg);
    } else if (key == "migrate" || key == "vacancy" || key == "near") {
      if (iarg + 1 >= narg) error->all(FLERR, "Compute re/atom: keyword {} needs a value", key);
      const double v = utils::numeric(FLERR, arg[iarg + 1], false, lmp);
      if (!(v > 0.0)) error->all(FLERR, "Compute re/atom: keyword {} value {} must be > 0", key, arg[iarg + 1]);
      if (key == "migrate") params.migrate = v;
      else if (key == "vacancy") params.vacancy = v;
      else params.near = v;
      iarg += 2;
    } else {
      error->all(FLERR, "Compute re/atom: unknown keyword '{}'", key);
    }
  }
  if (site_mode < 0)
    error->all(FLERR, "Compute re/atom: the sites keyword is required (sites cell, sites lattice or sites file)");

  // build once here so that a bad site definition stops at the command that gave it
  if (site_mode == CELL) {
    // a unit cell repeated over the box: positions generated from the index, no site arrays,
    // and the per-voxel candidate search
    std::vector<double> basis;
    lattice_basis(cell_style, basis);
    const double n = (double) ncell[0] * ncell[1] * ncell[2] * (basis.size() / 3);
    if (n < 2) error->all(FLERR, "Compute re/atom: the site definition gives fewer than 2 sites");
    check_site_count(n, false);
    // the named lattices have cubic cells: NX NY NZ in the wrong order still give the right count
    const double aspect = cell_aspect(current_box(), ncell);
    if (aspect > 1.5)
      error->all(FLERR,
                 "Compute re/atom: {} cuts the box into cells whose edges differ by a factor {:.3g}; {} cells "
                 "are cubic: check NX NY NZ",
                 site_spec, aspect, cell_style);
    if (aspect > 1.05 && comm->me == 0)
      error->warning(FLERR, "Compute re/atom: {} gives cells whose edges differ by a factor {:.3g} (a strained "
                     "{} crystal?)", site_spec, aspect, cell_style);
    min_separation = sites.build_cells(basis, ncell, current_box());
  } else {
    std::vector<double> positions = site_positions();
    if (positions.size() < 6) error->all(FLERR, "Compute re/atom: the site definition gives fewer than 2 sites");
    min_separation = sites.build(std::move(positions), current_box());
  }
  if (min_separation <= 1e-6)
    error->all(FLERR, "Compute re/atom: two sites coincide; the site definition has duplicates");

  peratom_flag = 1;
  size_peratom_cols = NCOLS;
  vector_flag = 1;
  size_vector = NGLOBAL;
  extvector = 0;
  vector = counts;
  for (double &c : counts) c = 0.0;
}

/* ---------------------------------------------------------------------- */

ComputeREAtom::~ComputeREAtom()
{
  if (copymode) return;
  memory->destroy(result);
}

/* ---------------------------------------------------------------------- */

void ComputeREAtom::parse_sites(int narg, char **arg, int &iarg)
{
  if (iarg + 1 >= narg) error->all(FLERR, "Compute re/atom: keyword sites needs a value");
  const std::string how = arg[iarg + 1];
  if (how == "cell") {
    if (iarg + 5 >= narg)
      error->all(FLERR, "Compute re/atom: sites cell needs a lattice name and NX NY NZ");
    cell_style = arg[iarg + 2];
    std::vector<double> basis;
    if (!lattice_basis(cell_style, basis))
      error->all(FLERR, "Compute re/atom: sites cell lattice '{}' is unknown (use sc, bcc, fcc or diamond)",
                 cell_style);
    const char *names[3] = {"NX", "NY", "NZ"};
    for (int d = 0; d < 3; ++d) {
      ncell[d] = utils::inumeric(FLERR, arg[iarg + 3 + d], false, lmp);
      if (ncell[d] <= 0)
        error->all(FLERR, "Compute re/atom: sites cell {} value {} must be a positive integer", names[d],
                   arg[iarg + 3 + d]);
    }
    site_mode = CELL;
    site_spec = fmt::format("sites cell {} {} {} {}", cell_style, ncell[0], ncell[1], ncell[2]);
    iarg += 6;
  } else if (how == "lattice") {
    site_mode = LATTICE;
    site_spec = "sites lattice";
    iarg += 2;
  } else if (how == "file") {
    if (iarg + 2 >= narg) error->all(FLERR, "Compute re/atom: sites file needs a file name");
    site_file = arg[iarg + 2];
    site_mode = FILE;
    site_spec = "sites file " + site_file;
    iarg += 3;
  } else {
    error->all(FLERR, "Compute re/atom: sites value '{}' is unknown (use cell, lattice or file)", how);
  }
}

/* ---------------------------------------------------------------------- */

Box ComputeREAtom::current_box() const
{
  const double *h = domain->h;    // xprd yprd zprd yz xz xy
  if (domain->triclinic) return make_box(domain->boxlo, h[0], h[1], h[2], h[5], h[4], h[3]);
  return make_box(domain->boxlo, domain->xprd, domain->yprd, domain->zprd, 0.0, 0.0, 0.0);
}

/* ----------------------------------------------------------------------
   site positions in fractional box coordinates: they follow box changes
------------------------------------------------------------------------- */

std::vector<double> ComputeREAtom::site_positions()
{
  if (site_mode == LATTICE) return lattice_sites();
  return file_sites();
}

std::vector<double> ComputeREAtom::lattice_sites()
{
  Lattice *lat = domain->lattice;
  if (!lat || lat->style == Lattice::NONE)
    error->all(FLERR, "Compute re/atom: sites lattice needs a lattice command first");
  if (mlipeval_compat::general_triclinic(domain))
    error->all(FLERR, "Compute re/atom: sites lattice does not support general triclinic boxes; use sites cell");

  LatticeFrame frame;
  for (int m = 0; m < lat->nbasis; ++m) frame.basis.insert(frame.basis.end(), lat->basis[m], lat->basis[m] + 3);
  frame.to_box = [lat](double x[3]) { lat->lattice2box(x[0], x[1], x[2]); };
  frame.to_lattice = [lat](double x[3]) { lat->box2lattice(x[0], x[1], x[2]); };
  std::vector<double> frac;
  try {
    frac = mlipeval::lattice_sites(frame, current_box(), [this](double n) { check_site_count(n, false); });
  } catch (std::runtime_error &e) {
    error->all(FLERR, "Compute re/atom: {}", e.what());
  }
  return frac;
}

std::vector<double> ComputeREAtom::file_sites()
{
  try {
    return read_site_file(site_file, current_box());
  } catch (XyzError &e) {
    error->all(FLERR, "Compute re/atom: {}", e.what());
  }
  return {};
}

/* ---------------------------------------------------------------------- */

void ComputeREAtom::init()
{
  // refresh the grid and site spacing for the box of this run
  min_separation = sites.rebuild(current_box());
  sites.refresh(current_box());
  vacancy_is_local = params.vacancy < 0.5 * min_separation;
  // a vacancy radius beyond half the site spacing searches the sites within it
  if (!vacancy_is_local) sites.need_radius_search(current_box());

  check_site_count(sites.size(), true);

  // each site is decided by the rank whose subdomain holds it, from the atoms within the margin
  // (the covering radius of the sites, or the vacancy radius when larger): ask for ghosts that far
  margin = 0.0;
  if (comm->nprocs > 1) {
    const Box box = current_box();
    const double mine = covering_bound(sites, box, subdomain());
    MPI_Allreduce(&mine, &margin, 1, MPI_DOUBLE, MPI_MAX, world);
    margin = std::max(margin, params.vacancy);
    if (margin >= 0.5 * box.wmin)
      error->all(FLERR,
                 "Compute re/atom: atoms count for sites up to {:.3g} away, more than half the box width {:.3g}: "
                 "the box is too small for {} on more than one rank",
                 margin, box.wmin, site_spec);
    comm->cutghostuser = std::max(comm->cutghostuser, margin + neighbor->skin);
  }
  ready = true;
}

// this rank's part of the box in box fractions, as LAMMPS's Domain::set_lamda_box takes it
Subdomain ComputeREAtom::subdomain() const
{
  Subdomain sub;
  sub.whole = comm->nprocs == 1;
  const double *split[3] = {comm->xsplit, comm->ysplit, comm->zsplit};
  for (int d = 0; d < 3; ++d) {
    const bool tiled = comm->layout == Comm::LAYOUT_TILED;
    sub.lo[d] = tiled ? comm->mysplit[d][0] : split[d][comm->myloc[d]];
    sub.hi[d] = tiled ? comm->mysplit[d][1] : split[d][comm->myloc[d] + 1];
  }
  sub.margin = margin;
  return sub;
}

/* ----------------------------------------------------------------------
   a site count is checked before the sites are made: against the index range
   and this node's memory and, once the group has atoms, against the atoms it is
   meant to hold (a wrong NX NY NZ is the usual slip)
------------------------------------------------------------------------- */

void ComputeREAtom::check_site_count(double n, bool at_init)
{
  // position, tallies and a share of the search structures: about 64 bytes per site
  const std::string big = too_big(64.0 * n, n, INT_MAX);
  if (!big.empty()) error->all(FLERR, "Compute re/atom: {} {}", site_spec, big);
  const bigint natoms = group->count(igroup);
  const double ratio = n / (double) (natoms > 0 ? natoms : 1);
  if (natoms > 0 && (ratio < 0.75 || ratio > 4.0 / 3.0))
    error->all(FLERR,
               "Compute re/atom: {:.0f} sites for {} atoms in group {}: the site count does not fit the box "
               "(check {})",
               n, natoms, group->names[igroup], site_spec);
  if (natoms == 0 && at_init && comm->me == 0)
    error->warning(FLERR, "Compute re/atom: group {} has no atoms; every site will count as vacant",
                   group->names[igroup]);
}

/* ---------------------------------------------------------------------- */

void ComputeREAtom::setup()
{
  once.reset();
}

// the per-atom array and the global counts come out of one analysis per step
void ComputeREAtom::compute_peratom()
{
  invoked_peratom = update->ntimestep;
  once.run(update->ntimestep, [this] { analyse(); });
}

void ComputeREAtom::compute_vector()
{
  invoked_vector = update->ntimestep;
  once.run(update->ntimestep, [this] { analyse(); });
}

/* ----------------------------------------------------------------------
   one analysis: the core's pipeline with MPI between the ranks and this
   style's two passes over the owned atoms (the Kokkos style runs them as
   kernels)
------------------------------------------------------------------------- */

void ComputeREAtom::analyse()
{
  if (!ready) error->all(FLERR, "Compute re/atom {} used before a run or minimize initialised it", id);
  if (atom->nmax > nmax) {
    nmax = atom->nmax;
    grow_result();
  }
  MpiComm comm(world);
  pipeline.run(sites, current_box(), subdomain(), *this, comm);
  set_counts();
}

void ComputeREAtom::grow_result()
{
  memory->destroy(result);
  memory->create(result, nmax, NCOLS, "re/atom:result");
  array_atom = result;
}

void ComputeREAtom::locate(const SiteFinder &finder, const Box &b, const TallyView &t, std::vector<double> &re_frac,
                           long counts[2])
{
  const int nlocal = atom->nlocal;
  double **x = atom->x;
  const int *mask = atom->mask;
  frac_local.resize(3 * (size_t) nlocal);
  const HostRows rows{result};
  for (int i = 0; i < nlocal; ++i) {
    clear_row(rows, i);
    if (!(mask[i] & groupbit)) continue;
    double *s = &frac_local[3 * i];
    const AtomSite a = locate_and_tally(finder, b, x[i], params, vacancy_is_local, t, PlainAdd(), s);
    store_site(rows, i, a);
    if (a.d1 > params.vacancy) counts[1]++;
    if (a.re) {
      counts[0]++;
      re_frac.insert(re_frac.end(), s, s + 3);
    }
  }
}

void ComputeREAtom::ghosts(const SiteFinder &finder, const Box &b, const TallyView &t, const double reach[3])
{
  double **x = atom->x;
  const int *mask = atom->mask;
  for (int i = atom->nlocal; i < atom->nlocal + atom->nghost; ++i)
    if (mask[i] & groupbit) tally_ghost(finder, b, x[i], params, vacancy_is_local, t, reach, PlainAdd());
}

void ComputeREAtom::finish(const SparseView &vac, const SparseView &re, const Box &b)
{
  const int *mask = atom->mask;
  const HostRows rows{result};
  for (int i = 0; i < atom->nlocal; ++i) {
    if (!(mask[i] & groupbit)) continue;
    const AtomResult ar = finish_atom(stored_site(rows, i), &frac_local[3 * i], vac, re, b, params.near);
    store_result(rows, i, ar);
  }
}

// the global vector: RE atoms, vacancies, far atoms (all ranks), then the site counts
void ComputeREAtom::set_counts()
{
  const SiteCounts &sc = pipeline.site_counts();
  counts[0] = pipeline.n_re();
  counts[1] = sc.vacancies;
  counts[2] = pipeline.n_far();
  counts[3] = sc.ws_vacancies;
  counts[4] = sc.ws_interstitials;
  counts[5] = sites.size();
}

/* ---------------------------------------------------------------------- */

double ComputeREAtom::memory_usage()
{
  // everything this compute holds: its per-atom array, the sites and their search structures,
  // the tallies and lists of the last analysis
  return (double) nmax * NCOLS * sizeof(double) + frac_local.capacity() * sizeof(double) + pipeline.bytes() +
      sites.bytes();
}
