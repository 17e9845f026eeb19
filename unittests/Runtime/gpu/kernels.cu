// CUDA kernels of TestModel.h (and `poke`, which faults on purpose), for
// RuntimeGpuTest. kernels.ptx is generated from this file and checked in, so
// that the test needs no CUDA compiler:
//
//   nvcc -ptx -arch=compute_80 kernels.cu -o kernels.ptx
//
// Each kernel computes exactly what its C++ twin in ../TestKernels.cpp does,
// in the same order, so results compare exactly.

// t[i] = x[i] + y[i] + w[i % cols] for i < n; 32 threads per block.
extern "C" __global__ void add3(const float *x, const float *y, const float *w,
                                float *t, long long n, long long cols) {
  long long i = (long long)blockIdx.x * 32 + threadIdx.x;
  if (i < n)
    t[i] = x[i] + y[i] + w[i % cols];
}

// sum[r] = the sum of row r of v; one block of one thread per row.
extern "C" __global__ void rowsum(const float *v, float *sum, long long cols) {
  long long r = blockIdx.x;
  float s = 0;
  for (long long c = 0; c < cols; ++c)
    s += v[r * cols + c];
  sum[r] = s;
}

// Writes far outside any allocation: CUDA_ERROR_ILLEGAL_ADDRESS.
extern "C" __global__ void poke(float *p, long long offset) {
  p[offset] = 1.0f;
}
