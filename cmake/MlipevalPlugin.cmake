# The analysis core (no LAMMPS types) and the plugin that adapts it to LAMMPS styles.
set(MLIPEVAL_SRC ${PROJECT_SOURCE_DIR}/src/USER-MLIPEVAL)

file(GLOB MLIPEVAL_CORE_SOURCES CONFIGURE_DEPENDS ${MLIPEVAL_SRC}/core/*.cpp)
add_library(mlipeval_core STATIC ${MLIPEVAL_CORE_SOURCES})
target_include_directories(mlipeval_core PUBLIC ${MLIPEVAL_SRC})
# Eigen 3 (Debian's libeigen3-dev) for the Kabsch rotations of the template matching
find_package(Eigen3 3.3 REQUIRED NO_MODULE)
target_link_libraries(mlipeval_core PUBLIC Eigen3::Eigen)
# -fno-math-errno: nothing here reads errno, and without it every sqrt of the per-atom loops
# carries a branch to the library call that would set it
target_compile_options(mlipeval_core PRIVATE -Wall -Wextra -fno-math-errno)

# LAMMPS compiles with these; the plugin shares its class layouts, so it must match them: the
# integer sizes (LAMMPS_SIZES) and the alignment come from that LAMMPS build's CMakeCache
set(MLIPEVAL_LAMMPS_SIZES smallbig)
set(MLIPEVAL_LAMMPS_MEMALIGN 64)
if(LAMMPS_BINARY_DIR AND EXISTS "${LAMMPS_BINARY_DIR}/CMakeCache.txt")
  load_cache(${LAMMPS_BINARY_DIR} READ_WITH_PREFIX LMP_ LAMMPS_SIZES LAMMPS_MEMALIGN PKG_KOKKOS EXTERNAL_KOKKOS
             DOWNLOAD_KOKKOS Kokkos_DIR Kokkos_ENABLE_CUDA)
  if(LMP_LAMMPS_SIZES)
    string(TOLOWER "${LMP_LAMMPS_SIZES}" MLIPEVAL_LAMMPS_SIZES)
  endif()
  if(LMP_LAMMPS_MEMALIGN)
    set(MLIPEVAL_LAMMPS_MEMALIGN ${LMP_LAMMPS_MEMALIGN})
  endif()
else()
  message(WARNING "No CMakeCache.txt in LAMMPS_BINARY_DIR='${LAMMPS_BINARY_DIR}': assuming LAMMPS_SIZES=smallbig "
                  "and LAMMPS_MEMALIGN=64; a LAMMPS built otherwise will not load this plugin correctly")
endif()
if(NOT MLIPEVAL_LAMMPS_SIZES MATCHES "^(smallbig|bigbig|smallsmall)$")
  message(FATAL_ERROR "LAMMPS_SIZES '${MLIPEVAL_LAMMPS_SIZES}' of the LAMMPS build is not smallbig, bigbig or smallsmall")
endif()
string(TOUPPER "LAMMPS_${MLIPEVAL_LAMMPS_SIZES}" MLIPEVAL_SIZES_DEF)
message(STATUS "USER-MLIPEVAL: LAMMPS integer sizes ${MLIPEVAL_LAMMPS_SIZES}, memory alignment ${MLIPEVAL_LAMMPS_MEMALIGN}")
set(MLIPEVAL_LAMMPS_DEFS ${MLIPEVAL_SIZES_DEF} LAMMPS_MEMALIGN=${MLIPEVAL_LAMMPS_MEMALIGN} LMP_PLUGIN)
# API features of this LAMMPS, for src/USER-MLIPEVAL/mlipeval_compat.h
file(READ ${LAMMPS_SOURCE_DIR}/modify.h MLIPEVAL_MODIFY_H)
if(MLIPEVAL_MODIFY_H MATCHES "get_compute_by_id")
  list(APPEND MLIPEVAL_LAMMPS_DEFS MLIPEVAL_HAVE_GET_BY_ID)
endif()
file(READ ${LAMMPS_SOURCE_DIR}/domain.h MLIPEVAL_DOMAIN_H)
if(MLIPEVAL_DOMAIN_H MATCHES "triclinic_general")
  list(APPEND MLIPEVAL_LAMMPS_DEFS MLIPEVAL_HAVE_TRICLINIC_GENERAL)
endif()

# what compiling a style needs (LAMMPS's headers and definitions, MPI, the core's headers),
# apart from the objects: the /kk objects take this too without waiting for the plain ones
add_library(mlipeval_style_usage INTERFACE)
target_include_directories(mlipeval_style_usage INTERFACE ${LAMMPS_SOURCE_DIR} ${MLIPEVAL_SRC})
target_compile_definitions(mlipeval_style_usage INTERFACE ${MLIPEVAL_LAMMPS_DEFS})
target_link_libraries(mlipeval_style_usage INTERFACE MPI::MPI_CXX Eigen3::Eigen)

file(GLOB MLIPEVAL_STYLE_SOURCES CONFIGURE_DEPENDS ${MLIPEVAL_SRC}/*.cpp)
list(REMOVE_ITEM MLIPEVAL_STYLE_SOURCES ${MLIPEVAL_SRC}/mlipevalplugin.cpp)
add_library(mlipeval_styles OBJECT ${MLIPEVAL_STYLE_SOURCES})
target_link_libraries(mlipeval_styles PUBLIC mlipeval_style_usage mlipeval_core)
target_compile_options(mlipeval_styles PRIVATE -Wall -fno-math-errno)

# The /kk styles, when the LAMMPS build has the KOKKOS package, whichever way it got Kokkos:
#  - external (EXTERNAL_KOKKOS, Kokkos_DIR): that installed Kokkos;
#  - downloaded (DOWNLOAD_KOKKOS): the copy LAMMPS installed into its build tree;
#  - bundled (lib/kokkos of the LAMMPS tree): its headers there and its configuration in the
#    build tree.
# The process must hold one Kokkos.  A shared Kokkos library (external) is linked: the same
# file LAMMPS loads.  A static one (downloaded, bundled, or a static external build) lives
# inside liblammps: the plugin then compiles against its headers and options only and takes the
# runtime from liblammps when it is loaded (a second static copy double-frees at exit).
# MLIPEVAL_KOKKOS_DIR (a KokkosConfig.cmake folder) compiles the /kk styles against that Kokkos
# whatever the LAMMPS build: the CUDA compile check (cmake/cuda-compile-check.sh) uses it with
# a CUDA Kokkos and nvcc_wrapper, building target mlipeval_kokkos only.
set(MLIPEVAL_KOKKOS_DIR "" CACHE PATH "Compile the /kk styles against the Kokkos configured here (compile checks)")
set(MLIPEVAL_KOKKOS OFF)
if(LMP_PKG_KOKKOS OR MLIPEVAL_KOKKOS_DIR)
  set(kokkos_config "")
  if(MLIPEVAL_KOKKOS_DIR)
    set(kokkos_config ${MLIPEVAL_KOKKOS_DIR})
    set(kokkos_how "Kokkos in ${MLIPEVAL_KOKKOS_DIR} (MLIPEVAL_KOKKOS_DIR)")
  elseif(LMP_EXTERNAL_KOKKOS)
    if(NOT LMP_Kokkos_DIR)
      message(FATAL_ERROR "The LAMMPS in ${LAMMPS_BINARY_DIR} uses an external Kokkos, but its CMakeCache names no "
                          "Kokkos_DIR: configure that LAMMPS with -D Kokkos_DIR=<Kokkos install>/lib/cmake/Kokkos")
    endif()
    set(kokkos_config ${LMP_Kokkos_DIR})
    set(kokkos_how "external Kokkos in ${LMP_Kokkos_DIR}")
  elseif(LMP_DOWNLOAD_KOKKOS)
    set(kokkos_config ${LAMMPS_BINARY_DIR}/kokkos_build-prefix/lib/cmake/Kokkos)
    set(kokkos_how "Kokkos downloaded by LAMMPS (DOWNLOAD_KOKKOS)")
    if(NOT EXISTS ${kokkos_config}/KokkosConfig.cmake)
      message(FATAL_ERROR "The LAMMPS in ${LAMMPS_BINARY_DIR} downloads Kokkos, but ${kokkos_config} holds no "
                          "KokkosConfig.cmake: build that LAMMPS first")
    endif()
  endif()
  if(kokkos_config)
    find_package(Kokkos REQUIRED CONFIG PATHS ${kokkos_config} NO_DEFAULT_PATH)
    get_target_property(kokkos_core_type Kokkos::kokkoscore TYPE)
    add_library(mlipeval_kokkos_runtime INTERFACE)
    if(kokkos_core_type STREQUAL "SHARED_LIBRARY")
      target_link_libraries(mlipeval_kokkos_runtime INTERFACE Kokkos::kokkos)
    else()
      foreach(part kokkoscore kokkoscontainers kokkosalgorithms kokkossimd)
        if(TARGET Kokkos::${part})
          target_include_directories(mlipeval_kokkos_runtime SYSTEM INTERFACE
            $<TARGET_PROPERTY:Kokkos::${part},INTERFACE_INCLUDE_DIRECTORIES>)
          target_compile_options(mlipeval_kokkos_runtime INTERFACE
            $<TARGET_PROPERTY:Kokkos::${part},INTERFACE_COMPILE_OPTIONS>)
          target_compile_definitions(mlipeval_kokkos_runtime INTERFACE
            $<TARGET_PROPERTY:Kokkos::${part},INTERFACE_COMPILE_DEFINITIONS>)
        endif()
      endforeach()
      if(TARGET OpenMP::OpenMP_CXX)
        target_link_libraries(mlipeval_kokkos_runtime INTERFACE OpenMP::OpenMP_CXX)    # flags; libgomp is shared
      endif()
    endif()
  else()
    # bundled: lib/kokkos beside src/, configured into the LAMMPS build tree
    get_filename_component(kokkos_src "${LAMMPS_SOURCE_DIR}/../lib/kokkos" ABSOLUTE)
    set(kokkos_bin "${LAMMPS_BINARY_DIR}/lib/kokkos")
    if(NOT EXISTS "${kokkos_src}/core/src/Kokkos_Core.hpp" OR NOT EXISTS "${kokkos_bin}/KokkosCore_config.h")
      message(FATAL_ERROR "The LAMMPS in ${LAMMPS_BINARY_DIR} has KOKKOS from its bundled lib/kokkos, but "
                          "${kokkos_src}/core/src/Kokkos_Core.hpp or ${kokkos_bin}/KokkosCore_config.h is missing")
    endif()
    file(READ "${kokkos_bin}/KokkosCore_config.h" kokkos_cfg)
    if(kokkos_cfg MATCHES "#define KOKKOS_ENABLE_(CUDA|HIP|SYCL)")
      message(FATAL_ERROR "The bundled Kokkos of ${LAMMPS_BINARY_DIR} targets ${CMAKE_MATCH_1}: its configuration "
                          "is not exported from the LAMMPS build tree, so the plugin cannot take its device compiler "
                          "flags.  Build LAMMPS with DOWNLOAD_KOKKOS=on or an external Kokkos instead")
    endif()
    add_library(mlipeval_kokkos_runtime INTERFACE)
    # what Kokkos 4's kokkoscore, containers, algorithms and simd targets put on the include path,
    # the bundled third-party headers (mdspan, desul) included
    target_include_directories(mlipeval_kokkos_runtime SYSTEM INTERFACE ${kokkos_bin} ${kokkos_bin}/core/src
      ${kokkos_src}/core/src ${kokkos_src}/containers/src ${kokkos_src}/algorithms/src ${kokkos_src}/simd/src
      ${kokkos_src}/tpls/mdspan/include ${kokkos_src}/tpls/desul/include)
    if(kokkos_cfg MATCHES "#define KOKKOS_ENABLE_OPENMP")
      find_package(OpenMP REQUIRED COMPONENTS CXX)
      target_link_libraries(mlipeval_kokkos_runtime INTERFACE OpenMP::OpenMP_CXX)
    endif()
    set(kokkos_how "bundled Kokkos of the LAMMPS tree")
  endif()
  set(MLIPEVAL_KOKKOS ON)
endif()
message(STATUS "USER-MLIPEVAL Kokkos styles: ${MLIPEVAL_KOKKOS}")
if(MLIPEVAL_KOKKOS)
  message(STATUS "USER-MLIPEVAL: compiling the /kk styles against the ${kokkos_how}")
  file(GLOB MLIPEVAL_KOKKOS_SOURCES CONFIGURE_DEPENDS ${MLIPEVAL_SRC}/kokkos/*.cpp)
  add_library(mlipeval_kokkos OBJECT ${MLIPEVAL_KOKKOS_SOURCES})
  target_include_directories(mlipeval_kokkos PUBLIC ${LAMMPS_SOURCE_DIR}/KOKKOS ${MLIPEVAL_SRC}/kokkos)
  target_compile_definitions(mlipeval_kokkos PUBLIC LMP_KOKKOS MLIPEVAL_KOKKOS)
  target_link_libraries(mlipeval_kokkos PUBLIC mlipeval_style_usage mlipeval_kokkos_runtime)
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
