/* -*- c++ -*- ----------------------------------------------------------
   USER-MLIPEVAL: fix vacancy/track/kk (/kk/device, /kk/host)
   fix vacancy/track over compute re/atom/kk, with its per-atom parts in Kokkos kernels: the
   starting unwrapped positions, the tracer MSD, the atoms that hopped and the vibration maps.
   The tracker itself follows the few vacant sites on the host, as in the plain style.  The
   starting positions are a DualView: they live on the device and move with their atoms there
   (LAMMPS's Kokkos exchange and sort); they visit the host only for a restart file.
------------------------------------------------------------------------- */

#ifndef LMP_MLIPEVAL_FIX_VACANCY_TRACK_KOKKOS_H
#define LMP_MLIPEVAL_FIX_VACANCY_TRACK_KOKKOS_H

#include "mlipeval_kokkos.h"

#include "compute_re_atom_kokkos.h"
#include "fix_vacancy_track.h"

namespace LAMMPS_NS {

template <class DeviceType> class FixVacancyTrackKokkos : public FixVacancyTrack, public mlipeval_kk::PerAtomOnDevice<DeviceType> {
 public:
  typedef DeviceType device_type;
  FixVacancyTrackKokkos(class LAMMPS *, int, char **);
  ~FixVacancyTrackKokkos() override;
  void init() override;
  void grow_arrays(int) override;
  void copy_arrays(int, int, int) override;
  int pack_exchange(int, double *) override;
  int unpack_exchange(int, double *) override;
  int pack_restart(int, double *) override;
  void unpack_restart(int, int) override;

 protected:
  // what moves with the atoms on the device (PerAtomOnDevice)
  mlipeval_kk::tdual_double_2d &per_atom_state() override { return k_x0; }
  int per_atom_width() const override { return 3; }
  void set_x0(const mlipeval::Box &) override;
  void find_hoppers(const std::vector<int> &from, std::vector<tagint> &hopper) override;
  double tracer_msd(const mlipeval::Box &) override;
  void accumulate_vibration(const mlipeval::Box &) override;
  void sync_vibration() override;

 private:
  mlipeval_kk::tdual_double_2d k_x0;
  ComputeREAtomKokkos<DeviceType> *cre_kk;
  mlipeval_kk::View1<double, DeviceType> d_hist;
  mlipeval_kk::GridCopy<DeviceType> vac_copy;
};

}    // namespace LAMMPS_NS

#endif
