/* USER-MLIPEVAL: the one registration file of the plugin.
   LAMMPS loads it with "plugin load mlipevalplugin.so" or from LAMMPS_PLUGIN_PATH. */

#include "lammpsplugin.h"

#include "error.h"
#include "lammps.h"
#include "version.h"

#include "compute_force_error.h"
#include "compute_interstitial_type.h"
#include "compute_re_atom.h"
#include "fix_force_reference.h"
#include "fix_vacancy_track.h"
#include "read_extxyz.h"

#include <cstring>

using namespace LAMMPS_NS;

// The LAMMPS version the plugin was compiled against; a test build overrides it to check
// that a mismatch is refused.
#ifndef MLIPEVAL_BUILT_FOR
#define MLIPEVAL_BUILT_FOR LAMMPS_VERSION
#endif

template <class T> static Compute *compute_creator(LAMMPS *lmp, int argc, char **argv)
{
  return new T(lmp, argc, argv);
}

template <class T> static Command *command_creator(LAMMPS *lmp)
{
  return new T(lmp);
}

template <class T> static Fix *fix_creator(LAMMPS *lmp, int argc, char **argv)
{
  return new T(lmp, argc, argv);
}

namespace {
struct Registrar {
  lammpsplugin_regfunc reg;
  void *lmp, *handle;
  void add(const char *style, const char *name, const char *info, void *creator, bool v1 = false)
  {
    lammpsplugin_t plugin;
    plugin.version = MLIPEVAL_BUILT_FOR;
    plugin.style = style;
    plugin.name = name;
    plugin.info = info;
    plugin.author = "USER-MLIPEVAL developers";
    if (v1) plugin.creator.v1 = (lammpsplugin_factory1 *) creator;    // commands
    else plugin.creator.v2 = (lammpsplugin_factory2 *) creator;
    plugin.handle = handle;
    (*reg)(&plugin, lmp);
  }
};
}    // namespace

extern "C" void lammpsplugin_init(void *lmp, void *handle, void *regfunc)
{
  auto *lammps = (LAMMPS *) lmp;
  // class layouts change between LAMMPS versions; loading into another one would corrupt memory
  if (strcmp(MLIPEVAL_BUILT_FOR, lammps->version) != 0)
    lammps->error->all(FLERR,
                       "USER-MLIPEVAL plugin was built for LAMMPS version {} but this LAMMPS is version {}; "
                       "rebuild the plugin against this LAMMPS (-D LAMMPS_SOURCE_DIR=...)",
                       MLIPEVAL_BUILT_FOR, lammps->version);

  Registrar r{(lammpsplugin_regfunc) regfunc, lmp, handle};
  r.add("compute", "re/atom", "rare-event atoms, static sites and vacancies (Liu, He & Mo 2023)",
        (void *) &compute_creator<ComputeREAtom>);
  r.add("compute", "interstitial/type", "split-<110>, tetrahedral or hexagonal interstitials by template matching",
        (void *) &compute_creator<ComputeInterstitialType>);
  r.add("fix", "force/reference", "force errors against stored reference forces: NAC, P (Liu, He & Mo 2023)",
        (void *) &fix_creator<FixForceReference>);
  r.add("compute", "force/error", "per-atom force errors of the current step against fix force/reference",
        (void *) &compute_creator<ComputeForceError>);
  r.add("fix", "vacancy/track", "vacancy trajectories, hops, diffusivities with error bars, vibration maps",
        (void *) &fix_creator<FixVacancyTrack>);
  r.add("command", "read_extxyz", "replace atoms and box with one frame of an extended xyz file",
        (void *) &command_creator<ReadExtxyz>, true);
}
