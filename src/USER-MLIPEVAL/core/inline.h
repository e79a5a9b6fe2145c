/* USER-MLIPEVAL: analysis core, free of LAMMPS types.
   MLIPEVAL_INLINE marks the per-atom functions; a Kokkos translation unit defines
   KOKKOS_INLINE_FUNCTION before including the core, so the same code runs in kernels. */
#ifndef MLIPEVAL_CORE_INLINE_H
#define MLIPEVAL_CORE_INLINE_H

#if defined(KOKKOS_INLINE_FUNCTION)
#define MLIPEVAL_INLINE KOKKOS_INLINE_FUNCTION
#else
#define MLIPEVAL_INLINE inline
#endif

#endif
