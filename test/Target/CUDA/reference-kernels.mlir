// The reference kernels of test/Target/Inputs/kernels.mlir as CUDA C++:
// the kernel ABI (const for buffers only read), grid-stride loops, warp
// shuffles and workgroup reductions, tiled matmul, f16 storage.
// RUN: tensorc-cuda-translate %S/../Inputs/kernels.mlir | FileCheck %s

// The source needs no header: the prelude defines f16/bf16 and the helpers.
// CHECK-NOT: #include
// CHECK: typedef unsigned short tc_half;
// CHECK: namespace tc_rt {

// CHECK-LABEL: extern "C" __global__ void bias_relu(const float *__restrict__ v0, const float *__restrict__ v1, float *__restrict__ v2, long long v3, long long v4) {
// CHECK:   long long v11 = (unsigned long long)v10 + (unsigned long long)v8;
// CHECK:   for (long long v13 = v11; v13 < v3; v13 += v12) {
// CHECK-NEXT:     float v14 = v0[v13];
// CHECK-NEXT:     long long v15 = (unsigned long long)v13 % (unsigned long long)v4;
// CHECK-NEXT:     float v16 = v1[v15];
// CHECK-NEXT:     float v17 = __fadd_rn(v14, v16);
// CHECK-NEXT:     float v18 = tc_rt::maximumf(v17, v5);
// CHECK-NEXT:     v2[v13] = v18;
// CHECK-NEXT:   }
// CHECK-NEXT: }

// CHECK-LABEL: extern "C" __global__ void softmax_rows(const float *__restrict__ v0, float *__restrict__ v1, long long v2, long long v3) {
// CHECK-NEXT:   __shared__ __align__(16) float v4[4];
// CHECK:   float v9 = __uint_as_float(0xff800000u);
// CHECK:   float v15 = v9;
// CHECK-NEXT:   for (long long v16 = v12; v16 < v3; v16 += v13) {
// CHECK:     float v19 = tc_rt::maximumf(v15, v18);
// CHECK-NEXT:     v15 = v19;
// CHECK-NEXT:   }
// CHECK:   float v26 = tc_rt::shfl_xor(v15, v20, v8, v25);
// CHECK-NEXT:   float v27 = tc_rt::maximumf(v15, v26);
// CHECK:   bool v42 = v40 == v5;
// CHECK-NEXT:   if (v42) {
// CHECK-NEXT:     v4[v41] = v39;
// CHECK-NEXT:   }
// CHECK-NEXT:   __syncthreads();
// CHECK:     float v53 = expf(v52);
// CHECK:     float v79 = v78 / v70;
// CHECK-NEXT:     v1[v75] = v79;

// CHECK-LABEL: extern "C" __global__ void matmul_tiled(const float *__restrict__ v0, const float *__restrict__ v1, float *__restrict__ v2, long long v3, long long v4, long long v5) {
// CHECK-NEXT:   __shared__ __align__(16) float v6[256];
// CHECK-NEXT:   __shared__ __align__(16) float v7[256];
// CHECK:   float v25 = v11;
// CHECK-NEXT:   for (long long v26 = v8; v26 < v22; v26 += v9) {
// CHECK:     bool v32 = v30 & v31;
// CHECK-NEXT:     float v33;
// CHECK-NEXT:     if (v32) {
// CHECK:       v33 = v36;
// CHECK-NEXT:     } else {
// CHECK-NEXT:       v33 = v11;
// CHECK-NEXT:     }
// CHECK-NEXT:     v6[v24] = v33;
// CHECK:     float v44 = v25;
// CHECK-NEXT:     for (long long v45 = v8; v45 < v10; v45 += v9) {
// CHECK:       float v52 = fmaf(v50, v51, v44);
// CHECK-NEXT:       v44 = v52;
// CHECK-NEXT:     }
// CHECK-NEXT:     __syncthreads();
// CHECK-NEXT:     v25 = v44;
// CHECK-NEXT:   }

// CHECK-LABEL: extern "C" __global__ void mixed_types(const tc_half *__restrict__ v0, const int *__restrict__ v1, tc_half *__restrict__ v2, long long v3) {
// CHECK:     tc_half v10 = v0[v8];
// CHECK-NEXT:     float v11 = tc_rt::h2f(v10);
// CHECK-NEXT:     int v12 = v1[v8];
// CHECK-NEXT:     float v13 = (float)v12;
// CHECK-NEXT:     float v14 = erff(v11);
// CHECK-NEXT:     bool v15 = v14 > v13;
// CHECK-NEXT:     float v16 = v15 ? v14 : v13;
// CHECK-NEXT:     tc_half v17 = tc_rt::f2h(v16);
// CHECK-NEXT:     v2[v8] = v17;
