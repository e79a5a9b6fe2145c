/* USER-MLIPEVAL: the one registration file of the plugin.
   LAMMPS loads it with "plugin load mlipevalplugin.so" or from LAMMPS_PLUGIN_PATH. */

// the Kokkos styles first: their headers must see Kokkos before the core's
#ifdef MLIPEVAL_KOKKOS
#include "compute_force_error_kokkos.h"
#include "compute_interstitial_type_kokkos.h"
#include "compute_re_atom_kokkos.h"
#include "fix_force_reference_kokkos.h"
#include "fix_vacancy_track_kokkos.h"
#endif

#include "lammpsplugin.h"

#include "error.h"
#include "lammps.h"
#include "version.h"

#include "compute_force_error.h"
#include "compute_interstitial_type.h"
#include "compute_re_atom.h"
#include "fix_force_reference.h"
#include "fix_re_select.h"
#include "fix_vacancy_track.h"
#include "read_extxyz.h"

#include <cstring>

using namespace LAMMPS_NS;

// The LAMMPS version the plugin was compiled against; a test build overrides it to check
// that a mismatch is refused.
#ifndef MLIPEVAL_BUILT_FOR
#define MLIPEVAL_BUILT_FOR LAMMPS_VERSION
#endif

// Base: Compute or Fix; T: the style class
template <class Base, class T> static Base *style_creator(LAMMPS *lmp, int argc, char **argv)
{
  return new T(lmp, argc, argv);
}

template <class T> static Command *command_creator(LAMMPS *lmp)
{
  return new T(lmp);
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

#ifdef MLIPEVAL_KOKKOS
// A Kokkos style under its three names, as LAMMPS's own Kokkos styles are: NAME/kk and
// NAME/kk/device run in the device execution space, NAME/kk/host on the host.
template <class Base, template <class> class T>
void add_kokkos(Registrar &r, const char *style, const char *const (&names)[3], const char *info)
{
  r.add(style, names[0], info, (void *) &style_creator<Base, T<LMPDeviceType>>);
  r.add(style, names[1], info, (void *) &style_creator<Base, T<LMPDeviceType>>);
  r.add(style, names[2], info, (void *) &style_creator<Base, T<LMPHostType>>);
}
// LAMMPS keeps the name pointers: they must outlive the plugin's registration
const char *const re_atom_kk[3] = {"re/atom/kk", "re/atom/kk/device", "re/atom/kk/host"};
const char *const force_reference_kk[3] = {"force/reference/kk", "force/reference/kk/device", "force/reference/kk/host"};
const char *const force_error_kk[3] = {"force/error/kk", "force/error/kk/device", "force/error/kk/host"};
const char *const interstitial_type_kk[3] = {"interstitial/type/kk", "interstitial/type/kk/device",
                                             "interstitial/type/kk/host"};
const char *const vacancy_track_kk[3] = {"vacancy/track/kk", "vacancy/track/kk/device", "vacancy/track/kk/host"};
#endif
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
        (void *) &style_creator<Compute, ComputeREAtom>);
  r.add("compute", "interstitial/type", "split-<110>, tetrahedral or hexagonal interstitials by template matching",
        (void *) &style_creator<Compute, ComputeInterstitialType>);
  r.add("fix", "force/reference", "force errors against stored reference forces: NAC, P (Liu, He & Mo 2023)",
        (void *) &style_creator<Fix, FixForceReference>);
  r.add("compute", "force/error", "per-atom force errors of the current step against fix force/reference",
        (void *) &style_creator<Compute, ComputeForceError>);
  r.add("fix", "vacancy/track", "vacancy trajectories, hops, diffusivities with error bars, vibration maps",
        (void *) &style_creator<Fix, FixVacancyTrack>);
  r.add("fix", "re/select", "frames for DFT labelling, written when RE atoms, vacancy hops or near-RE atoms occur",
        (void *) &style_creator<Fix, FixRESelect>);
  r.add("command", "read_extxyz", "replace atoms and box with one frame of an extended xyz file",
        (void *) &command_creator<ReadExtxyz>, true);
#ifdef MLIPEVAL_KOKKOS
  add_kokkos<Compute, ComputeREAtomKokkos>(r, "compute", re_atom_kk, "compute re/atom in Kokkos kernels");
  add_kokkos<Fix, FixForceReferenceKokkos>(r, "fix", force_reference_kk, "fix force/reference with device reductions");
  add_kokkos<Compute, ComputeForceErrorKokkos>(r, "compute", force_error_kk, "compute force/error in Kokkos kernels");
  add_kokkos<Compute, ComputeInterstitialTypeKokkos>(r, "compute", interstitial_type_kk,
                                                     "compute interstitial/type with its per-atom parts in Kokkos kernels");
  add_kokkos<Fix, FixVacancyTrackKokkos>(r, "fix", vacancy_track_kk, "fix vacancy/track with its per-atom parts in Kokkos kernels");
#endif
}
