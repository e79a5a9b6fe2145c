/* ----------------------------------------------------------------------
   USER-MLIPEVAL: fix vacancy/track
   Every rank runs the same tracker on the same global vacancy list (from compute re/atom),
   so identities, hops and trajectories agree on any number of ranks; only the atoms that
   hopped, the tracer MSD and the vibration counts are reduced over ranks.
------------------------------------------------------------------------- */

#include "fix_vacancy_track.h"

#include "atom.h"
#include "mlipeval_compat.h"
#include "comm.h"
#include "mlipeval_args.h"
#include "mlipeval_partner.h"
#include "mlipeval_restart.h"
#include "mlipeval_vibration.h"
#include "compute_re_atom.h"
#include "error.h"
#include "force.h"
#include "group.h"
#include "modify.h"
#include "update.h"

#include "core/re_analysis.h"
#include "mlipeval_image.h"

#include <algorithm>

using namespace LAMMPS_NS;
using namespace FixConst;
using namespace mlipeval;

/* ---------------------------------------------------------------------- */

FixVacancyTrack::FixVacancyTrack(LAMMPS *lmp, int narg, char **arg) :
    FixMlipevalRows(lmp, narg, arg), own_compute(false), cre(nullptr), max_hop(-1.0), hop_time(-1.0), d_site(-1.0),
    step0(-1), last_setup_step(-1), vib(lmp), x0(nullptr), have_x0(0), fp(nullptr)
{
  if (narg < 4) error->all(FLERR, "Fix vacancy/track: needs N (fix ID group vacancy/track N keyword value ...)");
  nevery = utils::inumeric(FLERR, arg[3], false, lmp);
  if (nevery < 1) error->all(FLERR, "Fix vacancy/track: N value {} must be a positive integer", arg[3]);
  std::string re_args;    // compute re/atom keywords, for the compute this fix makes itself
  MlipevalArgs args(lmp, "Fix vacancy/track", narg, arg, 4);
  while (args.more()) {
    if (mlipeval_partner::take_re_keyword(args, re_args)) {
    } else if (!vib.take(args) &&
               !args.take("re", 1, [&] { re_id = mlipeval_partner::re_id(error, args.name(), args.value()); }) &&
               !args.take_positive("maxhop", max_hop) && !args.take_positive("hoptime", hop_time) &&
               !args.take_positive("dsite", d_site) && !args.take_text("file", traj_file)) {
      args.unknown();
    }
  }
  own_compute = mlipeval_partner::make_re_atom(lmp, args.name(), this, re_id, re_args);
  // per-species sublattices: a global array, a row per type (living vacancies, hops)
  if ((size_array_rows = mlipeval_partner::sublattices_of(modify, re_id))) {
    array_flag = 1;
    size_array_cols = 2;
    extarray = 0;
  }

  vector_flag = 1;
  size_vector = NVECTOR;
  global_freq = nevery;
  extvector = 0;
  restart_global = 1;
  vib.reset();
  // a hop ends within 1 ps unless told otherwise: a provisional vacancy that lasts longer is one
  tracker.set_hop_time(hop_time > 0.0 ? hop_time : 1000.0 * force->femtosecond);

  keep_rows(&x0, 3, "vacancy/track:x0", true, false);

  if (!traj_file.empty() && comm->me == 0) {
    fp = fopen(traj_file.c_str(), "w");
    if (!fp) error->one(FLERR, "Fix vacancy/track: cannot open file {}: {}", traj_file, utils::getsyserror());
    fputs(trajectory_header().c_str(), fp);
  }
}

/* ---------------------------------------------------------------------- */

FixVacancyTrack::~FixVacancyTrack()
{
  if (copymode) return;
  drop_rows();
  if (fp) fclose(fp);
  if (own_compute && mlipeval_compat::compute_by_id(modify, re_id)) modify->delete_compute(re_id);
}

int FixVacancyTrack::setmask()
{
  return END_OF_STEP;
}

void FixVacancyTrack::init()
{
  cre = mlipeval_partner::find_re_atom(modify, error, "Fix vacancy/track", re_id);
  // sublattices (a vacancy moves between the sites of one type only): the array was sized for them
  mlipeval_partner::check_sublattices(error, "Fix vacancy/track", cre, size_array_rows);
}

// setup (every run, every rerun snapshot) always evaluates; end_of_step skips the step that
// setup has just done
void FixVacancyTrack::setup(int /*vflag*/)
{
  evaluate();
  last_setup_step = update->ntimestep;
}

void FixVacancyTrack::end_of_step()
{
  if (update->ntimestep == last_setup_step) {
    last_setup_step = -1;
    return;
  }
  evaluate();
}

void FixVacancyTrack::post_run()
{
  if (vib.wanted()) write_vibration();
  if (fp) fflush(fp);
}

/* ---------------------------------------------------------------------- */

void FixVacancyTrack::evaluate()
{
  const bigint step = update->ntimestep;
  cre->compute_peratom();    // analysed once per step and after every setup (run 0, rerun frames)
  if (d_site < 0.0) d_site = cre->site_spacing();
  const double hop = max_hop > 0.0 ? max_hop : 1.5 * d_site;
  const Box b = cre->current_box();
  if (!have_x0) {
    set_x0(b);
    have_x0 = 1;
    step0 = step;
  }

  const double time = (step - step0) * update->dt;
  const std::vector<VacancyMove> moves =
      tracker.update_listed(cre->vacant_sites(), cre->vacant_positions(), b, hop, time, cre->vacant_types());

  // the atom that hopped sits now on the site its vacancy left
  std::vector<tagint> hopper(moves.size(), MAXTAGINT), all(moves.size());
  if (!moves.empty()) {
    std::vector<int> from;
    for (const auto &m : moves) from.push_back(m.from);
    find_hoppers(from, hopper);
    MPI_Allreduce(hopper.data(), all.data(), (int) moves.size(), MPI_LMP_TAGINT, MPI_MIN, world);
  }

  record.sample(tracker, time, tracer_msd(b), (double) group->count(igroup), d_site);

  if (vib.wanted()) accumulate_vibration(b);
  if (fp) write_trajectory(moves, all, time);
}

void FixVacancyTrack::set_x0(const Box &b)
{
  for (int i = 0; i < atom->nlocal; ++i) {
    int img[3];
    image_flags(atom->image[i], img);
    unwrap(b, atom->x[i], img, x0[i]);
  }
}

// the lowest ID of an atom now on each site in `from` (within the vacancy radius)
void FixVacancyTrack::find_hoppers(const std::vector<int> &from, std::vector<tagint> &hopper)
{
  const auto res = cre->results();
  const double vacancy = cre->parameters().vacancy;
  for (int i = 0; i < atom->nlocal; ++i) {
    if (!(atom->mask[i] & cre->groupbit)) continue;
    const int k = move_from_site(from.data(), (int) from.size(), res.site(i));
    if (k >= 0 && res.d1(i) < vacancy) hopper[k] = std::min(hopper[k], atom->tag[i]);
  }
}

double FixVacancyTrack::tracer_msd(const Box &b)
{
  double local[2] = {0.0, 0.0};
  for (int i = 0; i < atom->nlocal; ++i) {
    if (!(atom->mask[i] & groupbit)) continue;
    int img[3];
    double u[3];
    image_flags(atom->image[i], img);
    unwrap(b, atom->x[i], img, u);
    local[0] += sq_distance(u, x0[i]);
    local[1] += 1.0;
  }
  return msd_of(local);
}

// sums (squared displacement, atoms) of this rank -> the MSD over all ranks
double FixVacancyTrack::msd_of(const double local[2])
{
  double sum[2];
  MPI_Allreduce(local, sum, 2, MPI_DOUBLE, MPI_SUM, world);
  return sum[1] > 0.0 ? sum[0] / sum[1] : 0.0;
}

void FixVacancyTrack::accumulate_vibration(const Box &b)
{
  vib.accumulate(cre, groupbit | cre->groupbit, b, d_site);
}

void FixVacancyTrack::write_vibration()
{
  sync_vibration();
  vib.write();
}

void FixVacancyTrack::write_trajectory(const std::vector<VacancyMove> &moves, const std::vector<tagint> &atoms,
                                       double time)
{
  std::vector<long> id(atoms.size());
  for (size_t k = 0; k < atoms.size(); ++k) id[k] = atoms[k] == MAXTAGINT ? 0 : (long) atoms[k];
  fputs(trajectory_lines(update->ntimestep, time, moves, id, tracker).c_str(), fp);
}

double FixVacancyTrack::compute_vector(int n)
{
  return record.figure(n);
}

// sublattices: row i is type i + 1; its living vacancies and their hops since the start
double FixVacancyTrack::compute_array(int i, int j)
{
  if (j == 1) return (double) tracker.hops_of_type(i + 1);
  long n = 0;
  for (const auto &v : tracker.vacancies()) n += !v.parent && v.type == i + 1;
  return (double) n;
}

/* ----------------------------------------------------------------------
   restart: the tracker, the running MSD fits and (rank 0) the vibration counts;
   per atom (FixMlipevalRows): the starting unwrapped positions
------------------------------------------------------------------------- */

void FixVacancyTrack::write_restart(FILE *out)
{
  TrackRestart st;
  sync_vibration();
  st.maps = vib.summed();
  if (comm->me != 0) return;
  st.step0 = step0;
  st.have_x0 = have_x0;
  st.d_site = d_site;
  st.nv = vib.nv;
  st.ns = vib.ns;
  mlipeval_write_restart(out, pack_track_restart(tracker, record, st));
}

void FixVacancyTrack::restart(char *raw)
{
  TrackRestart st;
  unpack_track_restart((const double *) raw, tracker, record, st);
  if (st.nv != vib.nv || st.ns != vib.ns)
    error->all(FLERR, "Fix vacancy/track: the restart file has vgrid {} {}; use the same", st.nv, st.ns);
  step0 = st.step0;
  have_x0 = st.have_x0;
  d_site = st.d_site;
  // the counts live on rank 0 only, so that the reduction over ranks counts them once
  if (comm->me == 0) std::copy(st.maps.begin(), st.maps.end(), vib.maps.values().begin());
}

double FixVacancyTrack::memory_usage()
{
  return rows_bytes() + vib.bytes();
}
