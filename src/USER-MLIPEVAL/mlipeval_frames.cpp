/* ----------------------------------------------------------------------
   USER-MLIPEVAL: the reference frames of fix force/reference
------------------------------------------------------------------------- */

#include "mlipeval_frames.h"

#include "atom.h"
#include "comm.h"
#include "error.h"
#include "mlipeval_mpi.h"

#include <algorithm>
#include <atomic>
#include <cmath>

using namespace LAMMPS_NS;
using namespace mlipeval;

MlipevalFrameFeed::MlipevalFrameFeed(LAMMPS *lmp, const std::string &who, const std::string &file,
                                     ReferenceReader::Format format, const std::string &column,
                                     const std::string &pred_column, bool need_steps) :
    Pointers(lmp), who(who), file(file)
{
  std::string msg;
  if (comm->me == 0) {
    try {
      reader.reset(new ReferenceReader(file, format, column, pred_column));
      if (need_steps) reader->need_steps();
    } catch (XyzError &e) {
      msg = e.what();
      if (msg.empty()) msg = "cannot read " + file;
    }
  }
  msg = bcast_message(msg, world);
  if (!msg.empty()) error->all(FLERR, "{}: {}", who, msg);
}

void MlipevalFrameFeed::set_parallel_for(const ParallelFor &f)
{
  host_for = f;
  if (reader) reader->set_parallel_for(f);
}

void MlipevalFrameFeed::skip(long frames)
{
  if (!reader) return;
  RefFrame f;
  try {
    while (reader->frames() < frames && reader->next(f)) {}
  } catch (XyzError &) {
    // a bad frame past the restart point is reported when it is fetched
  }
}

int MlipevalFrameFeed::fetch(bigint step, long nevals, RefFrame &fr)
{
  int status = ReferenceReader::GOT;
  std::string msg;
  if (comm->me == 0) {
    try {
      status = reader->fetch(step, fr);
    } catch (XyzError &e) {
      msg = e.what();
    }
    used = reader->frames_used();
  }
  msg = bcast_message(msg, world);
  if (!msg.empty()) error->all(FLERR, "{}: {}", who, msg);
  MPI_Bcast(&status, 1, MPI_INT, 0, world);
  if (status == ReferenceReader::END)
    error->all(FLERR, "{}: {} has {} frames, fewer than the evaluations (evaluation {} at step {})", who, file,
               nevals, nevals + 1, step);
  if (status == ReferenceReader::NONE) return 0;

  long head[4] = {fr.step, fr.natoms, (long) fr.ids.size(), (long) fr.pred.size()};
  MPI_Bcast(head, 4, MPI_LONG, 0, world);
  fr.step = head[0];
  fr.natoms = (int) head[1];
  fr.ids.resize(head[2]);
  fr.ref.resize(3 * (size_t) fr.natoms);
  fr.pred.resize(head[3]);
  MPI_Bcast(fr.ref.data(), (int) fr.ref.size(), MPI_DOUBLE, 0, world);
  if (head[2]) MPI_Bcast(fr.ids.data(), (int) head[2], MPI_LONG, 0, world);
  if (head[3]) MPI_Bcast(fr.pred.data(), (int) head[3], MPI_DOUBLE, 0, world);
  return 1;
}

void MlipevalFrameFeed::scatter(const RefFrame &fr, double **fref, int nvalues, int by_id, long frame)
{
  if (fr.natoms != atom->natoms)
    error->all(FLERR, "{}: frame {} of {} has {} atoms but the system has {}", who, frame, file, fr.natoms,
               atom->natoms);
  if (by_id && fr.ids.empty())
    error->all(FLERR, "{}: atoms id needs an id column in {} (or use atoms order)", who, file);
  const int nlocal = atom->nlocal;
  // NaN marks a row no frame line has filled yet (a frame holds no NaN: the reader refuses it)
  for (int i = 0; i < nlocal; ++i)
    for (int k = 0; k < nvalues; ++k) fref[i][k] = k == 0 ? NAN : 0.0;
  std::atomic<bigint> found(0);
  const int pred = nvalues == 6;
  host_for(fr.natoms, [&](size_t begin, size_t end) {
    bigint mine = 0;
    for (size_t k = begin; k < end; ++k) {
      const tagint id = by_id ? (tagint) fr.ids[k] : (tagint) (k + 1);
      if (id < 1 || id > atom->map_tag_max) continue;    // map() does not check its range
      const int i = atom->map(id);
      if (i < 0 || i >= nlocal) continue;
      for (int d = 0; d < 3; ++d) fref[i][d] = fr.ref[3 * k + d];
      if (pred)
        for (int d = 0; d < 3; ++d) fref[i][3 + d] = fr.pred[3 * k + d];
      mine++;
    }
    found += mine;
  });
  // lines that found an atom, atoms that got a line, the lowest ID that got none
  bigint counts[2] = {found.load(), 0}, all[2];
  tagint missing = MAXTAGINT, lowest;
  for (int i = 0; i < nlocal; ++i) {
    if (std::isnan(fref[i][0])) {
      missing = std::min(missing, atom->tag[i]);
      fref[i][0] = 0.0;
    } else {
      counts[1]++;
    }
  }
  MPI_Allreduce(counts, all, 2, MPI_LMP_BIGINT, MPI_SUM, world);
  MPI_Allreduce(&missing, &lowest, 1, MPI_LMP_TAGINT, MPI_MIN, world);
  if (all[0] > all[1])
    error->all(FLERR, "{}: frame {} of {} gives {} atom ID(s) more than once (atom ID {} has no line)", who, frame,
               file, all[0] - all[1], lowest);
  if (all[1] != atom->natoms)
    error->all(FLERR, "{}: the atom IDs of frame {} of {} do not match the system ({} of {} found)", who, frame,
               file, all[1], atom->natoms);
}

double MlipevalFrameFeed::bytes() const
{
  return reader ? (double) reader->bytes() : 0.0;
}
