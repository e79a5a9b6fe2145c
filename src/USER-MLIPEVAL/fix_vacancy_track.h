/* -*- c++ -*- ----------------------------------------------------------
   USER-MLIPEVAL: fix vacancy/track
   Vacancy trajectories, hops, vacancy and tracer diffusivities with error bars, and the
   (r_v, r_s) vibration maps of atoms next to a vacancy (Liu, He & Mo 2023, Fig. 4).
------------------------------------------------------------------------- */

#ifndef LMP_MLIPEVAL_FIX_VACANCY_TRACK_H
#define LMP_MLIPEVAL_FIX_VACANCY_TRACK_H

#include "fix_mlipeval_rows.h"
#include "mlipeval_vibration.h"

#include "core/diffusion.h"

#include <string>
#include <vector>

namespace LAMMPS_NS {

class FixVacancyTrack : public FixMlipevalRows {
 public:
  FixVacancyTrack(class LAMMPS *, int, char **);
  ~FixVacancyTrack() override;
  int setmask() override;
  void init() override;
  void setup(int) override;
  void end_of_step() override;
  void post_run() override;
  double compute_vector(int) override;
  double compute_array(int, int) override;
  void write_restart(FILE *) override;
  void restart(char *) override;
  double memory_usage() override;

  enum { NVECTOR = mlipeval::DiffusionRecord::NFIGURES };

 protected:
  std::string re_id, traj_file;
  bool own_compute;
  class ComputeREAtom *cre;
  double max_hop, hop_time, d_site;

  mlipeval::VacancyTracker tracker;
  bigint step0, last_setup_step;
  mlipeval::DiffusionRecord record;    // running MSD fits and the global vector
  MlipevalVibration vib;    // the vibration maps: this rank's counts
  double **x0;                                  // unwrapped position of each atom at the start
  int have_x0;
  FILE *fp;

  void evaluate();
  double msd_of(const double local[2]);
  void write_vibration();
  // the per-atom parts, which the Kokkos style runs in kernels
  virtual void set_x0(const mlipeval::Box &);
  virtual void find_hoppers(const std::vector<int> &from, std::vector<tagint> &hopper);
  virtual double tracer_msd(const mlipeval::Box &);
  virtual void accumulate_vibration(const mlipeval::Box &);
  virtual void sync_vibration() {}    // bring device counts into vib.maps
  void write_trajectory(const std::vector<mlipeval::VacancyMove> &, const std::vector<tagint> &, double);
};

}    // namespace LAMMPS_NS

#endif
