# The analysis core (no LAMMPS types) and the plugin that adapts it to LAMMPS styles.
set(MLIPEVAL_SRC ${PROJECT_SOURCE_DIR}/src/USER-MLIPEVAL)

file(GLOB MLIPEVAL_CORE_SOURCES CONFIGURE_DEPENDS ${MLIPEVAL_SRC}/core/*.cpp)
add_library(mlipeval_core STATIC ${MLIPEVAL_CORE_SOURCES})
target_include_directories(mlipeval_core PUBLIC ${MLIPEVAL_SRC})
# Eigen 3 (Debian's libeigen3-dev) for the Kabsch rotations of the template matching
find_package(Eigen3 3.3 REQUIRED NO_MODULE)
target_link_libraries(mlipeval_core PUBLIC Eigen3::Eigen)
target_compile_options(mlipeval_core PRIVATE -Wall -Wextra)

# LAMMPS compiles with these; the plugin shares its class layouts, so it must match them
set(MLIPEVAL_LAMMPS_DEFS LAMMPS_SMALLBIG LAMMPS_MEMALIGN=64 LMP_PLUGIN)
# API features of this LAMMPS, for src/USER-MLIPEVAL/mlipeval_compat.h
file(READ ${LAMMPS_SOURCE_DIR}/modify.h MLIPEVAL_MODIFY_H)
if(MLIPEVAL_MODIFY_H MATCHES "get_compute_by_id")
  list(APPEND MLIPEVAL_LAMMPS_DEFS MLIPEVAL_HAVE_GET_BY_ID)
endif()
file(READ ${LAMMPS_SOURCE_DIR}/domain.h MLIPEVAL_DOMAIN_H)
if(MLIPEVAL_DOMAIN_H MATCHES "triclinic_general")
  list(APPEND MLIPEVAL_LAMMPS_DEFS MLIPEVAL_HAVE_TRICLINIC_GENERAL)
endif()

file(GLOB MLIPEVAL_STYLE_SOURCES CONFIGURE_DEPENDS ${MLIPEVAL_SRC}/*.cpp)
list(REMOVE_ITEM MLIPEVAL_STYLE_SOURCES ${MLIPEVAL_SRC}/mlipevalplugin.cpp)
add_library(mlipeval_styles OBJECT ${MLIPEVAL_STYLE_SOURCES})
target_include_directories(mlipeval_styles PUBLIC ${LAMMPS_SOURCE_DIR} ${MLIPEVAL_SRC})
target_compile_definitions(mlipeval_styles PUBLIC ${MLIPEVAL_LAMMPS_DEFS})
target_link_libraries(mlipeval_styles PUBLIC MPI::MPI_CXX mlipeval_core)
target_compile_options(mlipeval_styles PRIVATE -Wall)

function(mlipeval_add_plugin name)
  add_library(${name} MODULE ${MLIPEVAL_SRC}/mlipevalplugin.cpp $<TARGET_OBJECTS:mlipeval_styles>)
  target_link_libraries(${name} PRIVATE mlipeval_styles)
  # LAMMPS symbols come from the executable or liblammps that loads the plugin
  set_target_properties(${name} PROPERTIES PREFIX "" SUFFIX ".so" LINK_FLAGS "-rdynamic")
endfunction()
mlipeval_add_plugin(mlipevalplugin)

# build/lmp: the project's LAMMPS with the plugin auto-loaded
if(LAMMPS_BINARY_DIR AND EXISTS "${LAMMPS_BINARY_DIR}/lmp")
  set(MLIPEVAL_PLUGIN_DIR ${CMAKE_BINARY_DIR})
  get_filename_component(MLIPEVAL_LAMMPS_POTENTIALS "${LAMMPS_SOURCE_DIR}/../potentials" ABSOLUTE)
  configure_file(${PROJECT_SOURCE_DIR}/cmake/lmp.in ${CMAKE_BINARY_DIR}/lmp @ONLY
                 FILE_PERMISSIONS OWNER_READ OWNER_WRITE OWNER_EXECUTE GROUP_READ GROUP_EXECUTE
                                  WORLD_READ WORLD_EXECUTE)
endif()
