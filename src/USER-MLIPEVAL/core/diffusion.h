/* USER-MLIPEVAL: vacancy tracking and diffusion statistics.
   Vacancies keep their identity from one analysis to the next: a vacancy still on its site is
   the same vacancy; the others are matched to new vacant sites in order of increasing distance
   (a hop), up to a largest hop distance.  By the paper's vacancy rule an atom in mid-hop leaves
   both end sites empty, so a site that becomes vacant within a hop of a living vacancy is a
   provisional "child" of it: when the parent's site fills, the parent moves there (one hop);
   when the child's site fills first, the attempt failed (a recrossing) and nothing is counted.
   Other unmatched vacancies vanish, other new sites are new vacancies; both are counted.  Each
   vacancy carries an unwrapped trajectory. */
#ifndef MLIPEVAL_CORE_DIFFUSION_H
#define MLIPEVAL_CORE_DIFFUSION_H

#include "box.h"

#include <vector>

namespace mlipeval {

struct TrackedVacancy {
  long id;
  int site;
  double pos[3];       // unwrapped Cartesian position
  double origin[3];    // where it was first seen
  int alive;
  long parent;    // 0 for a vacancy; the parent's id for a provisional child (a hop in progress)
};

struct VacancyMove {
  long vacancy;
  int from, to;    // sites: the vacancy moved from -> to, so an atom moved to -> from
};

class VacancyTracker {
 public:
  // Match the vacant sites of this analysis (site indices, fractional site coordinates of the
  // whole site set) to the tracked vacancies.  Returns the moves (hops) of this update.
  std::vector<VacancyMove> update(const std::vector<int> &vacant, const std::vector<double> &site_frac,
                                  const Box &box, double max_hop);
  const std::vector<TrackedVacancy> &vacancies() const { return vac; }
  long alive() const;    // vacancies, not counting provisional children
  long hops() const { return nhops; }
  long recrossings() const { return nrecross; }
  long appeared() const { return nappeared; }
  long vanished() const { return nvanished; }
  double msd() const;    // mean squared displacement of the living vacancies

  std::vector<double> pack() const;
  void unpack(const std::vector<double> &buf);

  // appeared/vanished in the last update, for output
  std::vector<long> last_appeared, last_vanished;

 private:
  std::vector<TrackedVacancy> vac;
  long next_id = 1, nhops = 0, nappeared = 0, nvanished = 0, nrecross = 0;
  bool started = false;
};

// Least-squares line y = a + b t with the standard error of the slope b.
struct LineFit {
  double slope = 0.0, slope_error = 0.0;
  int n = 0;
};
LineFit fit_line(const std::vector<double> &t, const std::vector<double> &y);

// Relative standard deviation of a diffusivity from an MSD (He, Zhu, Epstein, Mo,
// npj Comput. Mater. 4, 18, 2018): RSD = 3.43 / sqrt(N_jump) + 0.04 with
// N_jump = N_ions * MSD_max / d_site^2.  Returns 0 when there was no jump.
double he2018_rsd(double n_ions, double msd_max, double d_site);

}    // namespace mlipeval

#endif
