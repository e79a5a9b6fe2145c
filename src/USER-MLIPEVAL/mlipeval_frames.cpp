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

int MlipevalFrameFeed::deliver(bigint step, long nevals, double **fref, int nvalues, int by_id)
{
  int status = ReferenceReader::GOT;
  std::string msg;
  if (comm->me == 0) {
    try {
      status = reader->fetch(step, frame);
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

  const long frameno = nevals;
  long head[3] = {frame.natoms, (long) !frame.ids.empty(), (long) !frame.pred.empty()};
  MPI_Bcast(head, 3, MPI_LONG, 0, world);
  const long natoms = head[0];
  if (natoms != atom->natoms)
    error->all(FLERR, "{}: frame {} of {} has {} atoms but the system has {}", who, frameno, file, natoms,
               atom->natoms);
  if (by_id && !head[1]) error->all(FLERR, "{}: atoms id needs an id column in {} (or use atoms order)", who, file);
  if (nvalues == 6 && !head[2]) error->all(FLERR, "{}: frame {} of {} has no predicted forces", who, frameno, file);

  // NaN marks a row no frame line has filled yet (a frame holds no NaN: the reader refuses it)
  const int nlocal = atom->nlocal;
  for (int i = 0; i < nlocal; ++i)
    for (int k = 0; k < nvalues; ++k) fref[i][k] = k == 0 ? NAN : 0.0;
  const bool root = comm->me == 0;
  bigint found = 0;
  for (long first = 0; first < natoms; first += kChunk) {
    const int n = (int) std::min<long>(kChunk, natoms - first);
    // rank 0 sends from the frame itself; the others receive one chunk at a time
    if (!root) {
      ids.resize(head[1] ? n : 0);
      ref.resize(3 * (size_t) n);
      pred.resize(nvalues == 6 ? 3 * (size_t) n : 0);
    }
    long *id = head[1] ? (root ? frame.ids.data() + first : ids.data()) : nullptr;
    double *r = root ? frame.ref.data() + 3 * first : ref.data();
    double *p = nvalues == 6 ? (root ? frame.pred.data() + 3 * first : pred.data()) : nullptr;
    if (id) MPI_Bcast(id, n, MPI_LONG, 0, world);
    MPI_Bcast(r, 3 * n, MPI_DOUBLE, 0, world);
    if (p) MPI_Bcast(p, 3 * n, MPI_DOUBLE, 0, world);
    found += assign(first, n, id, r, p, fref, nvalues, by_id);
  }

  // lines that found an atom, atoms that got a line, the lowest ID that got none
  bigint counts[2] = {found, 0}, all[2];
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
    error->all(FLERR, "{}: frame {} of {} gives {} atom ID(s) more than once (atom ID {} has no line)", who, frameno,
               file, all[0] - all[1], lowest);
  if (all[1] != atom->natoms)
    error->all(FLERR, "{}: the atom IDs of frame {} of {} do not match the system ({} of {} found)", who, frameno,
               file, all[1], atom->natoms);
  return 1;
}

bigint MlipevalFrameFeed::assign(long first, int n, const long *id, const double *r, const double *p, double **fref,
                                 int nvalues, int by_id)
{
  const int nlocal = atom->nlocal;
  std::atomic<bigint> found(0);
  host_for(n, [&](size_t begin, size_t end) {
    bigint mine = 0;
    for (size_t k = begin; k < end; ++k) {
      const tagint tag = by_id ? (tagint) id[k] : (tagint) (first + k + 1);
      if (tag < 1 || tag > atom->map_tag_max) continue;    // map() does not check its range
      const int i = atom->map(tag);
      if (i < 0 || i >= nlocal) continue;
      for (int d = 0; d < 3; ++d) fref[i][d] = r[3 * k + d];
      if (nvalues == 6)
        for (int d = 0; d < 3; ++d) fref[i][3 + d] = p[3 * k + d];
      mine++;
    }
    found += mine;
  });
  return found.load();
}

double MlipevalFrameFeed::bytes() const
{
  // rank 0: the reader and the whole frame; the others: one chunk
  double b = reader ? (double) reader->bytes() : 0.0;
  b += (frame.ref.capacity() + frame.pred.capacity() + ref.capacity() + pred.capacity()) * sizeof(double);
  return b + (frame.ids.capacity() + ids.capacity()) * sizeof(long);
}
