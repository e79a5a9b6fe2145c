/* USER-MLIPEVAL: MPI helpers shared by the styles. */
#ifndef LMP_MLIPEVAL_MPI_H
#define LMP_MLIPEVAL_MPI_H

#include <mpi.h>

#include <vector>

namespace LAMMPS_NS {

// Every rank's part, concatenated in rank order, on every rank.
inline std::vector<double> allgather_doubles(const std::vector<double> &part, MPI_Comm comm)
{
  int n = (int) part.size(), nprocs;
  MPI_Comm_size(comm, &nprocs);
  std::vector<int> sizes(nprocs), offsets(nprocs, 0);
  MPI_Allgather(&n, 1, MPI_INT, sizes.data(), 1, MPI_INT, comm);
  for (int p = 1; p < nprocs; ++p) offsets[p] = offsets[p - 1] + sizes[p - 1];
  std::vector<double> all(offsets[nprocs - 1] + sizes[nprocs - 1]);
  MPI_Allgatherv(part.data(), n, MPI_DOUBLE, all.data(), sizes.data(), offsets.data(), MPI_DOUBLE, comm);
  return all;
}

}    // namespace LAMMPS_NS

#endif
