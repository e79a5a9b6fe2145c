/* ----------------------------------------------------------------------
   USER-MLIPEVAL: read_extxyz FILE frame N [elements E1 E2 ...] [count VAR]
   Rank 0 reads the frame (through an index of frame offsets kept per file, so a loop over
   frames reads the file once) and broadcasts it.  The cell is rotated into LAMMPS's
   restricted triclinic form, atoms get IDs 1..n in file order, and the timestep becomes N.
------------------------------------------------------------------------- */

#include "read_extxyz.h"

#include "mlipeval_mpi.h"

#include "comm.h"
#include "domain.h"
#include "error.h"
#include "input.h"
#include "library.h"
#include "update.h"

#include "core/box.h"
#include "core/xyz_reader.h"

#include <map>
#include <vector>

using namespace LAMMPS_NS;
using namespace mlipeval;

namespace {
// frame offsets of each file read so far, per process
std::map<std::string, std::vector<long>> &frame_index()
{
  static std::map<std::string, std::vector<long>> index;
  return index;
}

const std::vector<long> &offsets_of(const std::string &path)
{
  auto &index = frame_index();
  auto it = index.find(path);
  if (it != index.end()) return it->second;
  std::vector<long> off;
  XyzReader r(path);
  XyzFrame f;
  for (;;) {
    const long at = r.tell();
    if (!r.next(f)) break;
    off.push_back(at);
  }
  return index[path] = off;
}
}    // namespace

void ReadExtxyz::command(int narg, char **arg)
{
  if (narg < 3 || strcmp(arg[1], "frame") != 0)
    error->all(FLERR, "read_extxyz: usage is read_extxyz FILE frame N [elements E1 E2 ...] [count VAR]");
  const std::string path = arg[0];
  const bigint n = utils::bnumeric(FLERR, arg[2], false, lmp);
  if (n < 0) error->all(FLERR, "read_extxyz: frame value {} must be >= 0", arg[2]);
  std::vector<std::string> elements;
  std::string count_var;
  for (int iarg = 3; iarg < narg;) {
    if (strcmp(arg[iarg], "elements") == 0) {
      ++iarg;
      while (iarg < narg && strcmp(arg[iarg], "count") != 0) elements.emplace_back(arg[iarg++]);
      if (elements.empty()) error->all(FLERR, "read_extxyz: keyword elements needs at least one element name");
    } else if (strcmp(arg[iarg], "count") == 0) {
      if (iarg + 1 >= narg) error->all(FLERR, "read_extxyz: keyword count needs a variable name");
      count_var = arg[iarg + 1];
      iarg += 2;
    } else {
      error->all(FLERR, "read_extxyz: unknown keyword '{}'", arg[iarg]);
    }
  }

  // rank 0 reads; the frame travels as numbers
  int ok = 1;
  long nframes = 0;
  std::string msg;
  std::vector<double> cell(6), x;
  std::vector<int> type;
  if (comm->me == 0) {
    try {
      const auto &off = offsets_of(path);
      nframes = (long) off.size();
      if (n >= nframes) throw XyzError(path + " has " + std::to_string(nframes) + " frames, no frame " + std::to_string(n));
      XyzReader r(path);
      r.seek(off[n]);
      XyzFrame f;
      r.next(f);
      RestrictedCell rc;
      try {
        x = positions_in_cell(f, rc);
      } catch (XyzError &e) {
        throw XyzError("frame " + std::to_string(n) + " of " + path + ": " + e.what());
      }
      cell = {rc.xx, rc.yy, rc.zz, rc.xy, rc.xz, rc.yz};
      const XyzColumn *sp = f.find("species");
      for (int i = 0; i < f.natoms; ++i) {
        int t = 1;
        if (!elements.empty()) {
          const std::string name = sp ? f.strings[(size_t) i * f.width + sp->offset] : "";
          t = 0;
          for (size_t e = 0; e < elements.size(); ++e)
            if (elements[e] == name) t = (int) e + 1;
          if (!t) throw XyzError("frame " + std::to_string(n) + " of " + path + ": species '" + name + "' is not in the elements list");
        }
        type.push_back(t);
      }
    } catch (XyzError &e) {
      ok = 0;
      msg = e.what();
    }
  }
  MPI_Bcast(&ok, 1, MPI_INT, 0, world);
  if (!ok) error->all(FLERR, "read_extxyz: {}", bcast_message(msg, world));
  int natoms = (int) type.size();
  MPI_Bcast(&natoms, 1, MPI_INT, 0, world);
  MPI_Bcast(&nframes, 1, MPI_LONG, 0, world);
  MPI_Bcast(cell.data(), 6, MPI_DOUBLE, 0, world);
  x.resize(3 * (size_t) natoms);
  type.resize(natoms);
  MPI_Bcast(x.data(), 3 * natoms, MPI_DOUBLE, 0, world);
  MPI_Bcast(type.data(), natoms, MPI_INT, 0, world);

  const int ntypes = elements.empty() ? 1 : (int) elements.size();
  if (!domain->box_exist) {
    input->one(fmt::format("region mlipeval_cell prism 0 {:.17g} 0 {:.17g} 0 {:.17g} {:.17g} {:.17g} {:.17g} units box",
                           cell[0], cell[1], cell[2], cell[3], cell[4], cell[5]));
    input->one(fmt::format("create_box {} mlipeval_cell", ntypes));
    input->one("region mlipeval_cell delete");
  } else {
    if (!domain->triclinic)
      error->all(FLERR, "read_extxyz: the box exists and is orthogonal; let read_extxyz create it (it makes a triclinic box)");
    input->one("delete_atoms group all compress yes");
    input->one(fmt::format("change_box all x final 0 {:.17g} y final 0 {:.17g} z final 0 {:.17g} "
                           "xy final {:.17g} xz final {:.17g} yz final {:.17g} units box",
                           cell[0], cell[1], cell[2], cell[3], cell[4], cell[5]));
  }
  std::vector<tagint> ids(natoms);
  for (int i = 0; i < natoms; ++i) ids[i] = i + 1;
  const int made = lammps_create_atoms(lmp, natoms, ids.data(), type.data(), x.data(), nullptr, nullptr, 0);
  if (made != natoms)
    error->all(FLERR, "read_extxyz: created {} of the {} atoms of frame {} of {}", made, natoms, n, path);
  input->one(fmt::format("reset_timestep {}", n));
  if (!count_var.empty()) input->one(fmt::format("variable {} equal {}", count_var, nframes));
}
