/* -*- c++ -*- ----------------------------------------------------------
   USER-MLIPEVAL: compute force/error/kk (/kk/device, /kk/host)
   Per-atom force errors in a Kokkos kernel (the core's force_error) from the device forces of
   fix force/reference/kk; the global figures come from that fix's device reduction.
------------------------------------------------------------------------- */

#ifndef LMP_MLIPEVAL_COMPUTE_FORCE_ERROR_KOKKOS_H
#define LMP_MLIPEVAL_COMPUTE_FORCE_ERROR_KOKKOS_H

#include "mlipeval_kokkos.h"

#include "compute_force_error.h"
#include "fix_force_reference_kokkos.h"

namespace LAMMPS_NS {

template <class DeviceType> class ComputeForceErrorKokkos : public ComputeForceError {
 public:
  typedef DeviceType device_type;
  ComputeForceErrorKokkos(class LAMMPS *, int, char **);
  ~ComputeForceErrorKokkos() override;
  void init() override;
  void compute_peratom() override;

 private:
  mlipeval_kk::tdual_double_2d k_errors;
  FixForceReferenceKokkos<DeviceType> *fix_kk;
};

}    // namespace LAMMPS_NS

#endif
