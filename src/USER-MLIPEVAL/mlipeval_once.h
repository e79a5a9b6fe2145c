/* USER-MLIPEVAL: one analysis per timestep.
   A compute whose per-atom array and global vector come out of one analysis runs it once per
   step, whichever is asked first (a dump, thermo, a partner style).  Every run, run 0 and rerun
   snapshot passes through Compute::setup() (Modify::setup), where atoms may have moved without
   a new timestep (set, displace_atoms, a rerun frame): reset() there makes the next request
   analyse anew. */
#ifndef LMP_MLIPEVAL_ONCE_H
#define LMP_MLIPEVAL_ONCE_H

#include "lmptype.h"

namespace LAMMPS_NS {

class OncePerStep {
 public:
  void reset() { at = -1; }
  template <class Analyse> void run(bigint step, Analyse &&analyse)
  {
    if (at == step) return;
    analyse();
    at = step;
    count++;
  }
  long runs() const { return count; }    // analyses so far (diagnostics and tests)

 private:
  bigint at = -1;
  long count = 0;
};

}    // namespace LAMMPS_NS

#endif
