/* ----------------------------------------------------------------------
   USER-MLIPEVAL: compute interstitial/type
   A defect is a site with two atoms (Wigner-Seitz, from compute re/atom).  The pair and the
   atoms within `cutoff` of its midpoint are gathered on every rank, sorted, and classified
   there; each rank then marks the pair atoms it owns.
------------------------------------------------------------------------- */

#include "compute_interstitial_type.h"

#include "atom.h"
#include "mlipeval_compat.h"
#include "comm.h"
#include "mlipeval_args.h"
#include "mlipeval_partner.h"
#include "compute_re_atom.h"
#include "error.h"
#include "memory.h"
#include "modify.h"
#include "update.h"

#include "core/defect_rules.h"
#include "core/re_analysis.h"
#include "core/xyz_reader.h"
#include "mlipeval_mpi.h"

#include <algorithm>
#include <cmath>
#include <cstring>

using namespace LAMMPS_NS;
using namespace mlipeval;

ComputeInterstitialType::ComputeInterstitialType(LAMMPS *lmp, int narg, char **arg) :
    Compute(lmp, narg, arg), cre(nullptr), tol(-1.0), cutoff(-1.0), separation(-1.0), nmax(0), codes(nullptr)
{
  MlipevalArgs args(lmp, "Compute interstitial/type", narg, arg, 3);
  while (args.more()) {
    const bool known = args.take("re", 1, [&] { re_id = mlipeval_partner::re_id(error, args.name(), args.value()); }) ||
        args.take_positive("tol", tol) || args.take_positive("cutoff", cutoff) ||
        args.take_positive("separation", separation) || args.take("template", 2, [&] {
          const int type =
              SPLIT110 + args.choice({defect_name(SPLIT110), defect_name(TETRAHEDRAL), defect_name(HEXAGONAL)});
          files.emplace_back(type, args.value(2));
        });
    if (!known) args.unknown();
  }
  if (re_id.empty()) error->all(FLERR, "Compute interstitial/type: needs re c_ID (a compute re/atom with the sites)");

  // read the template files now, so that a bad one stops at this command
  for (const auto &f : files) {
    try {
      XyzReader r(f.second);
      XyzFrame fr;
      if (!r.next(fr)) throw XyzError(f.second + " holds no atoms");
      templates.push_back(template_from_points(f.first, fr.column("pos", 3)));
    } catch (std::exception &e) {
      error->all(FLERR, "Compute interstitial/type: template {} from {}: {}", defect_name(f.first), f.second, e.what());
    }
  }

  peratom_flag = 1;
  size_peratom_cols = 0;
  vector_flag = 1;
  size_vector = NDEFECT_TYPES;
  extvector = 0;
  vector = counts;
  for (double &c : counts) c = 0.0;
  // per-species sublattices: a global array, a row per species, the counts of the vector
  if ((size_array_rows = mlipeval_partner::sublattices_of(modify, re_id))) {
    array_flag = 1;
    size_array_cols = NDEFECT_TYPES;
    extarray = 0;
    array = memory->create(by_species, size_array_rows, NDEFECT_TYPES, "interstitial/type:by_species");
    std::fill(by_species[0], by_species[0] + NDEFECT_TYPES * size_array_rows, 0.0);
  }
}

ComputeInterstitialType::~ComputeInterstitialType()
{
  if (copymode) return;
  memory->destroy(codes);
  memory->destroy(by_species);
}

void ComputeInterstitialType::init()
{
  if (atom->map_style == Atom::MAP_NONE)
    error->all(FLERR, "Compute interstitial/type requires an atom map (atom_modify map array)");
  cre = mlipeval_partner::find_re_atom(modify, error, "Compute interstitial/type", re_id);
  mlipeval_partner::check_sublattices(error, "Compute interstitial/type", cre, size_array_rows);
  // built-in templates for the types no file gave, scaled to this lattice: d_site = sqrt(3) a / 4
  // (one species on the diamond lattice; a pair on one sublattice of a compound has other
  // neighbours, so with sublattices only the template files classify)
  const double a = 4.0 * cre->site_spacing() / std::sqrt(3.0);
  std::vector<DefectTemplate> keep;
  for (const auto &t : templates)
    if (std::any_of(files.begin(), files.end(), [&t](const auto &f) { return f.first == t.type; })) keep.push_back(t);
  for (const auto &t : builtin_templates(a, separation > 0.0 ? separation / a : 0.442))
    if (!array_flag && std::none_of(keep.begin(), keep.end(), [&t](const DefectTemplate &k) { return k.type == t.type; }))
      keep.push_back(t);
  templates = keep;
  if (array_flag && templates.empty() && comm->me == 0)
    error->warning(FLERR, "Compute interstitial/type: compute {} has sublattices and no template file was given; "
                   "every defect counts as other", re_id);
  // holds the 6 atoms of the largest built-in cluster; with sublattices, two same-type spacings
  if (cutoff < 0.0) cutoff = array_flag ? 2.0 * cre->site_spacing() : 0.8 * a;
  // the paper's site tolerance (pymatgen StructureMatcher stol): 0.275 (V/n)^(1/3), n sites
  if (tol < 0.0) {
    const Box b = cre->current_box();
    tol = 0.275 * std::cbrt(b.xx * b.yy * b.zz / cre->site_set().size());
  }
}

void ComputeInterstitialType::compute_peratom()
{
  invoked_peratom = update->ntimestep;
  once.run(update->ntimestep, [this] { analyse(); });
}

void ComputeInterstitialType::compute_vector()
{
  invoked_vector = update->ntimestep;
  once.run(update->ntimestep, [this] { analyse(); });
}

void ComputeInterstitialType::compute_array()
{
  invoked_array = update->ntimestep;
  once.run(update->ntimestep, [this] { analyse(); });
}

void ComputeInterstitialType::analyse()
{
  if (!cre) error->all(FLERR, "Compute interstitial/type {} used before a run or minimize initialised it", id);
  if (atom->nmax > nmax) grow_codes();
  cre->compute_peratom();    // fresh sites and occupancies for these positions
  const Box b = cre->current_box();
  // an atom must meet a defect through one periodic image only
  if (cutoff >= 0.5 * b.wmin)
    error->all(FLERR, "Compute interstitial/type: cutoff {} must be below half the box width, {}; use a larger box",
               cutoff, 0.5 * b.wmin);
  // the atoms on crowded sites from every rank, one defect per site (the same list everywhere)
  std::vector<Defect> defects = group_defects(allgather_doubles(crowded_atoms(b), world), b);
  std::vector<double> mids;
  for (const Defect &d : defects) mids.insert(mids.end(), d.mid, d.mid + 3);
  // the atoms around each midpoint from every rank, then the same classification everywhere
  const std::vector<double> around = allgather_doubles(defects.empty() ? std::vector<double>() : atoms_near(b, mids), world);
  double count[NDEFECT_TYPES];
  classify_defects(defects, around, templates, tol, count);
  std::vector<std::pair<tagint, int>> tag_types;    // the atoms of each defect and its type
  for (const Defect &d : defects)
    for (double tag : d.tags) tag_types.push_back({(tagint) tag, d.type});
  set_codes(tag_types);
  for (int t = 0; t < NDEFECT_TYPES; ++t) counts[t] = count[t];
  if (array_flag) {    // each defect's species: the type of the site its atoms share
    set_defect_species(defects, cre->crowded_sites(), cre->crowded_types());
    const std::vector<double> by = defects_by_species(defects, size_array_rows);
    std::copy(by.begin(), by.end(), by_species[0]);
  }
}

/* ----------------------------------------------------------------------
   the per-atom parts, which the Kokkos style runs in kernels
------------------------------------------------------------------------- */

void ComputeInterstitialType::grow_codes()
{
  memory->destroy(codes);
  nmax = atom->nmax;
  memory->create(codes, nmax, "interstitial/type:codes");
  vector_atom = codes;
}

// (tag, site, fractional position) of this rank's atoms on sites held by two or more atoms
std::vector<double> ComputeInterstitialType::crowded_atoms(const Box &b)
{
  const std::vector<int> &crowded = cre->crowded_sites();
  const auto res = cre->results();
  std::vector<double> mine;
  for (int i = 0; i < atom->nlocal; ++i) {
    if (!(atom->mask[i] & cre->groupbit)) continue;
    const int s = res.site(i);
    if (s < 0 || !std::binary_search(crowded.begin(), crowded.end(), s)) continue;
    double f[3];
    to_frac(b, atom->x[i], f);
    mine.insert(mine.end(), {(double) atom->tag[i], (double) s, f[0], f[1], f[2]});
  }
  return mine;
}

// (defect, tag, dx dy dz) of this rank's atoms within the cutoff of a defect centre
std::vector<double> ComputeInterstitialType::atoms_near(const Box &b, const std::vector<double> &mids)
{
  const int ncentres = (int) mids.size() / 3;
  SparseSet centres;
  if (ncentres > FEW_POINTS) centres.build(mids, b);
  const SparseView cv = centres.sparse_view();
  std::vector<double> mine;
  for (int i = 0; i < atom->nlocal; ++i) {
    if (!(atom->mask[i] & cre->groupbit)) continue;
    double f[3];
    to_frac(b, atom->x[i], f);
    auto add = [&](int k, const double dx[3]) {
      mine.insert(mine.end(), {(double) k, (double) atom->tag[i], dx[0], dx[1], dx[2]});
    };
    for_each_centre(cv, mids.data(), ncentres, b, f, cutoff, add);
  }
  return mine;
}

// the per-atom output: the type of the defect an atom belongs to, 0 for the others
void ComputeInterstitialType::set_codes(const std::vector<std::pair<tagint, int>> &tag_types)
{
  const int nlocal = atom->nlocal;
  for (int i = 0; i < nlocal; ++i) codes[i] = 0.0;
  for (const auto &tt : tag_types) {
    const int i = atom->map(tt.first);
    if (i >= 0 && i < nlocal) codes[i] = tt.second;
  }
}

double ComputeInterstitialType::memory_usage()
{
  return (double) nmax * sizeof(double);
}
