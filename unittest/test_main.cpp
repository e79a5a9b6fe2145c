// main() of the LAMMPS tests: MPI around GoogleTest.  Under mpirun only rank 0 prints, and the
// exit code is the worst over all ranks.
#include <gmock/gmock.h>
#include <gtest/gtest.h>
#include <mpi.h>

#ifdef MLIPEVAL_FINALIZE_KOKKOS
extern "C" void lammps_kokkos_finalize();    // from LAMMPS's library interface
#endif

int main(int argc, char **argv)
{
  MPI_Init(&argc, &argv);
  ::testing::InitGoogleMock(&argc, argv);
  int me;
  MPI_Comm_rank(MPI_COMM_WORLD, &me);
  auto &listeners = ::testing::UnitTest::GetInstance()->listeners();
  if (me != 0) delete listeners.Release(listeners.default_result_printer());
  const int rv = RUN_ALL_TESTS();
  int worst = rv;
  MPI_Allreduce(&rv, &worst, 1, MPI_INT, MPI_MAX, MPI_COMM_WORLD);
#ifdef MLIPEVAL_FINALIZE_KOKKOS
  lammps_kokkos_finalize();    // as LAMMPS's main() does after its last instance
#endif
  MPI_Finalize();
  return worst;
}
