/* -*- c++ -*- ----------------------------------------------------------
   USER-MLIPEVAL: compute re/atom/kk (/kk/device, /kk/host)
   compute re/atom with its per-atom passes in Kokkos kernels on LAMMPS's device data.  The
   kernels call the same core functions as the plain style (locate_and_tally, finish_atom);
   only the per-site tallies and the short vacancy and RE lists visit the host, for the MPI
   reductions, as in the plain style.
------------------------------------------------------------------------- */

#ifndef LMP_MLIPEVAL_COMPUTE_RE_ATOM_KOKKOS_H
#define LMP_MLIPEVAL_COMPUTE_RE_ATOM_KOKKOS_H

#include "mlipeval_kokkos.h"

#include "compute_re_atom.h"

namespace LAMMPS_NS {

template <class DeviceType> class ComputeREAtomKokkos : public ComputeREAtom {
 public:
  typedef DeviceType device_type;
  typedef ArrayTypes<DeviceType> AT;

  ComputeREAtomKokkos(class LAMMPS *, int, char **);
  ~ComputeREAtomKokkos() override;
  double memory_usage() override;

  // the per-atom results on the device, for the other Kokkos styles
  mlipeval_kk::tdual_double_2d k_result;
  // fractional positions of the owned atoms in the last analysis, on the device
  mlipeval_kk::View3<DeviceType> d_frac;
  // per site of this rank (a GPU's copy): Wigner-Seitz occupancy, then atoms within `vacancy`
  mlipeval_kk::View1<int, DeviceType> d_tally;
  mlipeval_kk::View1<int, DeviceType> d_crowded;    // the crowded sites of the last analysis, increasing
  // the per-atom results of the last analysis by name, in DeviceType's memory (kernels)
  typedef mlipeval::ReResults<mlipeval_kk::ViewIn<mlipeval_kk::tdual_double_2d, DeviceType>> DeviceResults;
  // the site search structures in DeviceType's memory (of the last analysis)
  const mlipeval::SiteFinder &device_finder() const { return d_finder; }
  DeviceResults device_results()
  {
    k_result.template sync<DeviceType>();
    return {k_result.template view<DeviceType>()};
  }

 private:
  mlipeval_kk::SiteFinderCopy<DeviceType> site_copy;
  int site_version;
  mlipeval::SiteFinder d_finder;
  mlipeval_kk::GridCopy<DeviceType> vac_copy, re_copy;
  mlipeval::FinishSets d_last;    // the device copies of the sets finish() last took
  bool have_last = false;
  mlipeval_kk::View3<DeviceType> d_re_frac;
  // DeviceType's memory is the host's (OpenMP, Serial): the tally is the pipeline's own array
  static constexpr bool on_host =
      Kokkos::SpaceAccessibility<Kokkos::HostSpace, typename DeviceType::memory_space>::accessible;
  mlipeval_kk::View1<int, DeviceType> d_nre;    // RE atoms the locate kernel packed
  mlipeval_kk::View1<int, DeviceType> d_re_type;    // their atom types
  // a GPU's copy of the tallies and of what maps stored sites to them
  mlipeval_kk::View1<int, DeviceType> d_slot_of;    // stored sites' slots, or unit cells' axis tables
  int tally_generation = -1;
  mlipeval::TallyView d_tally_view;
  mlipeval::TallyView device_tally(const mlipeval::TallyView &t);
  void grow_result() override;
  void locate(const mlipeval::SiteFinder &, const mlipeval::Box &, const mlipeval::TallyView &,
              std::vector<double> &re_frac, std::vector<int> &re_type, long counts[2],
              const mlipeval::FinishSets *guess) override;
  // the last call's sets are on the device once finish() has copied them
  bool finishes_ahead() const override { return have_last; }
  void finished() override;
  void ghosts(const mlipeval::SiteFinder &, const mlipeval::Box &, const mlipeval::TallyView &,
              const mlipeval::GhostReach &g) override;
  void tallied(const mlipeval::TallyView &) override;
  void sites_counted(const std::vector<int> &crowded) override;
  void finish(const mlipeval::SparseView &vac, const mlipeval::SparseView &re, const mlipeval::Box &) override;
};

}    // namespace LAMMPS_NS

#endif
