/* -*- c++ -*- ----------------------------------------------------------
   USER-MLIPEVAL: fix force/reference
   Reads stored reference (DFT) forces frame by frame and accumulates the force-error
   metrics of Liu, He & Mo (npj Comput. Mater. 9, 174, 2023) for RE, near-RE, other and all
   atoms over a run or a rerun.
------------------------------------------------------------------------- */

#ifndef LMP_MLIPEVAL_FIX_FORCE_REFERENCE_H
#define LMP_MLIPEVAL_FIX_FORCE_REFERENCE_H

#include "fix_mlipeval_rows.h"

#include "core/force_stats.h"
#include "core/reference_reader.h"

#include <memory>
#include <string>

namespace LAMMPS_NS {

class FixForceReference : public FixMlipevalRows {
 public:
  FixForceReference(class LAMMPS *, int, char **);
  ~FixForceReference() override;
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

  enum { NCOLS = 2 + 2 * mlipeval::NSUBSETS };

  // for compute force/error: the step of the last evaluation and its atoms
  bigint last_evaluation() const { return last_eval; }
  const mlipeval::StatsConfig &config() const { return cfg; }
  const double *predicted(int i) const;
  const double *reference(int i) const { return fref[i]; }
  // Add this step's atoms that are in this fix's group and in `bits` to `s`.
  virtual void accumulate_step(mlipeval::SubsetStats &s, int bits);

 protected:
  enum { ORDER, STEP };
  std::string file, column, pred_column, summary_file, re_id;
  mlipeval::ReferenceReader::Format format;
  int match, by_id, summary_every;
  mlipeval::StatsConfig cfg;
  std::unique_ptr<class MlipevalForceSums> sums;    // this rank's sums, all ranks' when asked
  bigint last_eval;
  long nevals, skip_frames;
  std::unique_ptr<class MlipevalFrameFeed> feed;    // the file's frames, to the owned atoms
  class ComputeREAtom *cre;    // keyword re
  int nvalues;           // 3, or 6 with predicted forces from the file
  double **fref;         // per owned atom: reference force, then the predicted one if read

  void evaluate();
  // the lowest ID of an atom in the group whose predicted force is not finite (MAXTAGINT: none)
  virtual tagint lowest_nonfinite();
  // called before the host writes fref for a new evaluation, and when it holds them
  virtual void reference_to_host() {}
  virtual void reference_updated() {}
};

}    // namespace LAMMPS_NS

#endif
