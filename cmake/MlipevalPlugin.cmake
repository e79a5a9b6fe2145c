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

# The /kk styles, when the LAMMPS build has the KOKKOS package.  They compile against the
# Kokkos that LAMMPS was built with and link its shared libkokkoscore: the process then holds one
# Kokkos (a second, static copy in the plugin double-frees at exit).
set(MLIPEVAL_KOKKOS OFF)
if(LAMMPS_BINARY_DIR AND EXISTS "${LAMMPS_BINARY_DIR}/CMakeCache.txt")
  load_cache(${LAMMPS_BINARY_DIR} READ_WITH_PREFIX LMP_ PKG_KOKKOS EXTERNAL_KOKKOS Kokkos_DIR)
  if(LMP_PKG_KOKKOS)
    if(NOT LMP_EXTERNAL_KOKKOS OR NOT LMP_Kokkos_DIR)
      message(WARNING "This LAMMPS has KOKKOS from its bundled lib/kokkos; the /kk styles need a LAMMPS "
                      "built with EXTERNAL_KOKKOS=on and Kokkos_DIR (cmake/setup-lammps.sh 2021kk): not built")
    else()
      find_package(Kokkos REQUIRED CONFIG PATHS ${LMP_Kokkos_DIR} NO_DEFAULT_PATH)
      set(MLIPEVAL_KOKKOS ON)
    endif()
  endif()
endif()
message(STATUS "USER-MLIPEVAL Kokkos styles: ${MLIPEVAL_KOKKOS}")
if(MLIPEVAL_KOKKOS)
  file(GLOB MLIPEVAL_KOKKOS_SOURCES CONFIGURE_DEPENDS ${MLIPEVAL_SRC}/kokkos/*.cpp)
  add_library(mlipeval_kokkos OBJECT ${MLIPEVAL_KOKKOS_SOURCES})
  target_include_directories(mlipeval_kokkos PUBLIC ${LAMMPS_SOURCE_DIR}/KOKKOS ${MLIPEVAL_SRC}/kokkos)
  target_compile_definitions(mlipeval_kokkos PUBLIC LMP_KOKKOS MLIPEVAL_KOKKOS)
  target_link_libraries(mlipeval_kokkos PUBLIC mlipeval_styles Kokkos::kokkos)
  target_compile_options(mlipeval_kokkos PRIVATE -Wall)
endif()

# name: the plugin module; extra arguments are compile definitions of the registration file
function(mlipeval_add_plugin name)
  set(objects $<TARGET_OBJECTS:mlipeval_styles>)
  if(MLIPEVAL_KOKKOS)
    list(APPEND objects $<TARGET_OBJECTS:mlipeval_kokkos>)
  endif()
  add_library(${name} MODULE ${MLIPEVAL_SRC}/mlipevalplugin.cpp ${objects})
  target_link_libraries(${name} PRIVATE mlipeval_styles)
  if(MLIPEVAL_KOKKOS)
    target_link_libraries(${name} PRIVATE mlipeval_kokkos)
  endif()
  target_compile_definitions(${name} PRIVATE ${ARGN})
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
