/* -*- c++ -*- ----------------------------------------------------------
   USER-MLIPEVAL: LAMMPS's packed image flags as three integers (plain and Kokkos styles).
------------------------------------------------------------------------- */

#ifndef LMP_MLIPEVAL_IMAGE_H
#define LMP_MLIPEVAL_IMAGE_H

#include "lmptype.h"

#include "core/inline.h"

namespace LAMMPS_NS {

MLIPEVAL_RULES_BEGIN
MLIPEVAL_INLINE void image_flags(imageint image, int img[3])
{
  img[0] = (int) (image & IMGMASK) - IMGMAX;
  img[1] = (int) (image >> IMGBITS & IMGMASK) - IMGMAX;
  img[2] = (int) (image >> IMG2BITS) - IMGMAX;
}
MLIPEVAL_RULES_END

}    // namespace LAMMPS_NS

#endif
