/* USER-MLIPEVAL: classification of interstitial defects in a diamond lattice by template
   matching.  A defect is a site that two atoms share (Wigner-Seitz); its cluster is that pair
   plus the m nearest other atoms around the pair's midpoint.  A template is the same cluster in
   an ideal (or relaxed) geometry.  The match is the smallest RMSD over the correspondences of
   the neighbours (and of the pair) after the optimal rotation (Kabsch). */
#ifndef MLIPEVAL_CORE_INTERSTITIAL_H
#define MLIPEVAL_CORE_INTERSTITIAL_H

#include "box.h"

#include <string>
#include <vector>

namespace mlipeval {

enum DefectType { NOT_DEFECT = 0, SPLIT110 = 1, TETRAHEDRAL = 2, HEXAGONAL = 3, OTHER_DEFECT = 4, NDEFECT_TYPES = 4 };
const char *defect_name(int type);

struct DefectTemplate {
  int type;
  int m;                      // neighbours after the pair
  std::vector<double> pts;    // 3 * (2 + m), relative to the pair midpoint: pair first
};

// Ideal diamond-lattice templates for lattice constant a: split-<110> dumbbell (separation
// dumbbell * a), tetrahedral (T: 4 neighbours at sqrt(3)a/4) and hexagonal (H: 6 at sqrt(11)a/8).
std::vector<DefectTemplate> builtin_templates(double a, double dumbbell = 0.442);

// A template from a cluster file: the pair first, then m neighbours (any order).
DefectTemplate template_from_points(int type, const std::vector<double> &xyz);

// Smallest RMSD between n points p and q (3n each) over proper rotations, both centred: the
// Kabsch construction (SVD), kept as the reference that qcp_rmsd is tested against.
double kabsch_rmsd(const double *p, const double *q, int n);

// The same RMSD from the correlation matrix m (m[3i+j] = sum_k p_ki q_kj of the centred sets)
// and the sums of squares gp, gq: the largest eigenvalue of Horn's quaternion key matrix by
// Newton's method on its characteristic polynomial (Theobald, Acta Cryst. A 61, 478, 2005).
// No allocation and no SVD: cheap enough to try every correspondence of a cluster.
double qcp_rmsd(const double m[9], double gp, double gq, int n);

// RMSD of a cluster to a template: pair = 2 points, near = the other atoms sorted by distance
// from the pair midpoint (at least t.m of them), all relative to the midpoint.
double template_rmsd(const DefectTemplate &t, const double pair[6], const std::vector<double> &near);

struct Classification {
  int type;
  double rmsd[NDEFECT_TYPES];    // by type - 1; -1 when no template of that type
};
// The type of the best-matching template within tol (distance units), else OTHER_DEFECT.
Classification classify_defect(const std::vector<DefectTemplate> &templates, const double pair[6],
                               const std::vector<double> &near, double tol);

// One defect: a site that two or more atoms share.
struct Defect {
  std::vector<double> tags;    // its atoms' IDs, ascending
  double pair[6];              // the first two atoms, Cartesian, relative to their midpoint
  double mid[3];               // the midpoint of that pair (minimum image), fractional
  int type;                    // NOT_DEFECT until classified; OTHER_DEFECT for 3 or more atoms
  int site;                    // the site its atoms share
  int species = 0;             // with sublattices: the atom type of that site, else 0
};

// The defects from rows (tag, site, s0, s1, s2) of the atoms on crowded sites, gathered from
// all ranks in any order: one per site, ordered by site, its atoms by tag, so that every rank
// builds the same list.
std::vector<Defect> group_defects(const std::vector<double> &crowded, const Box &b);

// Per-species sublattices: each defect's species, the type of its site, from the crowded sites
// (increasing) and their types.
void set_defect_species(std::vector<Defect> &defects, const std::vector<int> &sites, const std::vector<int> &types);
// The classified defects of each species: by_species[NDEFECT_TYPES * (species - 1) + type - 1],
// ntypes species.
std::vector<double> defects_by_species(const std::vector<Defect> &defects, int ntypes);

// Classify every two-atom defect from rows (defect, tag, dx, dy, dz) of the atoms near the
// defects' midpoints (any order; the defect's own atoms are skipped): its cluster is the pair
// plus the nearest `m` others, ties broken by tag.  Counts per type go into count[type - 1].
void classify_defects(std::vector<Defect> &defects, const std::vector<double> &around,
                      const std::vector<DefectTemplate> &templates, double tol, double count[NDEFECT_TYPES],
                      int m = 8);

}    // namespace mlipeval

#endif
