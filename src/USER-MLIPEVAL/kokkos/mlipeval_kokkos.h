/* -*- c++ -*- ----------------------------------------------------------
   USER-MLIPEVAL: what the Kokkos styles share.
   - Device copies of the core's search structures.  The core describes them with plain
     structs of pointers (PointGridView, CellTableView); a copy here owns Kokkos views and hands
     out the same structs pointing into device memory, so the core's per-atom functions run in
     kernels unchanged.
   - AtomicAdd, the tally increment of kernels (the core's PlainAdd is the one-thread one).
   - (LAMMPS's Kokkos type names, which drift between versions, are in mlipeval_compat.h.)
   Kokkos must come before the core: the core turns MLIPEVAL_INLINE into
   KOKKOS_INLINE_FUNCTION only when Kokkos is already seen.
------------------------------------------------------------------------- */

#ifndef LMP_MLIPEVAL_KOKKOS_H
#define LMP_MLIPEVAL_KOKKOS_H

#include "kokkos_base.h"
#include "kokkos_type.h"
#include "mlipeval_compat.h"    // LAMMPS's Kokkos type names

#include <Kokkos_ScatterView.hpp>

#include "core/inline.h"
#include "core/line_source.h"
#include "core/re_analysis.h"
#include "core/sites.h"

#ifndef MLIPEVAL_INLINE_IS_KOKKOS
#error "a core header was included before Kokkos: include mlipeval_kokkos.h first"
#endif

#include <algorithm>
#include <string>
#include <type_traits>
#include <utility>

namespace mlipeval_kk {

// The view of a DualView in DeviceType's memory space: the device view, or the host view for
// the /kk/host styles of a GPU build (t_dev would be wrong there).
template <class DualViewType, class DeviceType>
using ViewIn = typename std::decay<decltype(std::declval<DualViewType &>().template view<DeviceType>())>::type;

template <class T, class DeviceType> using View1 = Kokkos::View<T *, Kokkos::LayoutRight, DeviceType>;
template <class DeviceType> using View3 = Kokkos::View<double *[3], Kokkos::LayoutRight, DeviceType>;

// What every Kokkos style declares to LAMMPS: it runs in DeviceType's execution space, reads
// the atom data in `read` there and modifies none of it.
template <class DeviceType, class Style> void declare_kokkos_style(Style &s, unsigned int read)
{
  s.kokkosable = 1;
  s.execution_space = ExecutionSpaceFromDevice<DeviceType>::space;
  s.datamask_read = read;
  s.datamask_modify = 0;    // EMPTY_MASK
}

// The tally increment of kernels on more than one thread (host threads or a GPU): an atomic add.
// Two atoms seldom tally the same site at once, so it costs little, and unlike a ScatterView's
// per-thread copies it needs no memory, clearing or summing per site and call.
struct AtomicAdd {
  KOKKOS_INLINE_FUNCTION void operator()(int *p) const { Kokkos::atomic_add(p, 1); }
};

// The host threads of Kokkos lent to the core's host loops (reading reference frames): chunks
// of `grain` items over Kokkos's default host execution space.
inline mlipeval::ParallelFor host_parallel_for(size_t grain = 4096)
{
  return [grain](size_t n, const std::function<void(size_t, size_t)> &body) {
    const size_t chunks = (n + grain - 1) / grain;
    Kokkos::parallel_for(
        "mlipeval:host_for", Kokkos::RangePolicy<Kokkos::DefaultHostExecutionSpace>(0, chunks),
        [&](const size_t c) { body(c * grain, (c + 1) * grain < n ? (c + 1) * grain : n); });
  };
}

// Copy n host values into dst, growing it when too small.
template <class T, class DeviceType>
void copy_to_device(View1<T, DeviceType> &dst, const T *src, size_t n, const char *label)
{
  if (dst.extent(0) < n) dst = View1<T, DeviceType>(Kokkos::view_alloc(Kokkos::WithoutInitializing, std::string(label)), n);
  Kokkos::View<const T *, Kokkos::LayoutRight, Kokkos::HostSpace, Kokkos::MemoryUnmanaged> h(src, n);
  Kokkos::deep_copy(Kokkos::subview(dst, std::make_pair((size_t) 0, n)), h);
}

template <class DeviceType> class GridCopy {
 public:
  mlipeval::PointGridView copy(const mlipeval::PointGridView &h)
  {
    const size_t nbins = (size_t) h.nb[0] * h.nb[1] * h.nb[2];
    copy_to_device(start, h.start, nbins + 1, "mlipeval:grid_start");
    copy_to_device(index, h.index, (size_t) h.npoints, "mlipeval:grid_index");
    copy_to_device(s, h.s, 3 * (size_t) h.npoints, "mlipeval:grid_s");
    mlipeval::PointGridView d = h;
    d.start = start.data();
    d.index = index.data();
    d.s = s.data();
    if (h.windowed) {    // the kept sites of one rank: their images in its window
      copy_to_device(im, h.im, 3 * (size_t) h.npoints, "mlipeval:grid_im");
      d.im = im.data();
    }
    if (h.type) {    // sites of sublattices
      copy_to_device(type, h.type, (size_t) h.npoints, "mlipeval:grid_type");
      d.type = type.data();
    }
    return d;
  }
  // a small point set with its first search radius
  mlipeval::SparseView copy(const mlipeval::SparseView &h) { return {copy(h.grid), h.r0}; }

 private:
  View1<int, DeviceType> start, index, type;
  View1<signed char, DeviceType> im;
  View1<double, DeviceType> s;
};

template <class DeviceType> class SiteFinderCopy {
 public:
  mlipeval::SiteFinder copy(const mlipeval::SiteFinder &h)
  {
    mlipeval::SiteFinder d = h;
    d.grid = grid.copy(h.grid);
    if (h.use_cells) {
      // one block of voxels per sublattice
      const int ntab = h.cells.tab_of ? 1 + *std::max_element(h.cells.tab_of + 1, h.cells.tab_of + h.cells.ntypes + 1) : 1;
      const size_t nvox = (size_t) ntab * h.cells.m * h.cells.m * h.cells.m;
      copy_to_device(start, h.cells.start, nvox + 1, "mlipeval:cell_start");
      copy_to_device(cand, h.cells.cand, (size_t) h.cells.start[nvox], "mlipeval:cell_cand");
      copy_to_device(basis, h.cells.basis, 3 * (size_t) h.cells.nbasis, "mlipeval:cell_basis");
      d.cells.start = start.data();
      copy_to_device(sure, h.cells.sure, nvox, "mlipeval:cell_sure");
      d.cells.cand = cand.data();
      d.cells.sure = sure.data();
      d.cells.basis = basis.data();
      if (h.cells.tab_of) {
        copy_to_device(tab_of, h.cells.tab_of, (size_t) h.cells.ntypes + 1, "mlipeval:cell_tab_of");
        copy_to_device(btype, h.cells.btype, (size_t) h.cells.nbasis, "mlipeval:cell_btype");
        d.cells.tab_of = tab_of.data();
        d.cells.btype = btype.data();
      }
    } else {    // the stored positions this rank keeps, and their site indices when only some
      copy_to_device(frac, h.frac, 3 * (size_t) h.nstored, "mlipeval:site_frac");
      d.frac = frac.data();
      if (h.gid) {
        copy_to_device(gid, h.gid, (size_t) h.nstored, "mlipeval:site_gid");
        d.gid = gid.data();
      }
    }
    return d;
  }

 private:
  GridCopy<DeviceType> grid;
  View1<int, DeviceType> start, gid, tab_of, btype;
  View1<double, DeviceType> frac;
  View1<mlipeval::CellCandidate, DeviceType> cand;
  View1<unsigned char, DeviceType> sure;
  View1<double, DeviceType> basis;
};

/* Per-atom state of a fix (a DualView of nmax x width doubles) moved with its atoms on the
   device, so that LAMMPS's Kokkos exchange and sort stay there (the fix sets
   exchange_comm_device and sort_device and forwards KokkosBase's calls here), as LAMMPS's own
   fix spring/self/kk does for its reference positions.  Exchange buffer of nsend atoms: nsend
   offsets, then width values per atom. */
using LAMMPS_NS::ExecutionSpace;
using LAMMPS_NS::KokkosBase;

template <class DeviceType> struct PackPerAtom {
  ViewIn<tdual_double_2d, DeviceType> values;
  typename ArrayTypes<DeviceType>::t_xfloat_1d_um buf;
  typename ArrayTypes<DeviceType>::t_int_1d sendlist, copylist;
  int nsend, width;
  KOKKOS_INLINE_FUNCTION void operator()(const int k) const
  {
    const int i = sendlist(k);
    int m = nsend + k * width;
    buf(k) = m;
    for (int c = 0; c < width; ++c) buf(m++) = values(i, c);
    // the atom that fills the sent atom's slot (LAMMPS never sends that one)
    const int j = copylist(k);
    if (j > -1)
      for (int c = 0; c < width; ++c) values(i, c) = values(j, c);
  }
};

template <class DeviceType> struct UnpackPerAtom {
  ViewIn<tdual_double_2d, DeviceType> values;
  typename ArrayTypes<DeviceType>::t_xfloat_1d_um buf;
  typename ArrayTypes<DeviceType>::t_int_1d indices;
  int nrecv1, nextrarecv1, width;
  KOKKOS_INLINE_FUNCTION void operator()(const int k) const
  {
    const int i = indices(k);
    if (i < 0) return;
    // a second buffer (from the other neighbour) starts at nextrarecv1 with its own offsets
    int m = k < nrecv1 ? (int) buf(k) : nextrarecv1 + (int) buf(nextrarecv1 + k - nrecv1);
    for (int c = 0; c < width; ++c) values(i, c) = buf(m++);
  }
};

template <class DeviceType> struct DevicePerAtom {
  // returns the number of buffer values it filled
  static int pack(tdual_double_2d &values, int width, int nsend, DAT::tdual_xfloat_2d &k_buf,
                  DAT::tdual_int_1d k_sendlist, DAT::tdual_int_1d k_copylist, ExecutionSpace space)
  {
    k_buf.template sync<DeviceType>();
    k_sendlist.template sync<DeviceType>();
    k_copylist.template sync<DeviceType>();
    values.template sync<DeviceType>();
    PackPerAtom<DeviceType> p;
    p.values = values.template view<DeviceType>();
    p.buf = flat(k_buf);
    p.sendlist = k_sendlist.template view<DeviceType>();
    p.copylist = k_copylist.template view<DeviceType>();
    p.nsend = nsend;
    p.width = width;
    Kokkos::parallel_for("mlipeval:pack_exchange", Kokkos::RangePolicy<DeviceType>(0, nsend), p);
    values.template modify<DeviceType>();
    k_buf.template modify<DeviceType>();
    if (space == LAMMPS_NS::Host) k_buf.template sync<LMPHostType>();
    else k_buf.template sync<LMPDeviceType>();
    return nsend * (width + 1);
  }
  static void unpack(tdual_double_2d &values, int width, DAT::tdual_xfloat_2d &k_buf, DAT::tdual_int_1d &k_indices,
                     int nrecv, int nrecv1, int nextrarecv1)
  {
    k_buf.template sync<DeviceType>();
    k_indices.template sync<DeviceType>();
    values.template sync<DeviceType>();
    UnpackPerAtom<DeviceType> u;
    u.values = values.template view<DeviceType>();
    u.buf = flat(k_buf);
    u.indices = k_indices.template view<DeviceType>();
    u.nrecv1 = nrecv1;
    u.nextrarecv1 = nextrarecv1;
    u.width = width;
    Kokkos::parallel_for("mlipeval:unpack_exchange", Kokkos::RangePolicy<DeviceType>(0, nrecv), u);
    values.template modify<DeviceType>();
  }
  // LAMMPS sorts on the device whatever the fix's execution space
  static void sort(tdual_double_2d &values, Kokkos::BinSort<KokkosBase::KeyViewType, KokkosBase::BinOp> &sorter)
  {
    values.sync_device();
    sorter.sort(LMPDeviceType(), values.d_view);
    values.modify_device();
  }

 private:
  static typename ArrayTypes<DeviceType>::t_xfloat_1d_um flat(DAT::tdual_xfloat_2d &k_buf)
  {
    return typename ArrayTypes<DeviceType>::t_xfloat_1d_um(k_buf.template view<DeviceType>().data(),
                                                          k_buf.extent(0) * k_buf.extent(1));
  }
};

// A Kokkos fix whose per-atom state (one DualView, width doubles per atom) moves with its atoms
// in LAMMPS's Kokkos exchange and sort: the fix names its state, this forwards KokkosBase's calls
// to DevicePerAtom.  (The fix also sets exchange_comm_device and sort_device.)
template <class DeviceType> class PerAtomOnDevice : public KokkosBase {
 public:
  int pack_exchange_kokkos(const int &nsend, DAT::tdual_xfloat_2d &buf, DAT::tdual_int_1d sendlist,
                           DAT::tdual_int_1d copylist, ExecutionSpace space) override
  {
    return DevicePerAtom<DeviceType>::pack(per_atom_state(), per_atom_width(), nsend, buf, sendlist, copylist, space);
  }
  void unpack_exchange_kokkos(DAT::tdual_xfloat_2d &buf, DAT::tdual_int_1d &indices, int nrecv, int nrecv1,
                              int nextrarecv1, ExecutionSpace) override
  {
    DevicePerAtom<DeviceType>::unpack(per_atom_state(), per_atom_width(), buf, indices, nrecv, nrecv1, nextrarecv1);
  }
  void sort_kokkos(Kokkos::BinSort<KeyViewType, BinOp> &sorter) override
  {
    DevicePerAtom<DeviceType>::sort(per_atom_state(), sorter);
  }

 protected:
  virtual tdual_double_2d &per_atom_state() = 0;
  virtual int per_atom_width() const = 0;
};

}    // namespace mlipeval_kk

#endif
