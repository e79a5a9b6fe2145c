/* -*- c++ -*- ----------------------------------------------------------
   USER-MLIPEVAL: fix force/reference/kk (/kk/device, /kk/host)
   fix force/reference with the per-step statistics reduced in a Kokkos kernel from the device
   forces.  The reference forces come from a file on the host; each evaluation copies them
   (3 or 6 values per owned atom) to the device once.  The file reading, the frame matching and
   the per-atom array that migrates with the atoms are the plain style's.
------------------------------------------------------------------------- */

#ifndef LMP_MLIPEVAL_FIX_FORCE_REFERENCE_KOKKOS_H
#define LMP_MLIPEVAL_FIX_FORCE_REFERENCE_KOKKOS_H

#include "mlipeval_kokkos.h"

#include "compute_re_atom_kokkos.h"
#include "fix_force_reference.h"

namespace LAMMPS_NS {

// The predicted and reference force of atom i inside a kernel: the predicted one is LAMMPS's
// force, or the file's second force column (keyword pred).
template <class DeviceType> struct DeviceForces {
  typename ArrayTypes<DeviceType>::t_f_array_randomread f;
  mlipeval_kk::ViewIn<mlipeval_kk::tdual_double_2d, DeviceType> fref;
  int pred_from_file;
  KOKKOS_INLINE_FUNCTION void get(const int i, double fp[3], double fr[3]) const
  {
    for (int d = 0; d < 3; ++d) {
      fr[d] = fref(i, d);
      fp[d] = pred_from_file ? fref(i, 3 + d) : f(i, d);
    }
  }
};

template <class DeviceType> class FixForceReferenceKokkos : public FixForceReference, public mlipeval_kk::PerAtomOnDevice<DeviceType> {
 public:
  typedef DeviceType device_type;
  FixForceReferenceKokkos(class LAMMPS *, int, char **);
  ~FixForceReferenceKokkos() override;
  void init() override;
  void grow_arrays(int) override;
  void copy_arrays(int, int, int) override;
  int pack_exchange(int, double *) override;
  int unpack_exchange(int, double *) override;
  void accumulate_step(mlipeval::SubsetStats &s, int bits) override;
  // the forces of the last evaluation on the device (syncs LAMMPS's forces there)
  DeviceForces<DeviceType> device_forces();

 protected:
  // what moves with the atoms on the device (PerAtomOnDevice)
  mlipeval_kk::tdual_double_2d &per_atom_state() override { return k_fref; }
  int per_atom_width() const override { return nvalues; }
  tagint lowest_nonfinite() override;
  void reference_to_host() override { k_fref.sync_host(); }
  void reference_updated() override { k_fref.modify_host(); }

 private:
  mlipeval_kk::tdual_double_2d k_fref;    // fref: the reference (and predicted) forces per atom
  ComputeREAtomKokkos<DeviceType> *cre_kk;
  mlipeval_kk::View1<double, DeviceType> d_sums;    // this step's sums, on the device
  Kokkos::Experimental::ScatterView<double *, Kokkos::LayoutRight, DeviceType> d_scatter;
};

}    // namespace LAMMPS_NS

#endif
