/* ----------------------------------------------------------------------
   USER-MLIPEVAL: compute re/atom/kk
------------------------------------------------------------------------- */

#include "compute_re_atom_kokkos.h"

#include "atom_kokkos.h"
#include "atom_masks.h"
#include "error.h"
#include "memory_kokkos.h"
#include "update.h"

#include "core/re_analysis.h"
#include "mlipeval_mpi.h"

using namespace LAMMPS_NS;
using namespace mlipeval;
using namespace mlipeval_kk;

namespace {

// first pass: nearest sites, RE flag, per-site tallies; counts the atoms far from every site
template <class DeviceType> struct LocateAtoms {
  typedef int value_type;
  typename ArrayTypes<DeviceType>::t_x_array_randomread x;
  typename ArrayTypes<DeviceType>::t_int_1d_randomread mask, type;
  ViewIn<tdual_double_2d, DeviceType> result;
  View3<DeviceType> frac, re_frac;
  View1<int, DeviceType> nre;    // RE atoms packed into re_frac so far
  View1<int, DeviceType> re_type;    // and their atom types
  TallyView tally;               // this rank's sites, in DeviceType's memory
  SiteFinder finder;
  Box box;
  ReParams p;
  int local, groupbit;
  int guess;            // also finish each atom against `last` (the last call's sets)
  FinishSets last;

  int nlocal, chunk;    // atoms per work item: many on the host, one on GPUs
  int direct;           // one thread: plain adds, no atomics

  // One work item: atoms [k chunk, (k+1) chunk)
  KOKKOS_INLINE_FUNCTION void operator()(const int k, int &nfar) const
  {
    if (direct) locate(k, nfar, PlainAdd());
    else locate(k, nfar, AtomicAdd());
  }

  template <class Add> KOKKOS_INLINE_FUNCTION void locate(const int k, int &nfar, const Add &add) const
  {
    // local copies: the compiler need not reload them after every store through a view
    const Box b = box;
    const SiteFinder f = finder;
    const ReParams pp = p;
    const TallyView t = tally;
    const int end = (k + 1) * chunk < nlocal ? (k + 1) * chunk : nlocal;
    int far = 0;    // a local count: the tally stores (ints) could otherwise alias nfar
    for (int i = k * chunk; i < end; ++i) {
      if (!(mask[i] & groupbit)) {
        clear_row(result, i);    // an atom of the group has every column written by the two passes
        continue;
      }
      const double xi[3] = {x(i, 0), x(i, 1), x(i, 2)};
      double s[3];
      // (written and read only with a guess; zeroed so that GCC does not warn that it may be read
      // unset, which it cannot tell here)
      AtomResult r = AtomResult();
      const AtomSite a = locate_and_tally(f, b, xi, type[i], pp, local, t, add, s, guess ? &last : nullptr, &r);
      for (int d = 0; d < 3; ++d) frac(i, d) = s[d];
      store_site(result, i, a);
      if (guess) store_result(result, i, r);
      if (a.d1 > pp.vacancy) far++;
      if (a.re) {
        // RE atoms are few: an atomic slot each.  Their order does not matter: only distances
        // to the nearest of them are taken.
        const int slot = Kokkos::atomic_fetch_add(&nre(0), 1);
        for (int d = 0; d < 3; ++d) re_frac(slot, d) = s[d];
        re_type(slot) = type[i];
      }
    }
    nfar += far;
  }
};

// the ghost atoms' share of this rank's tallies (more than one rank)
template <class DeviceType> struct TallyGhosts {
  typename ArrayTypes<DeviceType>::t_x_array_randomread x;
  typename ArrayTypes<DeviceType>::t_int_1d_randomread mask, type;
  TallyView tally;
  SiteFinder finder;
  Box box;
  ReParams p;
  GhostReach reach;
  int local, groupbit, first;

  KOKKOS_INLINE_FUNCTION void operator()(const int k) const
  {
    const int i = first + k;
    if (!(mask[i] & groupbit)) return;
    const double xi[3] = {x(i, 0), x(i, 1), x(i, 2)};
    tally_ghost(finder, box, xi, type[i], p, local, tally, reach, AtomicAdd());
  }
};

// second pass: distances to the nearest vacancy and RE atom, near-RE flag
template <class DeviceType> struct FinishAtoms {
  typename ArrayTypes<DeviceType>::t_int_1d_randomread mask;
  ViewIn<tdual_double_2d, DeviceType> result;
  View3<DeviceType> frac;
  SparseView vac, re;
  Box box;
  double near;
  int groupbit;
  int nlocal, chunk;    // atoms per work item, as in LocateAtoms

  KOKKOS_INLINE_FUNCTION void operator()(const int k) const
  {
    const Box b = box;    // local copies, once per work item, as in LocateAtoms
    const SparseView v = vac, r_ = re;
    const int end = (k + 1) * chunk < nlocal ? (k + 1) * chunk : nlocal;
    for (int i = k * chunk; i < end; ++i) {
      if (!(mask[i] & groupbit)) continue;
      const AtomSite a = stored_site(result, i);
      const double s[3] = {frac(i, 0), frac(i, 1), frac(i, 2)};
      const AtomResult r = finish_atom(a, s, v, r_, b, near);
      store_result(result, i, r);
    }
  }
};

}    // namespace

/* ---------------------------------------------------------------------- */

template <class DeviceType>
ComputeREAtomKokkos<DeviceType>::ComputeREAtomKokkos(LAMMPS *lmp, int narg, char **arg) :
    ComputeREAtom(lmp, narg, arg), site_version(-1)
{
  atomKK = (AtomKokkos *) atom;
  mlipeval_kk::declare_kokkos_style<DeviceType>(*this, X_MASK | MASK_MASK | TYPE_MASK);
}

template <class DeviceType> ComputeREAtomKokkos<DeviceType>::~ComputeREAtomKokkos()
{
  if (copymode) return;
  memoryKK->destroy_kokkos(k_result, result);    // leaves nullptr for the base destructor
}

/* ----------------------------------------------------------------------
   the pipeline's storage and its two per-atom passes as kernels; the
   pipeline itself (MPI, site counts, the vacancy and RE sets) is the plain
   style's
------------------------------------------------------------------------- */

template <class DeviceType> void ComputeREAtomKokkos<DeviceType>::grow_result()
{
  memoryKK->destroy_kokkos(k_result, result);
  memoryKK->create_kokkos(k_result, result, nmax, NCOLS, "re/atom/kk:result");
  array_atom = result;
  d_frac = View3<DeviceType>(Kokkos::view_alloc(Kokkos::WithoutInitializing, "re/atom/kk:frac"), nmax);
  d_re_frac = View3<DeviceType>(Kokkos::view_alloc(Kokkos::WithoutInitializing, "re/atom/kk:re_frac"), nmax);
  d_re_type = View1<int, DeviceType>(Kokkos::view_alloc(Kokkos::WithoutInitializing, "re/atom/kk:re_type"), nmax);
}

// The tallies in DeviceType's memory: the pipeline's own arrays on the host (the kernel adds into
// them, atomically on more than one thread); on a GPU a zeroed device copy, with the map of
// stored sites to slots or the unit cells' axis tables, that tallied() returns to the host for
// the counts.
template <class DeviceType> TallyView ComputeREAtomKokkos<DeviceType>::device_tally(const TallyView &t)
{
  if (on_host) return t;
  TallyView d = t;
  const size_t n = 2 * (size_t) t.nslots + 1;    // ws, held, lost
  if (d_tally.extent(0) != n) d_tally = View1<int, DeviceType>("re/atom/kk:tally", n);
  else Kokkos::deep_copy(d_tally, 0);
  d.ws = d_tally.data();
  d.held = d.ws + t.nslots;
  d.lost = d.held + t.nslots;
  if (!t.sub.whole && !sites.generated()) {
    if (t.generation != tally_generation) {
      copy_to_device(d_slot_of, t.slot_of, (size_t) sites.stored(), "re/atom/kk:slot_of");
      tally_generation = t.generation;
    }
    d.slot_of = d_slot_of.data();
  } else if (t.axis_map) {
    if (t.generation != tally_generation) {
      copy_to_device(d_slot_of, t.axis_map, (size_t) t.axis_len, "re/atom/kk:axis_slot");
      tally_generation = t.generation;
    }
    d.axis_map = d_slot_of.data();
    for (int k = 0; k < 3; ++k) d.axis_slot[k] = d.axis_map + (t.axis_slot[k] - t.axis_map);
  }
  return d;
}

template <class DeviceType>
void ComputeREAtomKokkos<DeviceType>::locate(const SiteFinder &f, const Box &b, const TallyView &t,
                                            std::vector<double> &re_frac, std::vector<int> &re_type,
                                            long counts[2], const FinishSets *guess)
{
  const int nlocal = atom->nlocal;
  if (sites.version() != site_version) {    // a new search structure: copy it to the device
    d_finder = site_copy.copy(f);
    site_version = sites.version();
  }
  using Exec = typename DeviceType::execution_space;
  const bool direct = on_host && Exec().concurrency() == 1;

  atomKK->sync(execution_space, X_MASK | MASK_MASK | TYPE_MASK);
  LocateAtoms<DeviceType> locate;
  locate.x = atomKK->k_x.template view<DeviceType>();
  locate.mask = atomKK->k_mask.template view<DeviceType>();
  locate.type = atomKK->k_type.template view<DeviceType>();
  locate.re_type = d_re_type;
  locate.result = k_result.template view<DeviceType>();
  locate.frac = d_frac;
  locate.re_frac = d_re_frac;
  if (d_nre.extent(0) == 0) d_nre = View1<int, DeviceType>("re/atom/kk:nre", 1);
  else Kokkos::deep_copy(d_nre, 0);
  locate.nre = d_nre;
  d_tally_view = device_tally(t);
  locate.tally = d_tally_view;
  locate.finder = d_finder;
  locate.box = b;
  locate.p = params;
  locate.local = vacancy_is_local ? 1 : 0;
  locate.groupbit = groupbit;
  locate.nlocal = nlocal;
  locate.chunk = on_host ? 256 : 1;
  locate.direct = direct;
  locate.guess = guess ? 1 : 0;    // the pipeline's sets, whose device copies finish() made
  locate.last = d_last;
  int nfar = 0;
  Kokkos::parallel_reduce("re/atom/kk:locate", Kokkos::RangePolicy<DeviceType>(0, (nlocal + locate.chunk - 1) / locate.chunk),
                          locate, nfar);
  Kokkos::fence();

  // the RE atoms, few, to the host for the gather
  const int nre = Kokkos::create_mirror_view_and_copy(Kokkos::HostSpace(), d_nre)(0);
  re_frac.resize(3 * (size_t) nre);
  Kokkos::View<double *[3], Kokkos::LayoutRight, Kokkos::HostSpace, Kokkos::MemoryUnmanaged> h_re(re_frac.data(), nre);
  Kokkos::deep_copy(h_re, Kokkos::subview(d_re_frac, std::make_pair(0, nre), Kokkos::ALL()));
  re_type.resize(nre);
  Kokkos::View<int *, Kokkos::LayoutRight, Kokkos::HostSpace, Kokkos::MemoryUnmanaged> h_type(re_type.data(), nre);
  Kokkos::deep_copy(h_type, Kokkos::subview(d_re_type, std::make_pair(0, nre)));
  counts[0] = nre;
  counts[1] = nfar;
}

template <class DeviceType>
void ComputeREAtomKokkos<DeviceType>::ghosts(const SiteFinder &, const Box &b, const TallyView &t, const GhostReach &reach)
{
  TallyGhosts<DeviceType> g;
  g.x = atomKK->k_x.template view<DeviceType>();
  g.mask = atomKK->k_mask.template view<DeviceType>();
  g.type = atomKK->k_type.template view<DeviceType>();
  g.tally = on_host ? t : d_tally_view;    // locate() made the device copy
  g.finder = d_finder;
  g.box = b;
  g.p = params;
  g.reach = reach;
  g.local = vacancy_is_local ? 1 : 0;
  g.groupbit = groupbit;
  g.first = atom->nlocal;
  Kokkos::parallel_for("re/atom/kk:ghosts", Kokkos::RangePolicy<DeviceType>(0, atom->nghost), g);
}

// a GPU's tallies to the host, for the counts (this rank's sites only)
template <class DeviceType> void ComputeREAtomKokkos<DeviceType>::tallied(const TallyView &t)
{
  if (on_host) return;
  Kokkos::View<int *, Kokkos::LayoutRight, Kokkos::HostSpace, Kokkos::MemoryUnmanaged> h_tally(t.ws, 2 * (size_t) t.nslots + 1);
  Kokkos::deep_copy(h_tally, d_tally);
}

// the plain style's share, plus the kernels' own views: fractional positions, the RE scratch
// list and, on a GPU, the device tally
template <class DeviceType> double ComputeREAtomKokkos<DeviceType>::memory_usage()
{
  double bytes = ComputeREAtom::memory_usage() + (d_frac.size() + d_re_frac.size()) * sizeof(double) +
      d_re_type.size() * sizeof(int);
  if (!on_host) bytes += d_tally.size() * sizeof(int);
  return bytes;
}

// the crowded sites (a few) on the device, for interstitial/type/kk
template <class DeviceType> void ComputeREAtomKokkos<DeviceType>::sites_counted(const std::vector<int> &crowded)
{
  copy_to_device(d_crowded, crowded.data(), crowded.size(), "re/atom/kk:crowded");
}

template <class DeviceType>
void ComputeREAtomKokkos<DeviceType>::finish(const SparseView &vac, const SparseView &re, const Box &b)
{
  FinishAtoms<DeviceType> finish;
  finish.mask = atomKK->k_mask.template view<DeviceType>();
  finish.result = k_result.template view<DeviceType>();
  finish.frac = d_frac;
  finish.vac = d_last.vac = vac_copy.copy(vac);
  finish.re = d_last.re = re_copy.copy(re);
  have_last = true;
  finish.box = b;
  finish.near = params.near;
  finish.groupbit = groupbit;
  finish.nlocal = atom->nlocal;
  finish.chunk = on_host ? 256 : 1;
  Kokkos::parallel_for("re/atom/kk:finish",
                       Kokkos::RangePolicy<DeviceType>(0, (atom->nlocal + finish.chunk - 1) / finish.chunk), finish);
}

// every row is written (by the second pass, or by the first when its guess held): host
// consumers (dumps, variables, the plain styles) read the host copy
template <class DeviceType> void ComputeREAtomKokkos<DeviceType>::finished()
{
  k_result.template modify<DeviceType>();
  k_result.template sync<LMPHostType>();
}

namespace LAMMPS_NS {
template class ComputeREAtomKokkos<LMPDeviceType>;
#ifdef LMP_KOKKOS_GPU
template class ComputeREAtomKokkos<LMPHostType>;
#endif
}    // namespace LAMMPS_NS
