/* -*- c++ -*- ----------------------------------------------------------
   USER-MLIPEVAL: the reference frames of fix force/reference, from the file to the owned atoms.
   Rank 0 reads each frame (core/reference_reader) and deals its rows out by atom ID; every rank
   fetches the rows of its owned atoms (a rendezvous, by atom ID or by order), and all ranks
   check together that the frame covers the system exactly once.  Every failure is an ERROR that names the file and frame.
------------------------------------------------------------------------- */

#ifndef LMP_MLIPEVAL_FRAMES_H
#define LMP_MLIPEVAL_FRAMES_H

#include "pointers.h"

#include "core/reference_reader.h"

#include <memory>
#include <string>
#include <vector>

namespace LAMMPS_NS {

class MlipevalFrameFeed : protected Pointers {
 public:
  // Opens the file on rank 0 now, so that a missing or unreadable one stops at the command.
  MlipevalFrameFeed(LAMMPS *lmp, const std::string &who, const std::string &file,
                    mlipeval::ReferenceReader::Format format, const std::string &column,
                    const std::string &pred_column, bool need_steps);
  // parse frames with this loop (Kokkos's host threads in the Kokkos styles)
  void set_parallel_for(const mlipeval::ParallelFor &f);
  // after a restart: pass over the frames the earlier run used
  void skip(long frames);
  // Give each owned atom its row of this step's frame: the reference force in fref[i][0..2]
  // and, with nvalues 6, the predicted one in fref[i][3..5]; by_id: match atom IDs, else the
  // k-th line is atom ID k.  Returns 0 when (match step) the file has no frame for this step.
  // nevals: the evaluations so far (the frame's number in messages).  The rows travel by
  // rendezvous: rank 0 deals them to rank (ID mod P), kChunk rows per rank and round (at most
  // kRound rows a round), and each
  // rank fetches its owned atoms' rows from there, so that a rank other than 0 holds and
  // receives about natoms / P rows per frame, not the frame.
  int deliver(bigint step, long nevals, double **fref, int nvalues, int by_id);
  static constexpr int kChunk = 8192;
  static constexpr long kRound = 1L << 20;
  long frames_used() const { return used; }    // rank 0's count
  double bytes() const;

 private:
  std::string who, file;
  std::unique_ptr<mlipeval::ReferenceReader> reader;    // rank 0
  long used = 0;
  mlipeval::RefFrame frame;                 // rank 0: the whole frame
  std::vector<long> held_tag;               // the rows dealt to this rank: their atom IDs
  std::vector<double> held_val;             // and their values (nvalues per row)
  void deal(long natoms, bool has_ids, int nvalues, int by_id);
  bigint fetch_rows(double **fref, int nvalues);
};

}    // namespace LAMMPS_NS

#endif
