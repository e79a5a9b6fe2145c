/* USER-MLIPEVAL: analysis core, free of LAMMPS types.
   MLIPEVAL_INLINE marks the per-atom functions; a Kokkos translation unit includes Kokkos
   before the core, so the same code becomes KOKKOS_FORCEINLINE_FUNCTION and runs in kernels.
   On the host they are forced inline as well: the site search, left out of line by the
   compiler, cost a call and its set-up per atom (4 % of compute re/atom's instructions).
   MLIPEVAL_OUTLINE marks the large, rare paths those functions call (the general grid search,
   the radius scan, the general tally slot): on the host they stay out of line, so that the
   common path around them keeps its values in registers (a driver of the first pass took 8 %
   less time with the grid search out of line); in Kokkos units the compiler chooses.
   MLIPEVAL_MATH is the namespace of the math functions those functions call: std on the host,
   Kokkos in Kokkos units (its functions exist on GPUs too; on the host they forward to the C
   library, so both builds compute the same numbers).
   The two builds of one rule are two different functions: MLIPEVAL_RULES_BEGIN/END put the
   rules into an inline namespace named after the build (rules_host, rules_kokkos), so that the
   plugin never holds one inline function with two bodies (an ODR violation the linker would
   resolve by picking one).  Callers name them as before (mlipeval::finish_atom); the types
   they take stay outside, shared by both builds. */
#ifndef MLIPEVAL_CORE_INLINE_H
#define MLIPEVAL_CORE_INLINE_H

#if defined(KOKKOS_INLINE_FUNCTION)
#define MLIPEVAL_INLINE KOKKOS_FORCEINLINE_FUNCTION
#define MLIPEVAL_OUTLINE KOKKOS_INLINE_FUNCTION
#define MLIPEVAL_MATH Kokkos
#define MLIPEVAL_INLINE_IS_KOKKOS 1
#define MLIPEVAL_RULES_BEGIN inline namespace rules_kokkos {
#else
#define MLIPEVAL_INLINE inline __attribute__((always_inline))
#define MLIPEVAL_OUTLINE inline __attribute__((noinline))
#define MLIPEVAL_MATH std
#define MLIPEVAL_RULES_BEGIN inline namespace rules_host {
#endif
#define MLIPEVAL_RULES_END }

#endif
