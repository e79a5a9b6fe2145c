/* ----------------------------------------------------------------------
   USER-MLIPEVAL: compute interstitial/type/kk
------------------------------------------------------------------------- */

#include "compute_interstitial_type_kokkos.h"

#include "atom_kokkos.h"
#include "atom_masks.h"
#include "mlipeval_partner.h"
#include "error.h"
#include "memory_kokkos.h"

#include "core/defect_rules.h"

#include <algorithm>
#include <array>

using namespace LAMMPS_NS;
using namespace mlipeval;
using namespace mlipeval_kk;

namespace {

typedef Kokkos::LayoutRight Right;

// The index of value in the increasing first n entries of v, -1 when it is not there.
template <class V, class T> KOKKOS_INLINE_FUNCTION int find_sorted(const V &v, int n, const T value)
{
  int lo = 0, hi = n;
  while (lo < hi) {
    const int mid = (lo + hi) / 2;
    if (v(mid) < value) lo = mid + 1;
    else hi = mid;
  }
  return lo < n && v(lo) == value ? lo : -1;
}

// The lists below are short (the atoms of a few defects): a kernel writes each row into the
// next free slot of `out` (an atomic counter) and counts the rows that did not fit; the host sorts
// them, so that their order is the same whatever the threads did.

// rows (tag, site, f0, f1, f2) of the atoms on sites held by two or more atoms
template <class DeviceType> struct PackCrowded {
  typename ArrayTypes<DeviceType>::t_int_1d_randomread mask;
  typename ArrayTypes<DeviceType>::t_tagint_1d_randomread tag;
  typename ComputeREAtomKokkos<DeviceType>::DeviceResults re;
  View3<DeviceType> frac;
  View1<int, DeviceType> crowded;    // increasing
  Kokkos::View<double **, Right, DeviceType> out;
  View1<int, DeviceType> count;
  int ncrowded, groupbit;
  KOKKOS_INLINE_FUNCTION void operator()(const int i) const
  {
    if (!(mask[i] & groupbit)) return;
    const int s = re.site(i);
    if (s < 0 || find_sorted(crowded, ncrowded, s) < 0) return;
    const int slot = Kokkos::atomic_fetch_add(&count(0), 1);
    if (slot >= (int) out.extent(0)) return;
    out(slot, 0) = tag[i];
    out(slot, 1) = s;
    for (int d = 0; d < 3; ++d) out(slot, 2 + d) = frac(i, d);
  }
};

// rows (defect, tag, dx, dy, dz) of the atoms within the cutoff of a defect centre
template <class DeviceType> struct PackNear {
  typename ArrayTypes<DeviceType>::t_int_1d_randomread mask;
  typename ArrayTypes<DeviceType>::t_tagint_1d_randomread tag;
  View3<DeviceType> frac;
  View1<double, DeviceType> mids;
  SparseView centres;
  Kokkos::View<double **, Right, DeviceType> out;
  View1<int, DeviceType> count;
  Box box;
  double cutoff;
  int ncentres, groupbit;
  KOKKOS_INLINE_FUNCTION void operator()(const int i) const
  {
    if (!(mask[i] & groupbit)) return;
    const double f[3] = {frac(i, 0), frac(i, 1), frac(i, 2)};
    const int cap = (int) out.extent(0);
    const double t = tag[i];
    auto add = [&](int k, const double dx[3]) {
      const int slot = Kokkos::atomic_fetch_add(&count(0), 1);
      if (slot >= cap) return;
      out(slot, 0) = k;
      out(slot, 1) = t;
      for (int d = 0; d < 3; ++d) out(slot, 2 + d) = dx[d];
    };
    for_each_centre(centres, mids.data(), ncentres, box, f, cutoff, add);
  }
};

template <class DeviceType> struct SetCodes {
  typename ArrayTypes<DeviceType>::t_tagint_1d_randomread tag;
  View1<tagint, DeviceType> tags;    // sorted
  View1<int, DeviceType> types;
  ViewIn<tdual_double_1d, DeviceType> codes;
  int n;
  KOKKOS_INLINE_FUNCTION void operator()(const int i) const
  {
    const int k = find_sorted(tags, n, tag[i]);
    codes(i) = k >= 0 ? types(k) : 0.0;
  }
};

}    // namespace

template <class DeviceType>
ComputeInterstitialTypeKokkos<DeviceType>::ComputeInterstitialTypeKokkos(LAMMPS *lmp, int narg, char **arg) :
    ComputeInterstitialType(lmp, narg, arg), cre_kk(nullptr)
{
  atomKK = (AtomKokkos *) atom;
  declare_kokkos_style<DeviceType>(*this, MASK_MASK | TAG_MASK);
}

template <class DeviceType> ComputeInterstitialTypeKokkos<DeviceType>::~ComputeInterstitialTypeKokkos()
{
  if (copymode) return;
  memoryKK->destroy_kokkos(k_codes, codes);    // leaves nullptr for the base destructor
}

template <class DeviceType> void ComputeInterstitialTypeKokkos<DeviceType>::init()
{
  ComputeInterstitialType::init();
  // sites, occupancies and fractional positions are read on the device
  cre_kk = mlipeval_partner::kokkos_re_atom<ComputeREAtomKokkos<DeviceType>>(error, fmt::format("Compute {}", style), cre);
}

template <class DeviceType> void ComputeInterstitialTypeKokkos<DeviceType>::grow_codes()
{
  memoryKK->destroy_kokkos(k_codes, codes);
  nmax = atom->nmax;
  memoryKK->create_kokkos(k_codes, codes, nmax, "interstitial/type/kk:codes");
  vector_atom = codes;
}

// The rows a packing kernel writes, flattened and sorted on the host.  When they did not all fit,
// the list grows and the kernel runs again (the size grows to the largest seen).
template <class DeviceType, class Pack>
static std::vector<double> pack_rows(Pack &k, Kokkos::View<double **, Right, DeviceType> &list,
                                     View1<int, DeviceType> &count, int nlocal, const char *label)
{
  if (count.extent(0) == 0) count = View1<int, DeviceType>(std::string(label) + ":count", 1);
  int n = 0;
  for (;;) {
    Kokkos::deep_copy(count, 0);
    k.out = list;
    k.count = count;
    Kokkos::parallel_for(label, Kokkos::RangePolicy<DeviceType>(0, nlocal), k);
    n = Kokkos::create_mirror_view_and_copy(Kokkos::HostSpace(), count)(0);
    if (n <= (int) list.extent(0)) break;
    list = Kokkos::View<double **, Right, DeviceType>(std::string(label), std::max(2 * (int) list.extent(0), n), 5);
  }
  static_assert(sizeof(std::array<double, 5>) == 5 * sizeof(double), "rows are read as one n x 5 array");
  std::vector<std::array<double, 5>> rows(n);
  if (n > 0) {
    Kokkos::View<double **, Right, Kokkos::HostSpace, Kokkos::MemoryUnmanaged> h(rows[0].data(), n, 5);
    Kokkos::deep_copy(h, Kokkos::subview(list, std::make_pair(0, n), Kokkos::ALL()));
  }
  std::sort(rows.begin(), rows.end());
  std::vector<double> out;
  out.reserve(5 * (size_t) n);
  for (const auto &r : rows) out.insert(out.end(), r.begin(), r.end());
  return out;
}

template <class DeviceType> std::vector<double> ComputeInterstitialTypeKokkos<DeviceType>::crowded_atoms(const Box &)
{
  atomKK->sync(execution_space, MASK_MASK | TAG_MASK);
  PackCrowded<DeviceType> k;
  k.mask = atomKK->k_mask.template view<DeviceType>();
  k.tag = atomKK->k_tag.template view<DeviceType>();
  k.re = cre_kk->device_results();
  k.frac = cre_kk->d_frac;
  k.crowded = cre_kk->d_crowded;
  k.ncrowded = (int) cre->crowded_sites().size();
  k.groupbit = cre->groupbit;
  return pack_rows<DeviceType>(k, d_list, d_count, atom->nlocal, "interstitial/type/kk:crowded");
}

template <class DeviceType>
std::vector<double> ComputeInterstitialTypeKokkos<DeviceType>::atoms_near(const Box &b, const std::vector<double> &mids)
{
  atomKK->sync(execution_space, MASK_MASK | TAG_MASK);
  PackNear<DeviceType> k;
  k.mask = atomKK->k_mask.template view<DeviceType>();
  k.tag = atomKK->k_tag.template view<DeviceType>();
  k.frac = cre_kk->d_frac;
  copy_to_device(k.mids, mids.data(), mids.size(), "interstitial/type/kk:mids");
  k.ncentres = (int) mids.size() / 3;
  k.centres = {PointGridView(), 0.0};    // few centres are compared one by one
  if (k.ncentres > FEW_POINTS) {
    SparseSet centres;
    centres.build(mids, b);
    k.centres = centre_copy.copy(centres.sparse_view());
  }
  k.box = b;
  k.cutoff = cutoff;
  k.groupbit = cre->groupbit;
  return pack_rows<DeviceType>(k, d_list, d_count, atom->nlocal, "interstitial/type/kk:near");
}

template <class DeviceType>
void ComputeInterstitialTypeKokkos<DeviceType>::set_codes(const std::vector<std::pair<tagint, int>> &tag_types)
{
  std::vector<std::pair<tagint, int>> sorted(tag_types);
  std::sort(sorted.begin(), sorted.end());
  std::vector<tagint> tags;
  std::vector<int> types;
  for (const auto &tt : sorted) {
    tags.push_back(tt.first);
    types.push_back(tt.second);
  }
  SetCodes<DeviceType> k;
  k.tag = atomKK->k_tag.template view<DeviceType>();
  copy_to_device(k.tags, tags.data(), tags.size(), "interstitial/type/kk:tags");
  copy_to_device(k.types, types.data(), types.size(), "interstitial/type/kk:types");
  k.codes = k_codes.template view<DeviceType>();
  k.n = (int) tags.size();
  Kokkos::parallel_for("interstitial/type/kk:codes", Kokkos::RangePolicy<DeviceType>(0, atom->nlocal), k);
  k_codes.template modify<DeviceType>();
  k_codes.template sync<LMPHostType>();
}

namespace LAMMPS_NS {
template class ComputeInterstitialTypeKokkos<LMPDeviceType>;
#ifdef LMP_KOKKOS_GPU
template class ComputeInterstitialTypeKokkos<LMPHostType>;
#endif
}    // namespace LAMMPS_NS
