/* ----------------------------------------------------------------------
   USER-MLIPEVAL: compute force/error/kk
------------------------------------------------------------------------- */

#include "compute_force_error_kokkos.h"

#include "atom_kokkos.h"
#include "atom_masks.h"
#include "error.h"
#include "memory_kokkos.h"
#include "update.h"

#include "core/force_stats.h"

using namespace LAMMPS_NS;
using namespace mlipeval;

namespace {

template <class DeviceType> struct PerAtomErrors {
  typename ArrayTypes<DeviceType>::t_int_1d_randomread mask;
  DeviceForces<DeviceType> forces;
  mlipeval_kk::ViewIn<mlipeval_kk::tdual_double_2d, DeviceType> errors;
  int bits;
  double fzero;
  KOKKOS_INLINE_FUNCTION void operator()(const int i) const
  {
    errors(i, 0) = errors(i, 1) = errors(i, 2) = 0.0;
    if ((mask[i] & bits) != bits) return;
    double fp[3], fr[3];
    forces.get(i, fp, fr);
    const ForceError e = force_error(fp, fr, fzero);
    errors(i, 0) = e.dF;
    errors(i, 1) = e.dtheta;
    errors(i, 2) = e.dvec;
  }
};

}    // namespace

template <class DeviceType>
ComputeForceErrorKokkos<DeviceType>::ComputeForceErrorKokkos(LAMMPS *lmp, int narg, char **arg) :
    ComputeForceError(lmp, narg, arg), fix_kk(nullptr)
{
  atomKK = (AtomKokkos *) atom;
  mlipeval_kk::declare_kokkos_style<DeviceType>(*this, F_MASK | MASK_MASK);
}

template <class DeviceType> ComputeForceErrorKokkos<DeviceType>::~ComputeForceErrorKokkos()
{
  if (copymode) return;
  memoryKK->destroy_kokkos(k_errors, errors);    // leaves nullptr for the base destructor
}

template <class DeviceType> void ComputeForceErrorKokkos<DeviceType>::init()
{
  ComputeForceError::init();
  // the reference forces live on the device only in the Kokkos fix
  fix_kk = dynamic_cast<FixForceReferenceKokkos<DeviceType> *>(fix);
  if (!fix_kk)
    error->all(FLERR, "Compute {}: fix {} is style {}; it needs force/reference/kk in the same execution space",
               style, fix_id, fix->style);
}

template <class DeviceType> void ComputeForceErrorKokkos<DeviceType>::compute_peratom()
{
  invoked_peratom = update->ntimestep;
  check_step();
  if (atom->nmax > nmax) {
    memoryKK->destroy_kokkos(k_errors, errors);
    nmax = atom->nmax;
    memoryKK->create_kokkos(k_errors, errors, nmax, 3, "force/error/kk:errors");
    array_atom = errors;
  }
  PerAtomErrors<DeviceType> k;
  k.forces = fix_kk->device_forces();
  k.mask = atomKK->k_mask.template view<DeviceType>();
  k.errors = k_errors.template view<DeviceType>();
  k.bits = groupbit | fix->groupbit;
  k.fzero = fix->config().zero_force;
  Kokkos::parallel_for("force/error/kk:peratom", Kokkos::RangePolicy<DeviceType>(0, atom->nlocal), k);
  k_errors.template modify<DeviceType>();
  k_errors.template sync<LMPHostType>();
}

namespace LAMMPS_NS {
template class ComputeForceErrorKokkos<LMPDeviceType>;
#ifdef LMP_KOKKOS_GPU
template class ComputeForceErrorKokkos<LMPHostType>;
#endif
}    // namespace LAMMPS_NS
