/* -*- c++ -*- ----------------------------------------------------------
   USER-MLIPEVAL: fix re/select
   Frames for DFT labelling, chosen in situ by the rare events of compute re/atom: whole frames
   appended to an extended XYZ file when the group holds RE atoms, a vacancy hopped, or atoms
   sit near RE atoms.
------------------------------------------------------------------------- */

#ifndef LMP_MLIPEVAL_FIX_RE_SELECT_H
#define LMP_MLIPEVAL_FIX_RE_SELECT_H

#include "fix.h"

#include "core/re_select.h"

#include <string>
#include <vector>

namespace LAMMPS_NS {

class FixRESelect : public Fix {
 public:
  FixRESelect(class LAMMPS *, int, char **);
  ~FixRESelect() override;
  int setmask() override;
  void init() override;
  void setup(int) override;
  void end_of_step() override;
  double compute_vector(int) override;
  void write_restart(FILE *) override;
  void restart(char *) override;

  enum { NVECTOR = 2 };

 protected:
  std::string re_id, path;
  std::vector<std::string> elements;
  std::vector<std::string> species;    // of each atom type: elements, else the type number
  class ComputeREAtom *cre;
  class Compute *pe;
  mlipeval::FrameSelector selector;
  bool restored;    // from a restart file: frames are appended to the file
  bool opened;      // init() has opened the file (rank 0) and checked it (all ranks)
  FILE *fp;

  void open_file();
  void write_frame(long n_re);
  double energy();
};

}    // namespace LAMMPS_NS

#endif
