/* -*- c++ -*- ----------------------------------------------------------
   USER-MLIPEVAL: compute interstitial/type/kk (/kk/device, /kk/host)
   compute interstitial/type over compute re/atom/kk, with its per-atom parts in Kokkos
   kernels: the atoms on crowded sites, the atoms near each defect (the core's for_each_centre)
   and the per-atom codes.  Only these short lists visit the host, where the few defects are
   matched to their templates (Eigen), as in the plain style.
------------------------------------------------------------------------- */

#ifndef LMP_MLIPEVAL_COMPUTE_INTERSTITIAL_TYPE_KOKKOS_H
#define LMP_MLIPEVAL_COMPUTE_INTERSTITIAL_TYPE_KOKKOS_H

#include "mlipeval_kokkos.h"

#include "compute_interstitial_type.h"
#include "compute_re_atom_kokkos.h"

namespace LAMMPS_NS {

template <class DeviceType> class ComputeInterstitialTypeKokkos : public ComputeInterstitialType {
 public:
  typedef DeviceType device_type;
  ComputeInterstitialTypeKokkos(class LAMMPS *, int, char **);
  ~ComputeInterstitialTypeKokkos() override;
  void init() override;

 protected:
  void grow_codes() override;
  std::vector<double> crowded_atoms(const mlipeval::Box &) override;
  std::vector<double> atoms_near(const mlipeval::Box &, const std::vector<double> &mids) override;
  void set_codes(const std::vector<std::pair<tagint, int>> &tag_types) override;

 private:
  mlipeval_kk::tdual_double_1d k_codes;
  ComputeREAtomKokkos<DeviceType> *cre_kk;
  Kokkos::View<double **, Kokkos::LayoutRight, DeviceType> d_list;    // packed rows of 5 values
  mlipeval_kk::View1<int, DeviceType> d_count;                         // rows the kernel packed
  mlipeval_kk::GridCopy<DeviceType> centre_copy;
};

}    // namespace LAMMPS_NS

#endif
