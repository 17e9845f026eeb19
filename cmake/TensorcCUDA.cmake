# Detects the CUDA toolkit (ptxas, NVRTC) without requiring it: the compiler
# builds and its CPU path works where CUDA is missing.
set(TENSORC_CUDA_ROOT "/usr/local/cuda" CACHE PATH "CUDA toolkit root")
find_program(TENSORC_PTXAS ptxas HINTS ${TENSORC_CUDA_ROOT}/bin NO_DEFAULT_PATH)
find_path(TENSORC_NVRTC_INCLUDE nvrtc.h HINTS ${TENSORC_CUDA_ROOT}/include
          NO_DEFAULT_PATH)
find_library(TENSORC_NVRTC_LIB nvrtc HINTS ${TENSORC_CUDA_ROOT}/lib64
             NO_DEFAULT_PATH)
if(TENSORC_NVRTC_INCLUDE AND TENSORC_NVRTC_LIB)
  set(TENSORC_HAVE_NVRTC ON)
else()
  set(TENSORC_HAVE_NVRTC OFF)
endif()
message(STATUS "tensorc: ptxas: ${TENSORC_PTXAS}; NVRTC: ${TENSORC_HAVE_NVRTC}")
