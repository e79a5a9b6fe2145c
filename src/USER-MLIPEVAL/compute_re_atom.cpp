/* ----------------------------------------------------------------------
   USER-MLIPEVAL: compute re/atom
   The analysis lives in core/ (no LAMMPS types); this class feeds it the owned atoms,
   sums the per-site tallies over ranks and spreads the vacancy and RE lists back.
------------------------------------------------------------------------- */

#include "compute_re_atom.h"

#include "atom.h"
#include "mlipeval_args.h"
#include "mlipeval_sites.h"
#include "comm.h"
#include "domain.h"
#include "error.h"
#include "memory.h"
#include "neighbor.h"
#include "update.h"

#include "core/site_tally.h"
#include "mlipeval_mpi.h"

#include <algorithm>
#include <cmath>

using namespace LAMMPS_NS;
using namespace mlipeval;

/* ---------------------------------------------------------------------- */

ComputeREAtom::ComputeREAtom(LAMMPS *lmp, int narg, char **arg) :
    Compute(lmp, narg, arg), site_def(lmp, "Compute re/atom"), min_separation(0.0),
    vacancy_is_local(false), nmax(0), result(nullptr), by_type(nullptr)
{
  // sites are periodic images of each other: a slab or a 2d box would need other rules
  if (domain->dimension != 3) error->all(FLERR, "Compute re/atom requires a 3d simulation");
  if (!domain->xperiodic || !domain->yperiodic || !domain->zperiodic)
    error->all(FLERR, "Compute re/atom requires a box periodic in x, y and z (boundary p p p)");

  MlipevalArgs args(lmp, "Compute re/atom", narg, arg, 3);
  while (args.more()) {
    if (args.key() == "sites")
      site_def.parse(args);
    else if (!args.take_positive("migrate", params.migrate) && !args.take_positive("vacancy", params.vacancy) &&
             !args.take_positive("near", params.near))
      args.unknown();
  }
  if (!site_def.given())
    error->all(FLERR, "Compute re/atom: the sites keyword is required (sites cell, sites lattice or sites file)");
  // build once here so that a bad site definition stops at the command that gave it (on several
  // ranks, stored sites are kept for the subdomain only until init knows how far to look)
  min_separation = site_def.build(sites, igroup, 0.0);

  peratom_flag = 1;
  size_peratom_cols = NCOLS;
  vector_flag = 1;
  size_vector = NGLOBAL;
  extvector = 0;
  vector = counts;
  for (double &c : counts) c = 0.0;
  if (sites.ntypes()) {    // sublattices: a row per type
    array_flag = 1;
    size_array_rows = sites.ntypes();
    size_array_cols = 2;
    extarray = 0;
    array = memory->create(by_type, size_array_rows, size_array_cols, "re/atom:by_type");
    std::fill(by_type[0], by_type[0] + 2 * size_array_rows, 0.0);
  }
}

/* ---------------------------------------------------------------------- */

ComputeREAtom::~ComputeREAtom()
{
  if (copymode) return;
  memory->destroy(result);
  memory->destroy(by_type);
}

Box ComputeREAtom::current_box() const
{
  return mlipeval_box(domain);
}

/* ---------------------------------------------------------------------- */

void ComputeREAtom::init()
{
  // refresh the grid and site spacing for the box of this run; stored sites on several ranks are
  // kept far enough around the subdomain to measure the covering radius and a site's nearest
  // neighbour there (each within about one site spacing in a crystal; a set that needs more gets
  // larger bounds, so more is kept below, never too little)
  const bool stored = site_def.stored() && comm->nprocs > 1;
  kept = 0.0;
  if (stored) min_separation = site_def.keep(sites, igroup, 2.0 * min_separation);
  else min_separation = sites.rebuild(current_box());
  sites.refresh(current_box());
  vacancy_is_local = params.vacancy < 0.5 * min_separation;
  // a vacancy radius beyond half the site spacing searches the sites within it (on several ranks,
  // those near the subdomain: below)
  if (!vacancy_is_local && comm->nprocs == 1) sites.need_radius_search(current_box());

  site_def.check_count(sites.size(), igroup, true);
  site_def.check_atom_types(igroup);

  // each site is decided by the rank whose subdomain holds it, from the atoms within the margin
  // (the covering radius of the sites, or the vacancy radius when larger): folded (unit-cell
  // sites on a brick of ranks, see core/site_tally.h) their owners send it their counts, else
  // it sees them as ghosts: then ask for ghosts that far
  margin = 0.0;
  if (comm->nprocs > 1) {
    const Box box = current_box();
    // the covering radius, and how far a site's nearest neighbour is: the largest over the ranks
    double bound[2] = {covering_bound(sites, box, subdomain()), neighbour_bound(sites, box, subdomain())};
    MPI_Allreduce(MPI_IN_PLACE, bound, 2, MPI_DOUBLE, MPI_MAX, world);
    const double cover = bound[0];
    margin = std::max(cover, params.vacancy);
    if (margin >= 0.5 * box.wmin)
      error->all(FLERR,
                 "Compute re/atom: atoms count for sites up to {:.3g} away, more than half the box width {:.3g}: "
                 "the box is too small for {} on more than one rank",
                 margin, box.wmin, site_def.spec());
    if (stored || comm->layout == Comm::LAYOUT_TILED)
      comm->cutghostuser = std::max(comm->cutghostuser, margin + neighbor->skin);
    if (stored || !vacancy_is_local) kept = keep_distance(margin, neighbor->skin, cover, params.vacancy, bound[1]);
    if (stored) min_separation = site_def.keep(sites, igroup, kept);
    else if (!vacancy_is_local) sites.need_radius_search(box, keep_window(subdomain(), box, kept));
  }
  // the per-atom array and the tallies now, so that LAMMPS's memory summary of the run counts them
  if (atom->nmax > nmax) {
    nmax = atom->nmax;
    grow_result();
  }
  pipeline.prepare(sites, subdomain(), current_box());
  ready = true;
}

// this rank's part of the box in box fractions; its owned atoms lie within half the skin of it
Subdomain ComputeREAtom::subdomain() const
{
  return mlipeval_subdomain(comm, margin, 0.5 * neighbor->skin);
}

// The sites a rank searches must still reach as far as its atoms need (fix balance moves the
// subdomains; an NPT box may shrink past the keep's 10 %): else they are taken anew.
void ComputeREAtom::follow_subdomain()
{
  const Box box = current_box();
  int stale = !window_covers(sites.window(), keep_window(subdomain(), box, kept / 1.1));
  MPI_Allreduce(MPI_IN_PLACE, &stale, 1, MPI_INT, MPI_MAX, world);
  if (!stale) return;
  if (site_def.stored()) min_separation = site_def.keep(sites, igroup, kept);
  else sites.need_radius_search(box, keep_window(subdomain(), box, kept));
}

// every run and rerun snapshot analyses anew
void ComputeREAtom::setup()
{
  once.reset();
}

// the per-atom array and the global counts come out of one analysis per step
void ComputeREAtom::compute_peratom()
{
  analyse_once(invoked_peratom);
}

void ComputeREAtom::compute_vector()
{
  analyse_once(invoked_vector);
}

void ComputeREAtom::compute_array()
{
  analyse_once(invoked_array);
}

/* ----------------------------------------------------------------------
   one analysis: the core's pipeline with MPI between the ranks and this
   style's two passes over the owned atoms (the Kokkos style runs them as
   kernels)
------------------------------------------------------------------------- */

void ComputeREAtom::analyse_once(bigint &invoked)
{
  invoked = update->ntimestep;
  once.run(update->ntimestep, [this] {
    if (!ready) error->all(FLERR, "Compute re/atom {} used before a run or minimize initialised it", id);
    if (atom->nmax > nmax) {
      nmax = atom->nmax;
      grow_result();
    }
    if (kept > 0.0) follow_subdomain();
    MpiComm comm(world, this->comm->procneigh);
    pipeline.run(sites, current_box(), subdomain(), *this, comm);
    if (pipeline.lost())
      error->all(FLERR,
                 "Compute re/atom {}: {} atoms lay more than half the neighbor skin outside their subdomain, too far "
                 "for their sites' counts (use neigh_modify check yes or a larger skin)",
                 id, pipeline.lost());
    pipeline.global_counts(sites.size(), counts, by_type);
  });
}

void ComputeREAtom::grow_result()
{
  memory->destroy(result);
  memory->create(result, nmax, NCOLS, "re/atom:result");
  array_atom = result;
}

void ComputeREAtom::locate(const SiteFinder &finder, const Box &b, const TallyView &t, std::vector<double> &re_frac,
                           std::vector<int> &re_type, long counts[2], const FinishSets *guess)
{
  const int nlocal = atom->nlocal;
  double **x = atom->x;
  const int *mask = atom->mask;
  const int *type = atom->type;
  const HostRows rows{result};
  for (int i = 0; i < nlocal; ++i) {
    if (!(mask[i] & groupbit)) {
      clear_row(rows, i);    // an atom of the group has every column written by the two passes
      continue;
    }
    double s[3];
    AtomResult r;
    const AtomSite a = locate_and_tally(finder, b, x[i], type[i], params, vacancy_is_local, t, PlainAdd(), s, guess, &r);
    store_site(rows, i, a);
    if (guess) store_result(rows, i, r);
    if (a.d1 > params.vacancy) counts[1]++;
    if (a.re) {
      counts[0]++;
      re_frac.insert(re_frac.end(), s, s + 3);
      re_type.push_back(type[i]);
    }
  }
}

void ComputeREAtom::ghosts(const SiteFinder &finder, const Box &b, const TallyView &t, const GhostReach &g)
{
  double **x = atom->x;
  const int *mask = atom->mask;
  for (int i = atom->nlocal; i < atom->nlocal + atom->nghost; ++i)
    if (mask[i] & groupbit) tally_ghost(finder, b, x[i], atom->type[i], params, vacancy_is_local, t, g, PlainAdd());
}

void ComputeREAtom::finish(const SparseView &vac, const SparseView &re, const Box &b)
{
  const int *mask = atom->mask;
  double **x = atom->x;
  const HostRows rows{result};
  for (int i = 0; i < atom->nlocal; ++i) {
    if (!(mask[i] & groupbit)) continue;
    // the fractional position again, the same as in the first pass: cheaper than storing it
    double s[3];
    to_frac(b, x[i], s);
    const AtomResult ar = finish_atom(stored_site(rows, i), s, vac, re, b, params.near);
    store_result(rows, i, ar);
  }
}

/* ---------------------------------------------------------------------- */

double ComputeREAtom::memory_usage()
{
  // everything this compute holds: its per-atom array, the sites and their search structures,
  // the tallies and lists of the last analysis
  return (double) nmax * NCOLS * sizeof(double) + pipeline.bytes() + sites.bytes();
}
