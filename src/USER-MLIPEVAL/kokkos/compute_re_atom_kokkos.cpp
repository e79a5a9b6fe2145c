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
  typename ArrayTypes<DeviceType>::t_int_1d_randomread mask;
  ViewIn<tdual_double_2d, DeviceType> result;
  View3<DeviceType> frac, re_frac;
  View1<int, DeviceType> nre;    // RE atoms packed into re_frac so far
  IntScatter<DeviceType> tally;
  const int *tally_base;
  SiteFinder finder;
  Box box;
  ReParams p;
  int local, nsites, groupbit;

  int nlocal, chunk;    // atoms per work item: many on the host, one on GPUs
  int direct;           // one host thread: bump the tally itself, no per-thread copy

  // One work item: atoms [k chunk, (k+1) chunk).  On the host the per-thread tally access is
  // taken once per chunk: taking it is a thread-local lookup, which per atom cost about 8 % of
  // this style's time at 256 000 atoms on one thread.
  KOKKOS_INLINE_FUNCTION void operator()(const int k, int &nfar) const
  {
    if (direct) {
      locate(k, nfar, PlainAdd());
    } else {
      auto access = tally.access();
      locate(k, nfar, ScatterAdd<decltype(access)>{&access, tally_base});
    }
  }

  template <class Add> KOKKOS_INLINE_FUNCTION void locate(const int k, int &nfar, const Add &add) const
  {
    int *ws = const_cast<int *>(tally_base);    // only offsets into it reach `add`
    // local copies: the compiler need not reload them after every store through a view
    const Box b = box;
    const SiteFinder f = finder;
    const ReParams pp = p;
    const int end = (k + 1) * chunk < nlocal ? (k + 1) * chunk : nlocal;
    for (int i = k * chunk; i < end; ++i) {
      clear_row(result, i);
      if (!(mask[i] & groupbit)) continue;
      const double xi[3] = {x(i, 0), x(i, 1), x(i, 2)};
      double s[3];
      const AtomSite a = locate_and_tally(f, b, xi, pp, local, ws, ws + nsites, add, s);
      for (int d = 0; d < 3; ++d) frac(i, d) = s[d];
      store_site(result, i, a);
      if (a.d1 > pp.vacancy) nfar++;
      if (a.re) {
        // RE atoms are few: an atomic slot each.  Their order does not matter: only distances
        // to the nearest of them are taken.
        const int slot = Kokkos::atomic_fetch_add(&nre(0), 1);
        for (int d = 0; d < 3; ++d) re_frac(slot, d) = s[d];
      }
    }
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

  KOKKOS_INLINE_FUNCTION void operator()(const int i) const
  {
    if (!(mask[i] & groupbit)) return;
    const AtomSite a = stored_site(result, i);
    const double s[3] = {frac(i, 0), frac(i, 1), frac(i, 2)};
    const Box b = box;    // local copies, as in LocateAtoms
    const SparseView v = vac, r_ = re;
    const AtomResult r = finish_atom(a, s, v, r_, b, near);
    store_result(result, i, r);
  }
};

}    // namespace

/* ---------------------------------------------------------------------- */

template <class DeviceType>
ComputeREAtomKokkos<DeviceType>::ComputeREAtomKokkos(LAMMPS *lmp, int narg, char **arg) :
    ComputeREAtom(lmp, narg, arg), site_version(-1)
{
  atomKK = (AtomKokkos *) atom;
  mlipeval_kk::declare_kokkos_style<DeviceType>(*this, X_MASK | MASK_MASK);
}

template <class DeviceType> ComputeREAtomKokkos<DeviceType>::~ComputeREAtomKokkos()
{
  if (copymode) return;
  memoryKK->destroy_kokkos(k_result, result);    // leaves nullptr for the base destructor
}

/* ----------------------------------------------------------------------
   the plain style's analyse() with its two per-atom loops as kernels
------------------------------------------------------------------------- */

template <class DeviceType> void ComputeREAtomKokkos<DeviceType>::analyse()
{
  if (tally.size() != 2 * (size_t) sites.size())
    error->all(FLERR, "Compute re/atom {} used before a run or minimize initialised it", id);
  if (atom->nmax > nmax) {
    memoryKK->destroy_kokkos(k_result, result);
    nmax = atom->nmax;
    memoryKK->create_kokkos(k_result, result, nmax, NCOLS, "re/atom/kk:result");
    array_atom = result;
    d_frac = View3<DeviceType>(Kokkos::view_alloc(Kokkos::WithoutInitializing, "re/atom/kk:frac"), nmax);
    d_re_frac = View3<DeviceType>(Kokkos::view_alloc(Kokkos::WithoutInitializing, "re/atom/kk:re_frac"), nmax);
  }
  const Box b = current_box();
  const int nlocal = atom->nlocal, nsites = sites.size();
  sites.refresh(b);    // follows NPT, as in the plain style
  if (sites.version() != site_version) {    // a new search structure: copy it to the device
    d_finder = site_copy.copy(sites.finder());
    site_version = sites.version();
  }
  // On the host the tally is the plain style's own vector (no copies for MPI); one thread adds
  // to it directly, more threads through per-thread copies (ScatterView), a GPU atomically.
  constexpr bool on_host = Kokkos::SpaceAccessibility<Kokkos::HostSpace, typename DeviceType::memory_space>::accessible;
  using Exec = typename DeviceType::execution_space;
  const bool direct = on_host && Exec().concurrency() == 1;
  if (d_tally.extent(0) != tally.size() || (on_host && d_tally.data() != tally.data())) {
    if (on_host) d_tally = Kokkos::View<int *, Kokkos::LayoutRight, DeviceType, Kokkos::MemoryUnmanaged>(tally.data(), tally.size());
    else d_tally = View1<int, DeviceType>("re/atom/kk:tally", tally.size());
    d_scatter = IntScatter<DeviceType>();
  }
  Kokkos::deep_copy(d_tally, 0);
  if (!direct) {
    if (!d_scatter.is_allocated()) d_scatter = IntScatter<DeviceType>(d_tally);
    else d_scatter.reset();
  }

  atomKK->sync(execution_space, X_MASK | MASK_MASK);
  auto d_result = k_result.template view<DeviceType>();
  auto d_mask = atomKK->k_mask.template view<DeviceType>();

  LocateAtoms<DeviceType> locate;
  locate.x = atomKK->k_x.template view<DeviceType>();
  locate.mask = d_mask;
  locate.result = d_result;
  locate.frac = d_frac;
  locate.re_frac = d_re_frac;
  if (d_nre.extent(0) == 0) d_nre = View1<int, DeviceType>("re/atom/kk:nre", 1);
  else Kokkos::deep_copy(d_nre, 0);
  locate.nre = d_nre;
  locate.tally = d_scatter;
  locate.tally_base = d_tally.data();
  locate.finder = d_finder;
  locate.box = b;
  locate.p = params;
  locate.local = vacancy_is_local ? 1 : 0;
  locate.nsites = nsites;
  locate.groupbit = groupbit;
  locate.nlocal = nlocal;
  locate.chunk = on_host ? 256 : 1;
  locate.direct = direct;
  int nfar = 0;
  Kokkos::parallel_reduce("re/atom/kk:locate", Kokkos::RangePolicy<DeviceType>(0, (nlocal + locate.chunk - 1) / locate.chunk),
                          locate, nfar);
  if (!direct) Kokkos::Experimental::contribute(d_tally, d_scatter);

  const int nre = Kokkos::create_mirror_view_and_copy(Kokkos::HostSpace(), d_nre)(0);

  // the tallies and the RE list go through the host for MPI, as in the plain style
  if (!on_host) {
    Kokkos::View<int *, Kokkos::LayoutRight, Kokkos::HostSpace, Kokkos::MemoryUnmanaged> h_tally(tally.data(), tally.size());
    Kokkos::deep_copy(h_tally, d_tally);
  }
  Kokkos::fence();
  MPI_Allreduce(MPI_IN_PLACE, tally.data(), 2 * nsites, MPI_INT, MPI_SUM, world);
  if (!on_host) {    // the global occupancies, for interstitial/type/kk
    Kokkos::View<int *, Kokkos::LayoutRight, Kokkos::HostSpace, Kokkos::MemoryUnmanaged> h_tally(tally.data(), tally.size());
    Kokkos::deep_copy(d_tally, h_tally);
  }
  bigint local[2] = {nre, nfar}, global[2];
  MPI_Allreduce(local, global, 2, MPI_LMP_BIGINT, MPI_SUM, world);
  const SiteCounts sc = count_sites(tally.data(), tally.data() + nsites, nsites, vacant);

  re_local.resize(3 * (size_t) nre);
  Kokkos::View<double *[3], Kokkos::LayoutRight, Kokkos::HostSpace, Kokkos::MemoryUnmanaged> h_re(re_local.data(), nre);
  Kokkos::deep_copy(h_re, Kokkos::subview(d_re_frac, std::make_pair(0, nre), Kokkos::ALL()));
  re_all = allgather_doubles(re_local, world);

  vac_set.build(gather_sites(sites.fractional(), vacant), b);
  re_set.build(re_all, b);
  FinishAtoms<DeviceType> finish;
  finish.mask = d_mask;
  finish.result = d_result;
  finish.frac = d_frac;
  finish.vac = vac_copy.copy(vac_set.sparse_view());
  finish.re = re_copy.copy(re_set.sparse_view());
  finish.box = b;
  finish.near = params.near;
  finish.groupbit = groupbit;
  Kokkos::parallel_for("re/atom/kk:finish", Kokkos::RangePolicy<DeviceType>(0, nlocal), finish);

  // host consumers (dumps, variables, the plain styles) read the host copy
  k_result.template modify<DeviceType>();
  k_result.template sync<LMPHostType>();

  set_counts(global, sc);
}

namespace LAMMPS_NS {
template class ComputeREAtomKokkos<LMPDeviceType>;
#ifdef LMP_KOKKOS_GPU
template class ComputeREAtomKokkos<LMPHostType>;
#endif
}    // namespace LAMMPS_NS
