/* USER-MLIPEVAL: analysis core, free of LAMMPS types.
   MLIPEVAL_INLINE marks the per-atom functions; a Kokkos translation unit includes Kokkos
   before the core, so the same code becomes KOKKOS_INLINE_FUNCTION and runs in kernels.
   MLIPEVAL_MATH is the namespace of the math functions those functions call: std on the host,
   Kokkos::Experimental in Kokkos units (its functions also exist on GPUs; on the host they
   forward to std, so both builds compute the same numbers). */
#ifndef MLIPEVAL_CORE_INLINE_H
#define MLIPEVAL_CORE_INLINE_H

#if defined(KOKKOS_INLINE_FUNCTION)
#define MLIPEVAL_INLINE KOKKOS_INLINE_FUNCTION
#define MLIPEVAL_MATH Kokkos::Experimental
#define MLIPEVAL_INLINE_IS_KOKKOS 1
#else
#define MLIPEVAL_INLINE inline
#define MLIPEVAL_MATH std
#endif

#endif
