// gpu ids, barriers, shuffles and attributions. gpu.shuffle is printed as
// MLIR lowers it to NVVM (tc_rt::shfl_*: shfl.sync with the member mask
// 0xffffffff >> (32 - width), the clamp width - 1, or 32 - width for up, and
// `valid` from the instruction's predicate).
// RUN: tensorc-cuda-translate %s | FileCheck %s
// RUN: %if nvrtc && ptxas %{ tensorc-cuda-translate %s --emit=ptx -o %t.ptx 2>&1 | FileCheck %s --check-prefix=NVRTC --allow-empty && %ptxas -arch=sm_90 %t.ptx -o %t.cubin && FileCheck %s --check-prefix=PTX < %t.ptx %}
// NVRTC-NOT: warning

module attributes {gpu.container_module} {
  gpu.module @tc_kernels {
    // A known block size bounds the threads per block.
    // CHECK-LABEL: extern "C" __global__ void __launch_bounds__(256) ids(long long *__restrict__ v0)
    gpu.func @ids(%out: memref<?xindex>) kernel attributes {known_block_size = array<i32: 32, 4, 2>} {
      // CHECK: long long v1 = threadIdx.x;
      // CHECK-NEXT: long long v2 = threadIdx.y;
      // CHECK-NEXT: long long v3 = threadIdx.z;
      // CHECK-NEXT: long long v4 = blockIdx.x;
      // CHECK-NEXT: long long v5 = blockIdx.y;
      // CHECK-NEXT: long long v6 = blockIdx.z;
      // CHECK-NEXT: long long v7 = blockDim.x;
      // CHECK-NEXT: long long v8 = gridDim.z;
      // CHECK-NEXT: long long v9 = tc_rt::lane_id();
      // CHECK-NEXT: long long v10 = (long long)blockIdx.y * blockDim.y + threadIdx.y;
      %tx = gpu.thread_id x
      %ty = gpu.thread_id y
      %tz = gpu.thread_id z
      %bx = gpu.block_id x
      %by = gpu.block_id y
      %bz = gpu.block_id z
      %dx = gpu.block_dim x
      %gz = gpu.grid_dim z
      %lane = gpu.lane_id
      %gy = gpu.global_id y
      memref.store %tx, %out[%tx] : memref<?xindex>
      memref.store %ty, %out[%tx] : memref<?xindex>
      memref.store %tz, %out[%tx] : memref<?xindex>
      memref.store %bx, %out[%tx] : memref<?xindex>
      memref.store %by, %out[%tx] : memref<?xindex>
      memref.store %bz, %out[%tx] : memref<?xindex>
      memref.store %dx, %out[%tx] : memref<?xindex>
      memref.store %gz, %out[%tx] : memref<?xindex>
      memref.store %lane, %out[%tx] : memref<?xindex>
      memref.store %gy, %out[%tx] : memref<?xindex>
      gpu.return
    }

    // CHECK-LABEL: void shuffles(float *__restrict__ v0, bool *__restrict__ v1, double *__restrict__ v2, long long *__restrict__ v3, int *__restrict__ v4, tc_half *__restrict__ v5)
    gpu.func @shuffles(%x: memref<?xf32>, %ok: memref<?xi1>, %d: memref<?xf64>,
                       %l: memref<?xi64>, %n: memref<?xi32>, %h: memref<?xf16>) kernel {
      %tid = gpu.thread_id x
      %v = memref.load %x[%tid] : memref<?xf32>
      %dv = memref.load %d[%tid] : memref<?xf64>
      %lv = memref.load %l[%tid] : memref<?xi64>
      %nv = memref.load %n[%tid] : memref<?xi32>
      %hv = memref.load %h[%tid] : memref<?xf16>
      %c1 = arith.constant 1 : i32
      %c16 = arith.constant 16 : i32
      %c32 = arith.constant 32 : i32
      // CHECK: bool v15;
      // CHECK-NEXT: float v16 = tc_rt::shfl_xor(v7, v12, v14, v15);
      // CHECK-NEXT: bool v17;
      // CHECK-NEXT: float v18 = tc_rt::shfl_up(v16, v12, v14, v17);
      // CHECK-NEXT: bool v19;
      // CHECK-NEXT: float v20 = tc_rt::shfl_down(v18, v12, v13, v19);
      // CHECK-NEXT: bool v21;
      // CHECK-NEXT: float v22 = tc_rt::shfl_idx(v20, v12, v13, v21);
      %0, %p0 = gpu.shuffle xor %v, %c1, %c32 : f32
      %1, %p1 = gpu.shuffle up %0, %c1, %c32 : f32
      %2, %p2 = gpu.shuffle down %1, %c1, %c16 : f32
      %3, %p3 = gpu.shuffle idx %2, %c1, %c16 : f32
      // 64-bit values take two shuffles; f16 travels in 32 bits.
      // CHECK-NEXT: bool v23;
      // CHECK-NEXT: double v24 = tc_rt::shfl_xor(v8, v12, v14, v23);
      // CHECK-NEXT: bool v25;
      // CHECK-NEXT: long long v26 = tc_rt::shfl_down(v9, v12, v14, v25);
      // CHECK-NEXT: bool v27;
      // CHECK-NEXT: int v28 = tc_rt::shfl_idx(v10, v12, v14, v27);
      // CHECK-NEXT: bool v29;
      // CHECK-NEXT: tc_half v30 = tc_rt::shfl_xor(v11, v12, v14, v29);
      %4, %p4 = gpu.shuffle xor %dv, %c1, %c32 : f64
      %5, %p5 = gpu.shuffle down %lv, %c1, %c32 : i64
      %6, %p6 = gpu.shuffle idx %nv, %c1, %c32 : i32
      %7, %p7 = gpu.shuffle xor %hv, %c1, %c32 : f16
      memref.store %3, %x[%tid] : memref<?xf32>
      memref.store %4, %d[%tid] : memref<?xf64>
      memref.store %5, %l[%tid] : memref<?xi64>
      memref.store %6, %n[%tid] : memref<?xi32>
      memref.store %7, %h[%tid] : memref<?xf16>
      memref.store %p0, %ok[%tid] : memref<?xi1>
      memref.store %p1, %ok[%tid] : memref<?xi1>
      memref.store %p2, %ok[%tid] : memref<?xi1>
      memref.store %p3, %ok[%tid] : memref<?xi1>
      memref.store %p4, %ok[%tid] : memref<?xi1>
      gpu.return
    }
    // PTX-LABEL: .entry shuffles(
    // PTX: shfl.sync.bfly.b32
    // PTX: shfl.sync.up.b32
    // PTX: shfl.sync.down.b32
    // PTX: shfl.sync.idx.b32

    // Attributions: workgroup memory is __shared__, private memory a local
    // array; multi-dimensional ones are indexed row-major.
    // CHECK-LABEL: void attributions(float *__restrict__ v0)
    // CHECK-NEXT: __shared__ __align__(16) float v1[128];
    // CHECK-NEXT: __shared__ __align__(16) int v2[4];
    // CHECK-NEXT: float v3[6];
    gpu.func @attributions(%y: memref<?xf32>)
        workgroup(%tile: memref<8x16xf32, #gpu.address_space<workgroup>>,
                  %flags: memref<4xi32, #gpu.address_space<workgroup>>)
        private(%regs: memref<2x3xf32, #gpu.address_space<private>>) kernel {
      %c0 = arith.constant 0 : index
      %c2 = arith.constant 2 : index
      %tx = gpu.thread_id x
      %ty = gpu.thread_id y
      %f = arith.constant 1.5 : f32
      // CHECK: v1[v7 * 16 + v6] = v8;
      // CHECK-NEXT: v3[v4 * 3 + v5] = v8;
      // CHECK-NEXT: __syncthreads();
      // CHECK-NEXT: float v9 = v1[v6 * 16 + v7];
      // CHECK-NEXT: float v10 = v3[v4 * 3 + v5];
      memref.store %f, %tile[%ty, %tx] : memref<8x16xf32, #gpu.address_space<workgroup>>
      memref.store %f, %regs[%c0, %c2] : memref<2x3xf32, #gpu.address_space<private>>
      gpu.barrier
      %a = memref.load %tile[%tx, %ty] : memref<8x16xf32, #gpu.address_space<workgroup>>
      %b = memref.load %regs[%c0, %c2] : memref<2x3xf32, #gpu.address_space<private>>
      %s = arith.addf %a, %b : f32
      memref.store %s, %y[%tx] : memref<?xf32>
      gpu.return
    }

    // A rank-0 attribution is a one-element array.
    // CHECK-LABEL: void scalar_slot(float *__restrict__ v0)
    // CHECK-NEXT: __shared__ __align__(16) float v1[1];
    // CHECK: v1[0] = v3;
    // CHECK: float v4 = v1[0];
    gpu.func @scalar_slot(%y: memref<?xf32>)
        workgroup(%slot: memref<f32, #gpu.address_space<workgroup>>) kernel {
      %tx = gpu.thread_id x
      %f = arith.constant 2.0 : f32
      memref.store %f, %slot[] : memref<f32, #gpu.address_space<workgroup>>
      gpu.barrier
      %v = memref.load %slot[] : memref<f32, #gpu.address_space<workgroup>>
      memref.store %v, %y[%tx] : memref<?xf32>
      gpu.return
    }
  }
}
