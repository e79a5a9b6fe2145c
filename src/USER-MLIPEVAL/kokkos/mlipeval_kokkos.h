/* -*- c++ -*- ----------------------------------------------------------
   USER-MLIPEVAL: what the Kokkos styles share.
   - Device copies of the core's search structures.  The core describes them with plain
     structs of pointers (PointGridView, CellTableView); a copy here owns Kokkos views and hands
     out the same structs pointing into device memory, so the core's per-atom functions run in
     kernels unchanged.
   - ScatterAdd, the tally increment of kernels (the core's PlainAdd is the host one).
   - (LAMMPS's Kokkos type names, which drift between versions, are in mlipeval_compat.h.)
   Kokkos must come before the core: the core turns MLIPEVAL_INLINE into
   KOKKOS_INLINE_FUNCTION only when Kokkos is already seen.
------------------------------------------------------------------------- */

#ifndef LMP_MLIPEVAL_KOKKOS_H
#define LMP_MLIPEVAL_KOKKOS_H

#include "kokkos_type.h"
#include "mlipeval_compat.h"    // LAMMPS's Kokkos type names

#include <Kokkos_ScatterView.hpp>

#include "core/inline.h"
#include "core/re_analysis.h"
#include "core/sites.h"

#ifndef MLIPEVAL_INLINE_IS_KOKKOS
#error "a core header was included before Kokkos: include mlipeval_kokkos.h first"
#endif

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

// The tally increment of kernels, through a ScatterView: per-thread copies on OpenMP (no
// atomics), atomics on GPUs.  The core hands out pointers into the tally starting at `base`.
template <class DeviceType> using IntScatter = Kokkos::Experimental::ScatterView<int *, Kokkos::LayoutRight, DeviceType>;
template <class Access> struct ScatterAdd {
  const Access *access;    // the kernel's thread access (not copyable)
  const int *base;
  KOKKOS_INLINE_FUNCTION void operator()(int *p) const { (*access)(p - base) += 1; }
};

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
    return d;
  }
  // a small point set with its first search radius
  mlipeval::SparseView copy(const mlipeval::SparseView &h) { return {copy(h.grid), h.r0}; }

 private:
  View1<int, DeviceType> start, index;
  View1<double, DeviceType> s;
};

template <class DeviceType> class SiteFinderCopy {
 public:
  mlipeval::SiteFinder copy(const mlipeval::SiteFinder &h)
  {
    mlipeval::SiteFinder d = h;
    d.grid = grid.copy(h.grid);
    if (h.use_cells) {
      const size_t nvox = (size_t) h.cells.m * h.cells.m * h.cells.m;
      copy_to_device(start, h.cells.start, nvox + 1, "mlipeval:cell_start");
      copy_to_device(cand, h.cells.cand, (size_t) h.cells.start[nvox], "mlipeval:cell_cand");
      d.cells.start = start.data();
      d.cells.cand = cand.data();
    }
    return d;
  }

 private:
  GridCopy<DeviceType> grid;
  View1<int, DeviceType> start;
  View1<mlipeval::CellCandidate, DeviceType> cand;
};

}    // namespace mlipeval_kk

#endif
