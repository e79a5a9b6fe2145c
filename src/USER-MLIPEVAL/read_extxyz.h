/* -*- c++ -*- ----------------------------------------------------------
   USER-MLIPEVAL: command read_extxyz
   Replaces the atoms and the box with one frame of an extended xyz file, so that one input
   can loop over a data set whose atom count varies from frame to frame.
------------------------------------------------------------------------- */

#ifndef LMP_MLIPEVAL_READ_EXTXYZ_H
#define LMP_MLIPEVAL_READ_EXTXYZ_H

#include "command.h"

namespace LAMMPS_NS {

class ReadExtxyz : public Command {
 public:
  ReadExtxyz(class LAMMPS *lmp) : Command(lmp) {}
  void command(int, char **) override;
};

}    // namespace LAMMPS_NS

#endif
