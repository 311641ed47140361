# Every dependency is a Debian package (see tools/install_deps.sh); found here, never downloaded.
find_package(Eigen3 3.4 REQUIRED NO_MODULE)
find_package(Boost 1.74 REQUIRED)
find_package(SUNDIALS 6.4 REQUIRED)
find_package(tomlplusplus 3 REQUIRED)

find_path(RANDOM123_INCLUDE_DIR Random123/philox.h REQUIRED)
add_library(memxbar_random123 INTERFACE)
target_include_directories(memxbar_random123 SYSTEM INTERFACE ${RANDOM123_INCLUDE_DIR})

# fast-cpp-csv-parser (libfccp-dev) installs csv.h under include/libfccp.
find_path(FCCP_INCLUDE_DIR csv.h PATH_SUFFIXES libfccp REQUIRED)
add_library(memxbar_fccp INTERFACE)
target_include_directories(memxbar_fccp SYSTEM INTERFACE ${FCCP_INCLUDE_DIR})
find_package(Threads REQUIRED)
target_link_libraries(memxbar_fccp INTERFACE Threads::Threads)
# zlib (zlib1g-dev) reads the gzip-compressed Fashion-MNIST IDX files.
find_package(ZLIB REQUIRED)

if(MEMXBAR_MPI)
  find_package(MPI COMPONENTS CXX)
  if(NOT MPI_CXX_FOUND)
    message(WARNING "MPI not found: memxbar runs sweeps on one machine only (apt-get install libopenmpi-dev)")
    set(MEMXBAR_MPI OFF)
  endif()
endif()
