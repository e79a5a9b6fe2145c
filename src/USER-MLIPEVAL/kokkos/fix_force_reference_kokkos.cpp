/* ----------------------------------------------------------------------
   USER-MLIPEVAL: fix force/reference/kk
------------------------------------------------------------------------- */

#include "fix_force_reference_kokkos.h"

#include "atom_kokkos.h"
#include "atom_masks.h"
#include "mlipeval_frames.h"
#include "mlipeval_partner.h"
#include "error.h"
#include "memory_kokkos.h"

#include "core/force_stats.h"

#include <vector>

using namespace LAMMPS_NS;
using namespace mlipeval;

namespace {

// this step's sums of the four subsets (NSUBSETS * sums_size doubles in a device view), added
// through a ScatterView: per-thread copies on OpenMP, atomics on GPUs, never an array reduction
// of some 200 doubles that a GPU's shared memory could not hold; each atom goes through the
// core's add_to_subset_sums
template <class Access> struct ScatterSums {
  Access *access;    // the kernel's thread access (not copyable)
  KOKKOS_INLINE_FUNCTION void operator()(int k, double v) const { (*access)(k) += v; }
};

template <class DeviceType> struct AccumulateForces {
  Kokkos::Experimental::ScatterView<double *, Kokkos::LayoutRight, DeviceType> sums;
  typename ArrayTypes<DeviceType>::t_int_1d_randomread mask;
  DeviceForces<DeviceType> forces;
  typename ComputeREAtomKokkos<DeviceType>::DeviceResults re_result;    // compute re/atom's
  int have_re, bits;
  StatsConfig cfg;

  KOKKOS_INLINE_FUNCTION void operator()(const int i) const
  {
    if ((mask[i] & bits) != bits) return;
    double fp[3], fr[3];
    forces.get(i, fp, fr);
    const int re = have_re ? re_result.re(i) : 0, near = have_re ? re_result.near_re(i) : 0;
    auto access = sums.access();
    add_to_subset_sums(ScatterSums<decltype(access)>{&access}, cfg, fp, fr, re, near);
  }
};

template <class DeviceType> struct LowestNonfinite {
  typedef tagint value_type;
  typename ArrayTypes<DeviceType>::t_int_1d_randomread mask;
  typename ArrayTypes<DeviceType>::t_tagint_1d_randomread tag;
  DeviceForces<DeviceType> forces;
  int groupbit;
  KOKKOS_INLINE_FUNCTION void operator()(const int i, tagint &lowest) const
  {
    if (!(mask[i] & groupbit)) return;
    double fp[3], fr[3];
    forces.get(i, fp, fr);
    if (!finite3(fp) && tag[i] < lowest) lowest = tag[i];
  }
};

}    // namespace

template <class DeviceType>
FixForceReferenceKokkos<DeviceType>::FixForceReferenceKokkos(LAMMPS *lmp, int narg, char **arg) :
    FixForceReference(lmp, narg, arg), cre_kk(nullptr)
{
  atomKK = (AtomKokkos *) atom;
  mlipeval_kk::declare_kokkos_style<DeviceType>(*this, F_MASK | MASK_MASK | TAG_MASK);
  exchange_comm_device = sort_device = 1;
  // the base constructor allocated fref on the host only: hold it in a DualView instead
  memory->destroy(fref);
  fref = nullptr;
  grow_arrays(atom->nmax);
  Kokkos::deep_copy(k_fref.h_view, 0.0);
  k_fref.modify_host();
  feed->set_parallel_for(mlipeval_kk::host_parallel_for());    // frames parsed and handed out on Kokkos's host threads
}

template <class DeviceType> FixForceReferenceKokkos<DeviceType>::~FixForceReferenceKokkos()
{
  if (copymode) return;
  memoryKK->destroy_kokkos(k_fref, fref);    // leaves nullptr for the base destructor
}

/* ----------------------------------------------------------------------
   fref moves with the atoms on the device (exchange, sort); where LAMMPS
   moves atoms on the host, sync it there first and mark it modified after
------------------------------------------------------------------------- */

template <class DeviceType> void FixForceReferenceKokkos<DeviceType>::grow_arrays(int nmax)
{
  k_fref.sync_host();
  memoryKK->grow_kokkos(k_fref, fref, nmax, nvalues, "force/reference/kk:fref");
  k_fref.modify_host();
  array_atom = fref;
}

template <class DeviceType> void FixForceReferenceKokkos<DeviceType>::copy_arrays(int i, int j, int delflag)
{
  k_fref.sync_host();
  FixForceReference::copy_arrays(i, j, delflag);
  k_fref.modify_host();
}

template <class DeviceType> int FixForceReferenceKokkos<DeviceType>::pack_exchange(int i, double *buf)
{
  k_fref.sync_host();
  return FixForceReference::pack_exchange(i, buf);
}

template <class DeviceType> int FixForceReferenceKokkos<DeviceType>::unpack_exchange(int nlocal, double *buf)
{
  k_fref.sync_host();
  const int n = FixForceReference::unpack_exchange(nlocal, buf);
  k_fref.modify_host();
  return n;
}


template <class DeviceType> void FixForceReferenceKokkos<DeviceType>::init()
{
  FixForceReference::init();
  cre_kk = nullptr;
  if (cre) {
    // the RE flags are read on the device, where only the Kokkos compute keeps them
    cre_kk = mlipeval_partner::kokkos_re_atom<ComputeREAtomKokkos<DeviceType>>(error, fmt::format("Fix {}", style), cre);
  }
}

template <class DeviceType> DeviceForces<DeviceType> FixForceReferenceKokkos<DeviceType>::device_forces()
{
  atomKK->sync(execution_space, F_MASK | MASK_MASK | TAG_MASK);
  DeviceForces<DeviceType> d;
  d.f = atomKK->k_f.template view<DeviceType>();
  k_fref.template sync<DeviceType>();    // once per new frame: it arrives from the file on the host
  d.fref = k_fref.template view<DeviceType>();
  d.pred_from_file = nvalues == 6 ? 1 : 0;
  return d;
}

template <class DeviceType> tagint FixForceReferenceKokkos<DeviceType>::lowest_nonfinite()
{
  LowestNonfinite<DeviceType> k;
  k.forces = device_forces();
  k.mask = atomKK->k_mask.template view<DeviceType>();
  k.tag = atomKK->k_tag.template view<DeviceType>();
  k.groupbit = groupbit;
  tagint lowest = MAXTAGINT;
  Kokkos::parallel_reduce("force/reference/kk:finite", Kokkos::RangePolicy<DeviceType>(0, atom->nlocal), k,
                          Kokkos::Min<tagint>(lowest));
  return lowest;
}

template <class DeviceType> void FixForceReferenceKokkos<DeviceType>::accumulate_step(SubsetStats &s, int bits)
{
  const int nsums = s.pack_size();
  if ((int) d_sums.extent(0) != nsums) {
    d_sums = mlipeval_kk::View1<double, DeviceType>("force/reference/kk:sums", nsums);
    d_scatter = decltype(d_scatter)(d_sums);
  } else {
    Kokkos::deep_copy(d_sums, 0.0);
    d_scatter.reset();
  }
  AccumulateForces<DeviceType> k;
  k.sums = d_scatter;
  k.forces = device_forces();
  k.mask = atomKK->k_mask.template view<DeviceType>();
  k.have_re = cre_kk ? 1 : 0;
  if (cre_kk) k.re_result = cre_kk->device_results();
  k.bits = groupbit | bits;
  k.cfg = cfg;
  Kokkos::parallel_for("force/reference/kk:accumulate", Kokkos::RangePolicy<DeviceType>(0, atom->nlocal), k);
  Kokkos::Experimental::contribute(d_sums, d_scatter);
  std::vector<double> sums(nsums);
  Kokkos::View<double *, Kokkos::LayoutRight, Kokkos::HostSpace, Kokkos::MemoryUnmanaged> h_sums(sums.data(), nsums);
  Kokkos::deep_copy(h_sums, d_sums);    // a few hundred doubles per step, read by MPI on the host
  SubsetStats step(cfg);
  step.unpack(sums.data());
  s.merge(step);
}

namespace LAMMPS_NS {
template class FixForceReferenceKokkos<LMPDeviceType>;
#ifdef LMP_KOKKOS_GPU
template class FixForceReferenceKokkos<LMPHostType>;
#endif
}    // namespace LAMMPS_NS
