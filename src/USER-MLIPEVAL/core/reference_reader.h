/* USER-MLIPEVAL: frames of reference (and optionally predicted) forces, from extended xyz or
   from a LAMMPS text dump.  Forces come out in LAMMPS's frame: an extxyz Lattice that is
   general triclinic is rotated into the restricted form, and its forces with it. */
#ifndef MLIPEVAL_CORE_REFERENCE_READER_H
#define MLIPEVAL_CORE_REFERENCE_READER_H

#include "line_source.h"
#include "xyz_reader.h"

#include <memory>
#include <string>
#include <vector>

namespace mlipeval {

struct RefFrame {
  long step = -1;              // dump TIMESTEP, or extxyz timestep=/step=; -1 when unknown
  int natoms = 0;
  std::vector<long> ids;       // atom IDs from a dump id column; empty otherwise
  std::vector<double> ref;     // 3 per atom
  std::vector<double> pred;    // 3 per atom, only when a predicted column is read
};

class ReferenceReader {
 public:
  enum Format { EXTXYZ, DUMP };
  // Guess the format from the file name: .xyz / .extxyz are extended xyz, the rest dumps.
  static Format guess(const std::string &path);
  // column: extxyz property name (default "forces"), or for a dump the triplet NAME[1..3]
  // ("forces" means fx fy fz).  pred_column: the same for predicted forces, empty for none.
  ReferenceReader(const std::string &path, Format f, const std::string &column,
                  const std::string &pred_column);
  ~ReferenceReader();
  // false at the end of the file; throws XyzError naming the file and line, or the frame when
  // it repeats the step of the frame before it (a dump, or match step), or has no step where
  // steps are needed
  bool next(RefFrame &frame);
  // match step: every frame must carry its step, and fetch() matches frames to steps
  void need_steps() { steps_needed = true; }
  // The frame of an evaluation at `step`: the next one (match order), or the one for `step`
  // (match step: frames for earlier steps are skipped; one for a later step is read ahead and
  // kept).  NONE: no frame for this step (match step); END: the file has ended.
  enum Fetch { GOT, NONE, END };
  Fetch fetch(long step, RefFrame &out);
  // frames used or skipped so far (not the one read ahead)
  long frames_used() const { return nframes - (have_pending ? 1 : 0); }
  // memory held by the frame read ahead
  size_t bytes() const
  {
    return (pending.ref.capacity() + pending.pred.capacity()) * sizeof(double) + pending.ids.capacity() * sizeof(long) +
        block.capacity() + starts.capacity() * sizeof(size_t);
  }
  long frames() const { return nframes; }
  // how a dump frame's atom lines are parsed: serially unless a caller lends its threads
  void set_parallel_for(ParallelFor pf) { parallel_for = std::move(pf); }

 private:
  bool next_extxyz(RefFrame &frame);
  bool next_dump(RefFrame &frame);
  [[noreturn]] void fail(const std::string &what) const;
  bool getline(std::string &line);
  std::string path, column, pred_column;
  Format format;
  std::unique_ptr<XyzReader> xyz;
  FILE *fp = nullptr;
  std::unique_ptr<LineSource> lines;
  ParallelFor parallel_for = serial_for;
  std::string block;              // a frame's atom lines
  std::vector<size_t> starts;
  long lineno = 0, nframes = 0;
  long last_step = -1;
  bool steps_needed = false;
  RefFrame pending;    // read ahead (match step)
  bool have_pending = false;
};

}    // namespace mlipeval

#endif
