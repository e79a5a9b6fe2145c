// GoogleTest fixture in LAMMPS's own pattern: it owns a LAMMPS instance with the plugin loaded,
// runs commands with command(), and checks error text with TEST_FAILURE.
#ifndef MLIPEVAL_TEST_LAMMPS_FIXTURE_H
#define MLIPEVAL_TEST_LAMMPS_FIXTURE_H

#include "atom.h"
#include "compute.h"
#include "exceptions.h"
#include "input.h"
#include "lammps.h"
#include "modify.h"
#include "mlipeval_compat.h"

#include <gmock/gmock.h>
#include <gtest/gtest.h>
#include <mpi.h>

#include <algorithm>
#include <cmath>
#include <cstdio>
#include <cstdlib>
#include <fstream>
#include <sstream>
#include <string>
#include <sys/stat.h>
#include <unistd.h>
#include <vector>

// Expect that the statements stop with a LAMMPS error whose text matches the regex.
#define TEST_FAILURE(regex, ...)                                                          \
  do {                                                                                    \
    try {                                                                                 \
      __VA_ARGS__;                                                                        \
      ADD_FAILURE() << "no LAMMPS error; expected one matching: " << (regex);             \
    } catch (LAMMPS_NS::LAMMPSException & e) {                                            \
      EXPECT_THAT(std::string(e.what()), ::testing::ContainsRegex(regex));                \
    }                                                                                     \
  } while (0)

namespace mlipeval_test {

// ../shared beside the repository; MLIPEVAL_SHARED in the environment overrides it
inline std::string shared_dir()
{
  const char *env = std::getenv("MLIPEVAL_SHARED");
  return env ? env : MLIPEVAL_SHARED;
}

inline bool shared_available(const std::string &rel)
{
  struct stat st;
  return stat((shared_dir() + "/" + rel).c_str(), &st) == 0;
}

// A temporary file name of this process: tests that CTest runs side by side never share one.
inline std::string local_tmpname(const std::string &what, int pid = (int) getpid())
{
  return "/tmp/mlipeval_" + std::to_string(pid) + "_" + what;
}

// A temporary file name that every rank of MPI_COMM_WORLD agrees on (rank 0's process ID);
// collective: every rank must call it.
inline std::string world_tmpname(const std::string &what)
{
  int pid = (int) getpid();
  MPI_Bcast(&pid, 1, MPI_INT, 0, MPI_COMM_WORLD);
  return local_tmpname(what, pid);
}

// The whole text of a file ("" when it cannot be read).
inline std::string slurp(const std::string &path)
{
  std::ifstream in(path);
  std::stringstream s;
  s << in.rdbuf();
  return s.str();
}

// Remove a file that every rank used, once all of them are done with it.
inline void world_remove(const std::string &path)
{
  MPI_Barrier(MPI_COMM_WORLD);
  int me;
  MPI_Comm_rank(MPI_COMM_WORLD, &me);
  if (me == 0) std::remove(path.c_str());
}

// The command-line arguments of a Kokkos instance: MLIPEVAL_KOKKOS_ARGS (make test-gpu sets
// "-k on g 1 -sf kk"), else two OpenMP threads.
inline std::vector<std::string> kokkos_args()
{
  const char *env = std::getenv("MLIPEVAL_KOKKOS_ARGS");
  std::istringstream words(env && *env ? env : "-k on t 2 -sf kk");
  std::vector<std::string> args;
  for (std::string w; words >> w;) args.push_back(w);
  return args;
}

class LammpsFixture {
 public:
  LAMMPS_NS::LAMMPS *lmp = nullptr;
  MPI_Comm comm = MPI_COMM_WORLD;

  // extra: more command-line arguments, e.g. kokkos_args()
  void open(MPI_Comm c = MPI_COMM_WORLD, bool load_plugin = true, const std::vector<std::string> &extra = {})
  {
    comm = c;
    setenv("LAMMPS_POTENTIALS", MLIPEVAL_POTENTIALS, 0);
    std::vector<std::string> words = {"mlipeval_test", "-log", "none", "-screen", "none", "-nocite"};
    words.insert(words.end(), extra.begin(), extra.end());
    // MLIPEVAL_TEST_KOKKOS=1: every instance runs with KOKKOS (kokkos_args()) and the /kk styles, so that the
    // plain styles' tests check the /kk ones too (CTest does this where LAMMPS has KOKKOS)
    const char *kk = std::getenv("MLIPEVAL_TEST_KOKKOS");
    if (extra.empty() && kk && std::string(kk) == "1") {
      const auto args = kokkos_args();
      words.insert(words.end(), args.begin(), args.end());
    }
    std::vector<char *> args;
    for (auto &w : words) args.push_back(&w[0]);
    lmp = new LAMMPS_NS::LAMMPS((int) args.size(), args.data(), comm);
    if (load_plugin) command(std::string("plugin load ") + MLIPEVAL_PLUGIN);
  }
  void close()
  {
    delete lmp;
    lmp = nullptr;
  }
  void command(const std::string &line) { lmp->input->one(line); }
  // LAMMPS's clear unloads plugins that were not auto-loaded: load ours again
  void clear()
  {
    command("clear");
    command(std::string("plugin load ") + MLIPEVAL_PLUGIN);
  }
  void commands(const std::vector<std::string> &lines)
  {
    for (const auto &l : lines) command(l);
  }
  // what LAMMPS writes to a log while the commands run, warnings included (rank 0's text)
  std::string logged(const std::vector<std::string> &lines)
  {
    const std::string path = local_tmpname("logged.log");
    command("log " + path);
    commands(lines);
    command("log none");
    const std::string text = slurp(path);
    std::remove(path.c_str());
    return text;
  }
  LAMMPS_NS::Compute *compute(const std::string &id) { return LAMMPS_NS::mlipeval_compat::compute_by_id(lmp->modify, id); }

  // Run the compute now and gather its per-atom array (or vector, as one column) on every
  // rank, row = atom ID - 1 (rows of IDs that no atom has stay empty).
  std::vector<std::vector<double>> peratom(const std::string &id)
  {
    auto *c = compute(id);
    c->compute_peratom();
    const int ncol = c->size_peratom_cols > 0 ? c->size_peratom_cols : 1;
    const int nlocal = lmp->atom->nlocal;
    std::vector<double> mine;
    for (int i = 0; i < nlocal; ++i) {
      mine.push_back((double) lmp->atom->tag[i]);
      for (int k = 0; k < ncol; ++k) mine.push_back(c->size_peratom_cols > 0 ? c->array_atom[i][k] : c->vector_atom[i]);
    }
    int n = (int) mine.size(), nprocs;
    MPI_Comm_size(comm, &nprocs);
    std::vector<int> sizes(nprocs), offs(nprocs, 0);
    MPI_Allgather(&n, 1, MPI_INT, sizes.data(), 1, MPI_INT, comm);
    for (int p = 1; p < nprocs; ++p) offs[p] = offs[p - 1] + sizes[p - 1];
    std::vector<double> all(offs.back() + sizes.back());
    MPI_Allgatherv(mine.data(), n, MPI_DOUBLE, all.data(), sizes.data(), offs.data(), MPI_DOUBLE, comm);
    std::vector<std::vector<double>> rows(lmp->atom->map_tag_max);
    for (size_t p = 0; p < all.size(); p += ncol + 1)
      rows[(size_t) all[p] - 1].assign(all.begin() + p + 1, all.begin() + p + 1 + ncol);
    return rows;
  }

  // A fix's global vector, then (with_array) its global array row by row.
  std::vector<double> fix_values(const std::string &id, bool with_array = false)
  {
    auto *f = LAMMPS_NS::mlipeval_compat::fix_by_id(lmp->modify, id);
    std::vector<double> v;
    for (int i = 0; i < f->size_vector; ++i) v.push_back(f->compute_vector(i));
    if (with_array)
      for (int r = 0; r < f->size_array_rows; ++r)
        for (int c = 0; c < f->size_array_cols; ++c) v.push_back(f->compute_array(r, c));
    return v;
  }

  std::vector<double> global(const std::string &id)
  {
    auto *c = compute(id);
    c->compute_vector();
    return std::vector<double>(c->vector, c->vector + c->size_vector);
  }
};

// The Si test crystal: n x n x n diamond cells, SW potential.
inline std::vector<std::string> si_crystal(int n, double a = 5.431)
{
  return {"units metal",
          "atom_style atomic",
          "atom_modify map array",
          "boundary p p p",
          "lattice diamond " + std::to_string(a),
          "region box block 0 " + std::to_string(n) + " 0 " + std::to_string(n) + " 0 " + std::to_string(n),
          "create_box 1 box",
          "create_atoms 1 box",
          "mass 1 28.0855",
          "pair_style sw",
          "pair_coeff * * Si.sw Si"};
}

// Si read from a data file, with SW
inline std::vector<std::string> si_from_data(const std::string &data)
{
  return {"units metal", "atom_style atomic", "atom_modify map array", "read_data " + data, "pair_style sw",
          "pair_coeff * * Si.sw Si"};
}

// A LAMMPS instance on comm with Si read from data (SW), after `commands`; read(f) takes what
// the test compares before the instance closes.
template <class Read>
auto on_si_data(MPI_Comm comm, const std::string &data, const std::vector<std::string> &commands, Read read)
{
  LammpsFixture f;
  f.open(comm);
  f.commands(si_from_data(data));
  f.commands(commands);
  auto out = read(f);
  f.close();
  return out;
}

// A disordered 4x4x4 Si crystal: vacancies, random displacements, atoms mid-hop.  create_atoms
// numbers atoms by decomposition, so rank 0 builds it alone and writes it at full precision to
// the temporary data file `name`; returns its path.
inline std::string write_disordered_si(bool triclinic, const std::string &name)
{
  int me;
  MPI_Comm_rank(MPI_COMM_WORLD, &me);
  const std::string data = world_tmpname(name);
  if (me == 0) {
    LammpsFixture f;
    f.open(MPI_COMM_SELF);
    f.commands(si_crystal(4));
    if (triclinic) {
      f.command("change_box all triclinic");
      f.command("change_box all xy final 2.5 xz final -1.5 yz final 1.0 remap units box");
    }
    f.commands({"group gone id 1 77 300", "delete_atoms group gone compress no",
                "displace_atoms all random 0.25 0.25 0.25 9181 units box",
                "set atom 5 x 0.7 y 0.65 z 0.7",          // mid-hop into the vacancy at site 1
                "set atom 2 x -0.679 y 2.037 z 3.394",    // mid-hop across the periodic boundary
                "write_data " + data});
    f.close();
  }
  MPI_Barrier(MPI_COMM_WORLD);
  return data;
}

// Write a dump (id type x y z fx fy fz at full precision, every 25 steps) of 200 steps of NVT at
// 1600 K of a 4x4x4 Si crystal with atoms 1 and 200 removed.  pair: the pair_style and
// pair_coeff commands of the reference potential (SW when empty).  Rank 0 runs it alone.
inline void write_md_dump(const std::string &dump, const std::vector<std::string> &pair = {})
{
  int me;
  MPI_Comm_rank(MPI_COMM_WORLD, &me);
  if (me == 0) {
    LammpsFixture md;
    md.open(MPI_COMM_SELF);
    md.commands(si_crystal(4));
    md.commands(pair);
    md.commands({"group gone id 1 200", "delete_atoms group gone compress no",
                 "velocity all create 2600 1234 loop geom", "fix nvt all nvt temp 1600 1600 0.1",
                 "dump d all custom 25 " + dump + " id type x y z fx fy fz",
                 "dump_modify d format float %20.15g sort id", "run 200 post no"});
    md.close();
  }
  MPI_Barrier(MPI_COMM_WORLD);
}

// Write a dump (id type x y z ix iy iz at full precision, every 20 steps) of `steps` steps of
// SW NVT at 1700 K of a 3x3x3 Si crystal with two vacancies (atoms 1 and 100): the vacancies
// hop.  Rank 0 runs it alone.
inline void write_vacancy_md(const std::string &dump, int steps)
{
  int me;
  MPI_Comm_rank(MPI_COMM_WORLD, &me);
  if (me == 0) {
    LammpsFixture md;
    md.open(MPI_COMM_SELF);
    md.commands(si_crystal(3));
    md.commands({"group gone id 1 100", "delete_atoms group gone compress no",
                 "velocity all create 3400 777 loop geom", "fix nvt all nvt temp 1700 1700 0.1",
                 "dump d all custom 20 " + dump + " id type x y z ix iy iz",
                 "dump_modify d format float %20.15g sort id", "run " + std::to_string(steps) + " post no"});
    md.close();
  }
  MPI_Barrier(MPI_COMM_WORLD);
}

// Write an extxyz data set made with LAMMPS itself: frames of a 2x2x2 Si cell with one
// vacancy, perfect, and one interstitial (63, 64, 65 atoms), randomly displaced, with their SW
// forces, in a general cell rotated by 0.4 rad about z.  Runs on the calling rank alone.
inline void write_sw_dataset(const std::string &path)
{
  std::ofstream out(path);
  out.precision(17);
  const double c = std::cos(0.4), s = std::sin(0.4);
  for (int kind = 0; kind < 3; ++kind) {
    LammpsFixture f;
    f.open(MPI_COMM_SELF);
    f.commands(si_crystal(2));
    if (kind == 0) f.commands({"group gone id 9", "delete_atoms group gone compress yes"});
    if (kind == 2) f.command("create_atoms 1 single 0.5 0.5 0.5");    // tetrahedral site (lattice units)
    f.commands({"displace_atoms all random 0.15 0.15 0.15 " + std::to_string(321 + kind) + " units box",
                "run 0 post no"});
    const double L = 2 * 5.431;
    auto *atom = f.lmp->atom;
    const int n = (int) atom->natoms;
    out << n << "\nLattice=\"" << c * L << " " << s * L << " 0 " << -s * L << " " << c * L << " 0 0 0 " << L
        << "\" Properties=species:S:1:pos:R:3:forces:R:3 pbc=\"T T T\"\n";
    for (int id = 1; id <= n; ++id) {
      const int i = atom->map(id);
      const double *x = atom->x[i], *fo = atom->f[i];
      out << "Si " << c * x[0] - s * x[1] << " " << s * x[0] + c * x[1] << " " << x[2] << " "
          << c * fo[0] - s * fo[1] << " " << s * fo[0] + c * fo[1] << " " << fo[2] << "\n";
    }
    f.close();
  }
}

}    // namespace mlipeval_test

#endif
