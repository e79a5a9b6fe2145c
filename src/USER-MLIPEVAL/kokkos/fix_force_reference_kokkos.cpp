/* ----------------------------------------------------------------------
   USER-MLIPEVAL: fix force/reference/kk
------------------------------------------------------------------------- */

#include "fix_force_reference_kokkos.h"

#include "atom_kokkos.h"
#include "atom_masks.h"
#include "error.h"

#include "core/force_stats.h"

#include <vector>

using namespace LAMMPS_NS;
using namespace mlipeval;

namespace {

// this step's sums of the four subsets, reduced over the owned atoms (an array reduction of
// NSUBSETS * sums_size doubles); each atom goes through the core's add_to_subset_sums
template <class DeviceType> struct AccumulateForces {
  typedef double value_type[];
  int value_count;
  typename ArrayTypes<DeviceType>::t_int_1d_randomread mask;
  DeviceForces<DeviceType> forces;
  mlipeval_kk::ViewIn<mlipeval_kk::tdual_double_2d, DeviceType> re_result;    // compute re/atom's columns
  int have_re, bits;
  StatsConfig cfg;

  KOKKOS_INLINE_FUNCTION void init(value_type sum) const
  {
    for (int k = 0; k < value_count; ++k) sum[k] = 0.0;
  }
  KOKKOS_INLINE_FUNCTION void join(volatile value_type dst, const volatile value_type src) const
  {
    for (int k = 0; k < value_count; ++k) dst[k] += src[k];
  }
  KOKKOS_INLINE_FUNCTION void operator()(const int i, value_type sum) const
  {
    if ((mask[i] & bits) != bits) return;
    double fp[3], fr[3];
    forces.get(i, fp, fr);
    const int re = have_re ? (int) re_result(i, 3) : 0, near = have_re ? (int) re_result(i, 6) : 0;
    add_to_subset_sums(sum, cfg, fp, fr, re, near);
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
}

template <class DeviceType> void FixForceReferenceKokkos<DeviceType>::init()
{
  FixForceReference::init();
  cre_kk = nullptr;
  if (cre) {
    // the RE flags are read on the device, where only the Kokkos compute keeps them
    cre_kk = dynamic_cast<ComputeREAtomKokkos<DeviceType> *>(cre);
    if (!cre_kk)
      error->all(FLERR, "Fix {}: compute {} for keyword re is style {}; it needs re/atom/kk in the same execution space",
                 style, re_id, cre->style);
  }
}

// the reference forces of this evaluation: from the file, so they arrive on the host
template <class DeviceType> void FixForceReferenceKokkos<DeviceType>::reference_updated()
{
  const int nlocal = atom->nlocal;
  if ((int) d_fref.extent(0) < nlocal || (int) d_fref.extent(1) != nvalues)
    d_fref = Kokkos::View<double **, Kokkos::LayoutRight, DeviceType>("force/reference/kk:fref", atom->nmax, nvalues);
  if (nlocal == 0) return;
  Kokkos::View<double **, Kokkos::LayoutRight, Kokkos::HostSpace, Kokkos::MemoryUnmanaged> h(fref[0], nlocal, nvalues);
  Kokkos::deep_copy(Kokkos::subview(d_fref, std::make_pair(0, nlocal), Kokkos::ALL()), h);
}

template <class DeviceType> DeviceForces<DeviceType> FixForceReferenceKokkos<DeviceType>::device_forces()
{
  atomKK->sync(execution_space, F_MASK | MASK_MASK | TAG_MASK);
  DeviceForces<DeviceType> d;
  d.f = atomKK->k_f.template view<DeviceType>();
  d.fref = d_fref;
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
  AccumulateForces<DeviceType> k;
  k.value_count = s.pack_size();
  k.forces = device_forces();
  k.mask = atomKK->k_mask.template view<DeviceType>();
  k.have_re = cre_kk ? 1 : 0;
  if (cre_kk) {
    cre_kk->k_result.template sync<DeviceType>();
    k.re_result = cre_kk->k_result.template view<DeviceType>();
  }
  k.bits = groupbit | bits;
  k.cfg = cfg;
  std::vector<double> sums(k.value_count, 0.0);
  Kokkos::parallel_reduce("force/reference/kk:accumulate", Kokkos::RangePolicy<DeviceType>(0, atom->nlocal), k,
                          sums.data());
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
