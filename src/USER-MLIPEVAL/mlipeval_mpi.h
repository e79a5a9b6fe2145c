/* USER-MLIPEVAL: MPI helpers shared by the styles. */
#ifndef LMP_MLIPEVAL_MPI_H
#define LMP_MLIPEVAL_MPI_H

#include <mpi.h>

#include "core/re_pipeline.h"

#include <string>
#include <vector>

namespace LAMMPS_NS {

// Every rank's part, concatenated in rank order, on every rank.
template <class T> std::vector<T> allgather(const std::vector<T> &part, MPI_Datatype type, MPI_Comm comm)
{
  int n = (int) part.size(), nprocs;
  MPI_Comm_size(comm, &nprocs);
  std::vector<int> sizes(nprocs), offsets(nprocs, 0);
  MPI_Allgather(&n, 1, MPI_INT, sizes.data(), 1, MPI_INT, comm);
  for (int p = 1; p < nprocs; ++p) offsets[p] = offsets[p - 1] + sizes[p - 1];
  std::vector<T> all(offsets[nprocs - 1] + sizes[nprocs - 1]);
  MPI_Allgatherv(part.data(), n, type, all.data(), sizes.data(), offsets.data(), type, comm);
  return all;
}
inline std::vector<double> allgather_doubles(const std::vector<double> &part, MPI_Comm comm)
{
  return allgather(part, MPI_DOUBLE, comm);
}

// Rank 0's message on every rank: empty when rank 0 has none (collective).  For errors that
// only rank 0, which reads a file, can find.
inline std::string bcast_message(const std::string &mine, MPI_Comm comm)
{
  int n = (int) mine.size();
  MPI_Bcast(&n, 1, MPI_INT, 0, comm);
  std::string all(mine);
  all.resize(n);
  if (n > 0) MPI_Bcast(&all[0], n, MPI_CHAR, 0, comm);
  return all;
}

// The analysis pipeline's communication over an MPI communicator; neigh: a brick's neighbour
// ranks (Comm::procneigh, below and above along each axis), for folded tallies.
struct MpiComm : mlipeval::ReComm {
  explicit MpiComm(MPI_Comm c, const int (*neigh)[2] = nullptr) : comm(c), procneigh(neigh) {}
  std::vector<double> gather(const std::vector<double> &mine) override { return allgather(mine, MPI_DOUBLE, comm); }
  std::vector<int> shift(int axis, int dir, const std::vector<int> &out) override
  {
    const int to = procneigh[axis][dir < 0 ? 0 : 1], from = procneigh[axis][dir < 0 ? 1 : 0];
    int n = (int) out.size(), m = 0;
    MPI_Sendrecv(&n, 1, MPI_INT, to, 0, &m, 1, MPI_INT, from, 0, comm, MPI_STATUS_IGNORE);
    std::vector<int> in(m);
    MPI_Sendrecv(out.data(), n, MPI_INT, to, 1, in.data(), m, MPI_INT, from, 1, comm, MPI_STATUS_IGNORE);
    return in;
  }
  MPI_Comm comm;
  const int (*procneigh)[2];
};

}    // namespace LAMMPS_NS

#endif
