/* ----------------------------------------------------------------------
   USER-MLIPEVAL: the reference frames of fix force/reference
------------------------------------------------------------------------- */

#include "mlipeval_frames.h"

#include "atom.h"
#include "comm.h"
#include "error.h"
#include "mlipeval_mpi.h"

#include <algorithm>
#include <cmath>
#include <unordered_map>
#include <utility>

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

  deal(natoms, head[1] != 0, nvalues, by_id);
  const bigint found = fetch_rows(fref, nvalues);

  // lines that found an atom, atoms that got a line, the lowest ID that got none
  const int nlocal = atom->nlocal;
  bigint counts[2] = {found, 0}, all[2];
  tagint missing = MAXTAGINT, lowest;
  for (int i = 0; i < nlocal; ++i) {
    if (std::isnan(fref[i][0])) {
      missing = std::min(missing, atom->tag[i]);
      for (int k = 0; k < nvalues; ++k) fref[i][k] = 0.0;
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

namespace {
// the rank that holds the frame rows of atom ID tag between the two steps of deliver()
int rendezvous_rank(long tag, int nprocs)
{
  return (int) (((tag % nprocs) + nprocs) % nprocs);
}

// offsets of consecutive blocks of the given sizes
std::vector<int> offsets_of(const std::vector<int> &count, int width = 1)
{
  std::vector<int> off(count.size(), 0);
  for (size_t p = 1; p < count.size(); ++p) off[p] = off[p - 1] + width * count[p - 1];
  return off;
}

std::vector<int> times(const std::vector<int> &count, int width)
{
  std::vector<int> out(count);
  for (int &c : out) c *= width;
  return out;
}
}    // namespace

// Rank 0 deals the frame's rows out to rank (ID mod P) in rounds; each rank keeps the rows it is
// dealt (about natoms / P) with their IDs.
void MlipevalFrameFeed::deal(long natoms, bool has_ids, int width, int by_id)
{
  const int nprocs = comm->nprocs;
  held_tag.clear();
  held_val.clear();
  // rank 0's send buffers hold one round: kChunk rows per rank, at most kRound rows in all
  const long round = std::min((long) kChunk * nprocs, kRound);
  for (long first = 0; first < natoms; first += round) {
    const int n = (int) std::min(round, natoms - first);
    std::vector<int> count(nprocs, 0);
    std::vector<long> tag;
    std::vector<double> val;
    if (comm->me == 0) {
      std::vector<long> id(n);
      std::vector<int> dest(n);
      for (int k = 0; k < n; ++k) {
        id[k] = by_id && has_ids ? frame.ids[first + k] : first + k + 1;
        dest[k] = rendezvous_rank(id[k], nprocs);
        count[dest[k]]++;
      }
      std::vector<int> at = offsets_of(count);
      tag.resize(n);
      val.resize((size_t) n * width);
      for (int k = 0; k < n; ++k) {
        const int j = at[dest[k]]++;
        tag[j] = id[k];
        for (int d = 0; d < 3; ++d) val[(size_t) j * width + d] = frame.ref[3 * (first + k) + d];
        if (width == 6)
          for (int d = 0; d < 3; ++d) val[(size_t) j * width + 3 + d] = frame.pred[3 * (first + k) + d];
      }
    }
    int mine = 0;
    MPI_Scatter(count.data(), 1, MPI_INT, &mine, 1, MPI_INT, 0, world);
    const size_t have = held_tag.size();
    held_tag.resize(have + mine);
    held_val.resize((have + mine) * width);
    const std::vector<int> off = offsets_of(count), countw = times(count, width), offw = offsets_of(count, width);
    MPI_Scatterv(tag.data(), count.data(), off.data(), MPI_LONG, held_tag.data() + have, mine, MPI_LONG, 0, world);
    MPI_Scatterv(val.data(), countw.data(), offw.data(), MPI_DOUBLE, held_val.data() + have * width, mine * width,
                 MPI_DOUBLE, 0, world);
  }
}

// Every rank asks the ranks that hold them for the rows of its owned atoms and writes them into
// fref (NaN in column 0 where the frame has no row).  Returns the rows, copies included, that
// this rank held for an atom of the system.
bigint MlipevalFrameFeed::fetch_rows(double **fref, int width)
{
  const int nprocs = comm->nprocs, nlocal = atom->nlocal;
  std::unordered_map<long, std::pair<size_t, int>> row_of;    // ID -> first row held, copies
  row_of.reserve(held_tag.size());
  for (size_t j = 0; j < held_tag.size(); ++j) {
    auto got = row_of.emplace(held_tag[j], std::make_pair(j, 0));
    got.first->second.second++;
  }
  // the questions: this rank's atom IDs, grouped by the rank that holds their rows
  std::vector<int> ask(nprocs, 0), asked(nprocs), dest(nlocal);
  for (int i = 0; i < nlocal; ++i) ask[dest[i] = rendezvous_rank((long) atom->tag[i], nprocs)]++;
  const std::vector<int> off_ask = offsets_of(ask);
  std::vector<int> at = off_ask, atom_of(nlocal);
  std::vector<long> qtag(nlocal);
  for (int i = 0; i < nlocal; ++i) {
    const int j = at[dest[i]]++;
    qtag[j] = (long) atom->tag[i];
    atom_of[j] = i;
  }
  MPI_Alltoall(ask.data(), 1, MPI_INT, asked.data(), 1, MPI_INT, world);
  const std::vector<int> off_asked = offsets_of(asked);
  const int nasked = off_asked[nprocs - 1] + asked[nprocs - 1];
  std::vector<long> rtag(nasked);
  MPI_Alltoallv(qtag.data(), ask.data(), off_ask.data(), MPI_LONG, rtag.data(), asked.data(), off_asked.data(),
                MPI_LONG, world);
  // the answers: the rows, or NaN where none is held
  bigint found = 0;
  std::vector<double> answer((size_t) nasked * width, NAN);
  for (int q = 0; q < nasked; ++q) {
    const auto it = row_of.find(rtag[q]);
    if (it == row_of.end()) continue;
    found += it->second.second;
    std::copy_n(&held_val[it->second.first * width], width, &answer[(size_t) q * width]);
  }
  std::vector<double> rows((size_t) nlocal * width);
  const std::vector<int> askw = times(ask, width), askedw = times(asked, width);
  MPI_Alltoallv(answer.data(), askedw.data(), offsets_of(asked, width).data(), MPI_DOUBLE, rows.data(), askw.data(),
                offsets_of(ask, width).data(), MPI_DOUBLE, world);
  for (int j = 0; j < nlocal; ++j) std::copy_n(&rows[(size_t) j * width], width, fref[atom_of[j]]);
  return found;
}

double MlipevalFrameFeed::bytes() const
{
  // rank 0: the reader and the whole frame; every rank: the rows it was dealt
  double b = reader ? (double) reader->bytes() : 0.0;
  b += (frame.ref.capacity() + frame.pred.capacity() + held_val.capacity()) * sizeof(double);
  return b + (frame.ids.capacity() + held_tag.capacity()) * sizeof(long);
}
