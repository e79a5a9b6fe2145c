#include "interstitial.h"

#include <Eigen/Dense>

#include <algorithm>
#include <map>
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

double qcp_rmsd(const double m[9], double gp, double gq, int n)
{
  const double sxx = m[0], sxy = m[1], sxz = m[2], syx = m[3], syy = m[4], syz = m[5], szx = m[6], szy = m[7],
               szz = m[8];
  const double k[4][4] = {{sxx + syy + szz, syz - szy, szx - sxz, sxy - syx},
                          {syz - szy, sxx - syy - szz, sxy + syx, szx + sxz},
                          {szx - sxz, sxy + syx, -sxx + syy - szz, syz + szy},
                          {sxy - syx, szx + sxz, syz + szy, -sxx - syy + szz}};
  // det(K - l I) = l^4 + c2 l^2 + c1 l + c0 for a traceless K: c2 = -tr(K^2)/2,
  // c1 = -tr(K^3)/3, c0 = det K
  double k2[4][4];
  for (int i = 0; i < 4; ++i)
    for (int j = 0; j < 4; ++j) k2[i][j] = k[i][0] * k[0][j] + k[i][1] * k[1][j] + k[i][2] * k[2][j] + k[i][3] * k[3][j];
  double tr2 = 0.0, tr3 = 0.0;
  for (int i = 0; i < 4; ++i) {
    tr2 += k2[i][i];
    for (int j = 0; j < 4; ++j) tr3 += k2[i][j] * k[j][i];
  }
  auto det3 = [&k](int r0, int r1, int r2, int c0, int c1, int c2) {
    return k[r0][c0] * (k[r1][c1] * k[r2][c2] - k[r1][c2] * k[r2][c1]) -
        k[r0][c1] * (k[r1][c0] * k[r2][c2] - k[r1][c2] * k[r2][c0]) +
        k[r0][c2] * (k[r1][c0] * k[r2][c1] - k[r1][c1] * k[r2][c0]);
  };
  const double det = k[0][0] * det3(1, 2, 3, 1, 2, 3) - k[0][1] * det3(1, 2, 3, 0, 2, 3) +
      k[0][2] * det3(1, 2, 3, 0, 1, 3) - k[0][3] * det3(1, 2, 3, 0, 1, 2);
  const double c2 = -0.5 * tr2, c1 = -tr3 / 3.0, c0 = det;
  // (gp + gq) / 2 bounds the largest eigenvalue from above; Newton descends onto it
  double l = 0.5 * (gp + gq);
  for (int it = 0; it < 60; ++it) {
    const double l2 = l * l;
    const double p = (l2 + c2) * l2 + c1 * l + c0, dp = 4.0 * l2 * l + 2.0 * c2 * l + c1;
    if (dp == 0.0) break;
    const double step = p / dp;
    l -= step;
    if (std::fabs(step) <= 1e-13 * std::fabs(l)) break;
  }
  return std::sqrt(std::max(0.0, (gp + gq - 2.0 * l) / n));
}

double template_rmsd(const DefectTemplate &t, const double pair[6], const std::vector<double> &near)
{
  const int n = 2 + t.m;
  if ((int) near.size() / 3 < t.m || n > 10) return 1e300;
  // the cluster (the pair, then the first m neighbours) and the template, each centred once:
  // a set's centroid and sum of squares do not depend on the order of its points
  double p[10][3], q[10][3], cp[3] = {0, 0, 0}, cq[3] = {0, 0, 0};
  for (int i = 0; i < n; ++i)
    for (int d = 0; d < 3; ++d) {
      p[i][d] = t.pts[3 * i + d];
      q[i][d] = i < 2 ? pair[3 * i + d] : near[3 * (i - 2) + d];
      cp[d] += p[i][d] / n;
      cq[d] += q[i][d] / n;
    }
  double gp = 0.0, gq = 0.0;
  for (int i = 0; i < n; ++i)
    for (int d = 0; d < 3; ++d) {
      p[i][d] -= cp[d];
      q[i][d] -= cq[d];
      gp += p[i][d] * p[i][d];
      gq += q[i][d] * q[i][d];
    }
  // every correspondence: the pair either way round, the neighbours in every order
  int perm[8];
  for (int k = 0; k < t.m; ++k) perm[k] = k;
  double best = 1e300;
  do {
    double rest[9] = {0, 0, 0, 0, 0, 0, 0, 0, 0};
    for (int k = 0; k < t.m; ++k)
      for (int a = 0; a < 3; ++a)
        for (int b = 0; b < 3; ++b) rest[3 * a + b] += p[2 + k][a] * q[2 + perm[k]][b];
    for (int swap = 0; swap < 2; ++swap) {
      double m[9];
      for (int a = 0; a < 3; ++a)
        for (int b = 0; b < 3; ++b)
          m[3 * a + b] = rest[3 * a + b] + p[0][a] * q[swap][b] + p[1][a] * q[1 - swap][b];
      best = std::min(best, qcp_rmsd(m, gp, gq, n));
    }
  } while (std::next_permutation(perm, perm + t.m));
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

std::vector<Defect> group_defects(const std::vector<double> &crowded, const Box &b)
{
  std::map<int, std::vector<const double *>> by_site;    // ordered: the same on every rank
  for (size_t k = 0; k + 5 <= crowded.size(); k += 5) by_site[(int) crowded[k + 1]].push_back(&crowded[k]);
  std::vector<Defect> defects;
  for (auto &kv : by_site) {
    auto &atoms = kv.second;
    if (atoms.size() < 2) continue;
    std::sort(atoms.begin(), atoms.end(), [](const double *u, const double *v) { return u[0] < v[0]; });
    Defect d;
    for (const double *a : atoms) d.tags.push_back(a[0]);
    double ds[3], dx[3];
    for (int k = 0; k < 3; ++k) {
      ds[k] = atoms[1][2 + k] - atoms[0][2 + k];
      ds[k] -= std::floor(ds[k] + 0.5);
      d.mid[k] = wrap01(atoms[0][2 + k] + 0.5 * ds[k]);
    }
    frac_to_cart(b, ds, dx);
    for (int k = 0; k < 3; ++k) {
      d.pair[k] = -0.5 * dx[k];
      d.pair[3 + k] = 0.5 * dx[k];
    }
    d.type = atoms.size() == 2 ? NOT_DEFECT : OTHER_DEFECT;    // three or more atoms: not a template
    d.site = kv.first;
    defects.push_back(d);
  }
  return defects;
}

void set_defect_species(std::vector<Defect> &defects, const std::vector<int> &sites, const std::vector<int> &types)
{
  for (Defect &d : defects) {
    const auto it = std::lower_bound(sites.begin(), sites.end(), d.site);
    d.species = it != sites.end() && *it == d.site && !types.empty() ? types[it - sites.begin()] : 0;
  }
}

std::vector<double> defects_by_species(const std::vector<Defect> &defects, int ntypes)
{
  std::vector<double> out((size_t) NDEFECT_TYPES * ntypes, 0.0);
  for (const Defect &d : defects)
    if (d.species >= 1 && d.species <= ntypes && d.type >= 1) out[(size_t) NDEFECT_TYPES * (d.species - 1) + d.type - 1]++;
  return out;
}

void classify_defects(std::vector<Defect> &defects, const std::vector<double> &around,
                      const std::vector<DefectTemplate> &templates, double tol, double count[NDEFECT_TYPES], int m)
{
  for (int t = 0; t < NDEFECT_TYPES; ++t) count[t] = 0.0;
  for (size_t k = 0; k < defects.size(); ++k) {
    Defect &d = defects[k];
    if (d.type == NOT_DEFECT) {
      std::vector<std::pair<std::pair<double, double>, const double *>> list;    // ((distance, tag), xyz)
      for (size_t p = 0; p + 5 <= around.size(); p += 5) {
        if ((size_t) around[p] != k) continue;
        if (std::find(d.tags.begin(), d.tags.end(), around[p + 1]) != d.tags.end()) continue;
        const double *v = &around[p + 2];
        list.push_back({{v[0] * v[0] + v[1] * v[1] + v[2] * v[2], around[p + 1]}, v});
      }
      std::sort(list.begin(), list.end(), [](const auto &u, const auto &v) { return u.first < v.first; });
      std::vector<double> near;
      for (size_t q = 0; q < list.size() && q < (size_t) m; ++q) near.insert(near.end(), list[q].second, list[q].second + 3);
      d.type = classify_defect(templates, d.pair, near, tol).type;
    }
    count[d.type - 1] += 1.0;
  }
}

}    // namespace mlipeval
