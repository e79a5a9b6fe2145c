/* ----------------------------------------------------------------------
   USER-MLIPEVAL: fix vacancy/track/kk
------------------------------------------------------------------------- */

#include "fix_vacancy_track_kokkos.h"

#include "atom_kokkos.h"
#include "atom_masks.h"
#include "mlipeval_partner.h"
#include "error.h"
#include "memory_kokkos.h"

#include "core/diffusion.h"
#include "core/re_analysis.h"
#include "mlipeval_image.h"

using namespace LAMMPS_NS;
using namespace mlipeval;
using namespace mlipeval_kk;

namespace {

template <class DeviceType> struct AtomViews {
  typename ArrayTypes<DeviceType>::t_x_array_randomread x;
  typename ArrayTypes<DeviceType>::t_int_1d_randomread mask;
  typename ArrayTypes<DeviceType>::t_imageint_1d_randomread image;
  typename ArrayTypes<DeviceType>::t_tagint_1d_randomread tag;
  KOKKOS_INLINE_FUNCTION void unwrapped(const int i, const Box &b, double u[3]) const
  {
    int img[3];
    image_flags(image[i], img);
    const double xi[3] = {x(i, 0), x(i, 1), x(i, 2)};
    unwrap(b, xi, img, u);
  }
};

template <class DeviceType> struct SetX0 {
  AtomViews<DeviceType> a;
  ViewIn<tdual_double_2d, DeviceType> x0;
  Box box;
  KOKKOS_INLINE_FUNCTION void operator()(const int i) const
  {
    double u[3];
    a.unwrapped(i, box, u);
    for (int d = 0; d < 3; ++d) x0(i, d) = u[d];
  }
};

// (sum of squared displacements, atoms) of the group
struct SquaredDisplacements {
  double sum, atoms;
};
template <class DeviceType> struct TracerMSD {
  typedef SquaredDisplacements value_type;
  AtomViews<DeviceType> a;
  ViewIn<tdual_double_2d, DeviceType> x0;
  Box box;
  int groupbit;
  KOKKOS_INLINE_FUNCTION void init(value_type &s) const { s.sum = s.atoms = 0.0; }
  KOKKOS_INLINE_FUNCTION void join(value_type &dst, const value_type &src) const
  {
    dst.sum += src.sum;
    dst.atoms += src.atoms;
  }
  KOKKOS_INLINE_FUNCTION void operator()(const int i, value_type &s) const
  {
    if (!(a.mask[i] & groupbit)) return;
    double u[3];
    a.unwrapped(i, box, u);
    const double x0i[3] = {x0(i, 0), x0(i, 1), x0(i, 2)};
    s.sum += sq_distance(u, x0i);
    s.atoms += 1.0;
  }
};

template <class DeviceType> struct FindHoppers {
  AtomViews<DeviceType> a;
  typename ComputeREAtomKokkos<DeviceType>::DeviceResults re;
  View1<int, DeviceType> from;
  View1<tagint, DeviceType> hopper;
  int nmoves, re_groupbit;
  double vacancy;
  KOKKOS_INLINE_FUNCTION void operator()(const int i) const
  {
    if (!(a.mask[i] & re_groupbit)) return;
    const int k = move_from_site(from.data(), nmoves, re.site(i));
    if (k >= 0 && re.d1(i) < vacancy) Kokkos::atomic_fetch_min(&hopper(k), a.tag[i]);
  }
};

template <class DeviceType> struct AccumulateVibration {
  AtomViews<DeviceType> a;
  typename ComputeREAtomKokkos<DeviceType>::DeviceResults re;
  View1<double, DeviceType> hist;
  SiteFinder sites;
  SparseView vac;
  Box box;
  VibrationGrid grid;
  int bits;
  KOKKOS_INLINE_FUNCTION void operator()(const int i) const
  {
    if ((a.mask[i] & bits) != bits) return;
    const int site = re.site(i);
    if (site < 0) return;
    const int cell =
        vibration_cell_on_site(grid, sites, vac.grid, vac.r0, box, site, re.r_vacancy(i), re.d1(i));
    if (cell >= 0) Kokkos::atomic_add(&hist(cell), 1.0);
  }
};

}    // namespace

template <class DeviceType>
FixVacancyTrackKokkos<DeviceType>::FixVacancyTrackKokkos(LAMMPS *lmp, int narg, char **arg) :
    FixVacancyTrack(lmp, narg, arg), cre_kk(nullptr)
{
  atomKK = (AtomKokkos *) atom;
  declare_kokkos_style<DeviceType>(*this, X_MASK | MASK_MASK | IMAGE_MASK | TAG_MASK);
  exchange_comm_device = sort_device = 1;
  // the base constructor allocated x0 on the host only: hold it in a DualView instead
  memory->destroy(x0);
  x0 = nullptr;
  grow_arrays(atom->nmax);
  d_hist = View1<double, DeviceType>("vacancy/track/kk:hist", 2 * (size_t) vib.nv * vib.ns);
}

template <class DeviceType> FixVacancyTrackKokkos<DeviceType>::~FixVacancyTrackKokkos()
{
  if (copymode) return;
  memoryKK->destroy_kokkos(k_x0, x0);    // leaves nullptr for the base destructor
}

template <class DeviceType> void FixVacancyTrackKokkos<DeviceType>::init()
{
  FixVacancyTrack::init();
  // the per-atom results are read on the device, where only the Kokkos compute keeps them
  cre_kk = mlipeval_partner::kokkos_re_atom<ComputeREAtomKokkos<DeviceType>>(error, fmt::format("Fix {}", style), cre);
}

/* ----------------------------------------------------------------------
   x0 moves with the atoms on the device (exchange, sort); where LAMMPS
   moves atoms on the host (restart, a host exchange), sync it there first
   and mark it modified there after
------------------------------------------------------------------------- */


template <class DeviceType> void FixVacancyTrackKokkos<DeviceType>::grow_arrays(int nmax)
{
  k_x0.sync_host();
  memoryKK->grow_kokkos(k_x0, x0, nmax, 3, "vacancy/track/kk:x0");
  k_x0.modify_host();
}

template <class DeviceType> void FixVacancyTrackKokkos<DeviceType>::copy_arrays(int i, int j, int delflag)
{
  k_x0.sync_host();
  FixVacancyTrack::copy_arrays(i, j, delflag);
  k_x0.modify_host();
}

template <class DeviceType> int FixVacancyTrackKokkos<DeviceType>::pack_exchange(int i, double *buf)
{
  k_x0.sync_host();
  return FixVacancyTrack::pack_exchange(i, buf);
}

template <class DeviceType> int FixVacancyTrackKokkos<DeviceType>::unpack_exchange(int nlocal, double *buf)
{
  k_x0.sync_host();
  const int n = FixVacancyTrack::unpack_exchange(nlocal, buf);
  k_x0.modify_host();
  return n;
}

template <class DeviceType> int FixVacancyTrackKokkos<DeviceType>::pack_restart(int i, double *buf)
{
  k_x0.sync_host();
  return FixVacancyTrack::pack_restart(i, buf);
}

template <class DeviceType> void FixVacancyTrackKokkos<DeviceType>::unpack_restart(int nlocal, int nth)
{
  k_x0.sync_host();
  FixVacancyTrack::unpack_restart(nlocal, nth);
  k_x0.modify_host();
}

/* ---------------------------------------------------------------------- */

namespace {
template <class DeviceType> AtomViews<DeviceType> atom_views(AtomKokkos *atomKK, ExecutionSpace space)
{
  atomKK->sync(space, X_MASK | MASK_MASK | IMAGE_MASK | TAG_MASK);
  AtomViews<DeviceType> a;
  a.x = atomKK->k_x.template view<DeviceType>();
  a.mask = atomKK->k_mask.template view<DeviceType>();
  a.image = atomKK->k_image.template view<DeviceType>();
  a.tag = atomKK->k_tag.template view<DeviceType>();
  return a;
}
}    // namespace

template <class DeviceType> void FixVacancyTrackKokkos<DeviceType>::set_x0(const Box &b)
{
  k_x0.template sync<DeviceType>();
  SetX0<DeviceType> k{atom_views<DeviceType>(atomKK, execution_space), k_x0.template view<DeviceType>(), b};
  Kokkos::parallel_for("vacancy/track/kk:x0", Kokkos::RangePolicy<DeviceType>(0, atom->nlocal), k);
  k_x0.template modify<DeviceType>();
}

template <class DeviceType> double FixVacancyTrackKokkos<DeviceType>::tracer_msd(const Box &b)
{
  k_x0.template sync<DeviceType>();
  TracerMSD<DeviceType> k;
  k.a = atom_views<DeviceType>(atomKK, execution_space);
  k.x0 = k_x0.template view<DeviceType>();
  k.box = b;
  k.groupbit = groupbit;
  SquaredDisplacements s;
  Kokkos::parallel_reduce("vacancy/track/kk:msd", Kokkos::RangePolicy<DeviceType>(0, atom->nlocal), k, s);
  const double local[2] = {s.sum, s.atoms};
  return msd_of(local);
}

template <class DeviceType>
void FixVacancyTrackKokkos<DeviceType>::find_hoppers(const std::vector<int> &from, std::vector<tagint> &hopper)
{
  FindHoppers<DeviceType> k;
  k.a = atom_views<DeviceType>(atomKK, execution_space);
  k.re = cre_kk->device_results();
  k.nmoves = (int) from.size();
  copy_to_device(k.from, from.data(), from.size(), "vacancy/track/kk:from");
  copy_to_device(k.hopper, hopper.data(), hopper.size(), "vacancy/track/kk:hopper");
  k.re_groupbit = cre->groupbit;
  k.vacancy = cre->parameters().vacancy;
  Kokkos::parallel_for("vacancy/track/kk:hoppers", Kokkos::RangePolicy<DeviceType>(0, atom->nlocal), k);
  Kokkos::View<tagint *, Kokkos::LayoutRight, Kokkos::HostSpace, Kokkos::MemoryUnmanaged> h(hopper.data(), hopper.size());
  Kokkos::deep_copy(h, k.hopper);
}

template <class DeviceType> void FixVacancyTrackKokkos<DeviceType>::accumulate_vibration(const Box &b)
{
  const std::vector<int> &vacant = cre->vacant_sites();
  if (vacant.empty()) return;
  SparseSet vs;
  vs.build(cre->vacant_positions(), b);
  AccumulateVibration<DeviceType> k;
  k.a = atom_views<DeviceType>(atomKK, execution_space);
  k.re = cre_kk->device_results();
  k.sites = cre_kk->device_finder();
  k.hist = d_hist;
  k.vac = vac_copy.copy(vs.sparse_view());
  k.box = b;
  k.grid = vib.grid(d_site);
  k.bits = groupbit | cre->groupbit;
  Kokkos::parallel_for("vacancy/track/kk:vibration", Kokkos::RangePolicy<DeviceType>(0, atom->nlocal), k);
}

// the device counts are this run's; maps may hold counts from a restart file
template <class DeviceType> void FixVacancyTrackKokkos<DeviceType>::sync_vibration()
{
  auto h = Kokkos::create_mirror_view_and_copy(Kokkos::HostSpace(), d_hist);
  vib.maps.add(h.data());
  Kokkos::deep_copy(d_hist, 0.0);
}

namespace LAMMPS_NS {
template class FixVacancyTrackKokkos<LMPDeviceType>;
#ifdef LMP_KOKKOS_GPU
template class FixVacancyTrackKokkos<LMPHostType>;
#endif
}    // namespace LAMMPS_NS
