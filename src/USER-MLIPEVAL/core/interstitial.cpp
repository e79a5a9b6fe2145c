#include "interstitial.h"

#include <Eigen/Dense>

#include <algorithm>
#include <cmath>
#include <stdexcept>

namespace mlipeval {

const char *defect_name(int type)
{
  static const char *names[] = {"none", "split110", "tetrahedral", "hexagonal", "other"};
  return type >= 0 && type <= 4 ? names[type] : "?";
}

namespace {
// the ideal lattice, in units of a, around the origin
std::vector<Eigen::Vector3d> lattice_points()
{
  static const double fcc[4][3] = {{0, 0, 0}, {0, .5, .5}, {.5, 0, .5}, {.5, .5, 0}};
  std::vector<Eigen::Vector3d> out;
  for (int i = -2; i <= 2; ++i)
    for (int j = -2; j <= 2; ++j)
      for (int k = -2; k <= 2; ++k)
        for (int b = 0; b < 8; ++b) {
          const double *f = fcc[b % 4];
          const double s = b < 4 ? 0.0 : 0.25;
          out.emplace_back(i + f[0] + s, j + f[1] + s, k + f[2] + s);
        }
  return out;
}

// pair A, B (in a); lattice atoms except `skip` sites; the m nearest to the midpoint
DefectTemplate make(int type, const Eigen::Vector3d &A, const Eigen::Vector3d &B,
                    const std::vector<Eigen::Vector3d> &skip, int m, double a)
{
  const Eigen::Vector3d M = 0.5 * (A + B);
  std::vector<Eigen::Vector3d> others;
  for (const auto &p : lattice_points()) {
    bool skipped = false;
    for (const auto &s : skip) skipped = skipped || (p - s).norm() < 1e-9;
    if (!skipped) others.push_back(p);
  }
  std::sort(others.begin(), others.end(),
            [&M](const Eigen::Vector3d &u, const Eigen::Vector3d &v) { return (u - M).norm() < (v - M).norm(); });
  DefectTemplate t;
  t.type = type;
  t.m = m;
  for (const Eigen::Vector3d &p : {A, B})
    for (int d = 0; d < 3; ++d) t.pts.push_back(a * (p[d] - M[d]));
  for (int k = 0; k < m; ++k)
    for (int d = 0; d < 3; ++d) t.pts.push_back(a * (others[k][d] - M[d]));
  return t;
}
}    // namespace

std::vector<DefectTemplate> builtin_templates(double a, double dumbbell)
{
  std::vector<DefectTemplate> out;
  const Eigen::Vector3d site(0, 0, 0), u = Eigen::Vector3d(1, 1, 0).normalized();
  // two atoms share the site at the origin along [110]; the site itself is empty: 4 neighbours
  out.push_back(make(SPLIT110, site + 0.5 * dumbbell * u, site - 0.5 * dumbbell * u, {site}, 4, a));
  // T site (a/2, a/2, a/2) next to the site (a/4, a/4, a/4): 6 atoms up to the second shell
  const Eigen::Vector3d s1(.25, .25, .25);
  out.push_back(make(TETRAHEDRAL, s1, Eigen::Vector3d(.5, .5, .5), {s1}, 6, a));
  // H site (5a/8, 5a/8, 5a/8) next to the site (3a/4, 3a/4, a/4): 5 atoms
  const Eigen::Vector3d s2(.75, .75, .25);
  out.push_back(make(HEXAGONAL, s2, Eigen::Vector3d(.625, .625, .625), {s2}, 5, a));
  return out;
}

DefectTemplate template_from_points(int type, const std::vector<double> &xyz)
{
  const int n = (int) xyz.size() / 3;
  if (n < 3) throw std::runtime_error("a template needs the defect pair and at least one neighbour");
  if (n - 2 > 8) throw std::runtime_error("a template may have at most 8 neighbours after the pair");
  DefectTemplate t;
  t.type = type;
  t.m = n - 2;
  double M[3];
  for (int d = 0; d < 3; ++d) M[d] = 0.5 * (xyz[d] + xyz[3 + d]);
  for (int i = 0; i < n; ++i)
    for (int d = 0; d < 3; ++d) t.pts.push_back(xyz[3 * i + d] - M[d]);
  return t;
}

double kabsch_rmsd(const double *p, const double *q, int n)
{
  Eigen::Map<const Eigen::Matrix<double, Eigen::Dynamic, 3, Eigen::RowMajor>> P(p, n, 3), Q(q, n, 3);
  const Eigen::RowVector3d pc = P.colwise().mean(), qc = Q.colwise().mean();
  const Eigen::MatrixXd Pc = P.rowwise() - pc, Qc = Q.rowwise() - qc;
  const Eigen::Matrix3d H = Pc.transpose() * Qc;
  Eigen::JacobiSVD<Eigen::Matrix3d> svd(H, Eigen::ComputeFullU | Eigen::ComputeFullV);
  Eigen::Matrix3d D = Eigen::Matrix3d::Identity();
  if ((svd.matrixV() * svd.matrixU().transpose()).determinant() < 0) D(2, 2) = -1.0;    // no reflections
  const Eigen::Matrix3d R = svd.matrixV() * D * svd.matrixU().transpose();
  const double sq = ((Pc * R.transpose()) - Qc).squaredNorm();
  return std::sqrt(sq / n);
}

double template_rmsd(const DefectTemplate &t, const double pair[6], const std::vector<double> &near)
{
  const int n = 2 + t.m;
  if ((int) near.size() / 3 < t.m) return 1e300;
  std::vector<int> perm(t.m);
  for (int k = 0; k < t.m; ++k) perm[k] = k;
  std::vector<double> q(3 * n);
  double best = 1e300;
  do {
    for (int swap = 0; swap < 2; ++swap) {
      for (int d = 0; d < 3; ++d) {
        q[d] = pair[3 * swap + d];
        q[3 + d] = pair[3 * (1 - swap) + d];
      }
      for (int k = 0; k < t.m; ++k)
        for (int d = 0; d < 3; ++d) q[3 * (2 + k) + d] = near[3 * perm[k] + d];
      best = std::min(best, kabsch_rmsd(t.pts.data(), q.data(), n));
    }
  } while (std::next_permutation(perm.begin(), perm.end()));
  return best;
}

Classification classify_defect(const std::vector<DefectTemplate> &templates, const double pair[6],
                               const std::vector<double> &near, double tol)
{
  Classification c;
  c.type = OTHER_DEFECT;
  for (double &r : c.rmsd) r = -1.0;
  double best = tol;
  for (const auto &t : templates) {
    const double r = template_rmsd(t, pair, near);
    double &slot = c.rmsd[t.type - 1];
    if (slot < 0 || r < slot) slot = r;
    if (r <= best) {
      best = r;
      c.type = t.type;
    }
  }
  return c;
}

}    // namespace mlipeval
