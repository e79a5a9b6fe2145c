/* -*- c++ -*- ----------------------------------------------------------
   USER-MLIPEVAL: the reference frames of fix force/reference, from the file to the owned atoms.
   Rank 0 reads each frame (core/reference_reader) and broadcasts it; every rank then gives its
   owned atoms their rows, by atom ID or by order, and all ranks check together that the frame
   covers the system exactly once.  Every failure is an ERROR that names the file and frame.
------------------------------------------------------------------------- */

#ifndef LMP_MLIPEVAL_FRAMES_H
#define LMP_MLIPEVAL_FRAMES_H

#include "pointers.h"

#include "core/reference_reader.h"

#include <memory>
#include <string>

namespace LAMMPS_NS {

class MlipevalFrameFeed : protected Pointers {
 public:
  // Opens the file on rank 0 now, so that a missing or unreadable one stops at the command.
  MlipevalFrameFeed(LAMMPS *lmp, const std::string &who, const std::string &file,
                    mlipeval::ReferenceReader::Format format, const std::string &column,
                    const std::string &pred_column, bool need_steps);
  // parse and hand out frames with this loop (Kokkos's host threads in the Kokkos styles)
  void set_parallel_for(const mlipeval::ParallelFor &f);
  // after a restart: pass over the frames the earlier run used
  void skip(long frames);
  // This step's frame on every rank: 1, or 0 when (match step) the file has none for it.
  // nevals: the evaluations so far, for the message when the file runs out.
  int fetch(bigint step, long nevals, mlipeval::RefFrame &fr);
  // Give each owned atom its row of frame number `frame`: the reference force in fref[i][0..2]
  // and, with nvalues 6, the predicted one in fref[i][3..5]; by_id: match atom IDs, else the
  // k-th line is atom ID k.
  void scatter(const mlipeval::RefFrame &fr, double **fref, int nvalues, int by_id, long frame);
  long frames_used() const { return used; }    // rank 0's count
  double bytes() const;

 private:
  std::string who, file;
  std::unique_ptr<mlipeval::ReferenceReader> reader;    // rank 0
  mlipeval::ParallelFor host_for = mlipeval::serial_for;
  long used = 0;
};

}    // namespace LAMMPS_NS

#endif
