// RUN: tensorc-opt %s -tc-form-kernels -tc-emit-kernels -canonicalize -cse -split-input-file | FileCheck %s
// RUN: tensorc-opt %s -tc-form-kernels -tc-emit-kernels=target=cpu -canonicalize -cse -split-input-file | FileCheck %s --check-prefix=CPU
// RUN: not tensorc-opt %s -tc-form-kernels -tc-emit-kernels=tile-sizes=32,48,8 -split-input-file 2>&1 | FileCheck %s --check-prefix=TILES

// The pass's tile-sizes option is checked like tensorc's --tile-sizes.
// TILES: error: cannot use tile sizes 32,48,8: tile sizes must be powers of two from 1 to 1024
// Tuned tiles (tensorc tune) pick the tiles of the products of their key.
// RUN: tensorc-opt %s -tc-form-kernels '-tc-emit-kernels=tuned-tiles=sm_90/f32/?x256x784=128x64x16:16x16' -split-input-file | FileCheck %s --check-prefix=TUNED
// RUN: not tensorc-opt %s -tc-form-kernels '-tc-emit-kernels=tuned-tiles=sm_90/f32/?x256x784=mma:64x64x32:3x1' -split-input-file 2>&1 | FileCheck %s --check-prefix=BADTUNED
// RUN: not tensorc-opt %s -tc-form-kernels '-tc-emit-kernels=tuned-tiles=64x64x16:16x16' -split-input-file 2>&1 | FileCheck %s --check-prefix=NOKEY
// TUNED: gpu.func @dense_k0({{.*}}tc.tile_key = "sm_90/f32/?x256x784", tc.tile_text = "128x64x16:16x16", tc.tiles = array<i64: 128, 64, 16, 16, 16>
// BADTUNED: error: cannot use the tuned tiles 'sm_90/f32/?x256x784=mma:64x64x32:3x1': tensor-core tiles need warp tiles of 16 x 8 pieces and K steps of 16
// NOKEY: error: cannot use the tuned tiles '64x64x16:16x16': expected KEY=TILES

#id2 = affine_map<(d0, d1) -> (d0, d1)>
#row = affine_map<(d0, d1) -> (d1)>

// A dense layer: a contraction kernel with 64x64 tiles staged in workgroup
// memory, 16x16 threads, the bias + relu epilogue inside; the grid covers
// N / 64 x ceil(B / 64) tiles.
// CHECK-LABEL: func.func @dense
// CHECK-DAG: %[[C4:.*]] = arith.constant 4 : index
// CHECK-DAG: %[[C1:.*]] = arith.constant 1 : index
// CHECK: %[[B:.*]] = tensor.dim %arg0
// CHECK: %[[GY:.*]] = arith.ceildivui %[[B]], %c64
// CHECK: %[[OUT:.*]] = bufferization.alloc_tensor(%[[B]]) : tensor<?x256xf32>
// CHECK: tc.launch @tc_kernels::@dense_k0 grid(%[[C4]], %[[GY]], %[[C1]]) block [16, 16, 1] ins(%arg0, %arg1, %arg2 : tensor<?x784xf32>, tensor<784x256xf32>, tensor<256xf32>) outs(%[[OUT]] : tensor<?x256xf32>) dims(%[[B]] : index)
// CHECK: gpu.module @tc_kernels
// CHECK: gpu.func @dense_k0(%{{.*}}: memref<?xf32>, %{{.*}}: memref<?xf32>, %{{.*}}: memref<?xf32>, %{{.*}}: memref<?xf32>, %{{.*}}: index) workgroup(%{{.*}} : memref<1024xf32, #gpu.address_space<workgroup>>, %{{.*}} : memref<1024xf32, #gpu.address_space<workgroup>>) kernel attributes {known_block_size = array<i32: 16, 16, 1>, tc.contraction_reads = array<i64: 0, 1>, tc.tile_key = "sm_90/f32/?x256x784", tc.tile_text = "64x64x16:16x16", tc.tiles = array<i64: 64, 64, 16, 16, 16>}
// CHECK: scf.for {{.*}} iter_args(
// CHECK: gpu.barrier
// CHECK: arith.mulf
// CHECK: arith.addf
// CHECK: gpu.barrier
// CHECK: arith.maximumf
// CHECK: memref.store

// On the CPU, one thread per block accumulates a 32x32 tile on the stack.
// CPU-LABEL: func.func @dense
// CPU: tc.launch @tc_kernels::@dense_k0 grid(%{{.*}}, %{{.*}}, %{{.*}}) block [1, 1, 1]
// CPU: gpu.func @dense_k0({{.*}}) workgroup(%{{.*}} : memref<1024xf32, #gpu.address_space<workgroup>>) kernel attributes {known_block_size = array<i32: 1, 1, 1>, tc.contraction_reads = array<i64: 0, 1>, tc.tile_key = "cpu/f32/?x256x784", tc.tile_text = "32x32x32:1x1", tc.tiles = array<i64: 32, 32, 32, 1, 1>}
// CPU-NOT: gpu.barrier
func.func @dense(%x: tensor<?x784xf32>, %w: tensor<784x256xf32>, %b: tensor<256xf32>) -> tensor<?x256xf32> {
  %c0 = arith.constant 0 : index
  %zero = arith.constant 0.0 : f32
  %n = tensor.dim %x, %c0 : tensor<?x784xf32>
  %e = tensor.empty(%n) : tensor<?x256xf32>
  %f = linalg.fill ins(%zero : f32) outs(%e : tensor<?x256xf32>) -> tensor<?x256xf32>
  %m = linalg.matmul ins(%x, %w : tensor<?x784xf32>, tensor<784x256xf32>) outs(%f : tensor<?x256xf32>) -> tensor<?x256xf32>
  %e2 = tensor.empty(%n) : tensor<?x256xf32>
  %r = linalg.generic {indexing_maps = [#id2, #row, #id2], iterator_types = ["parallel", "parallel"]}
      ins(%m, %b : tensor<?x256xf32>, tensor<256xf32>) outs(%e2 : tensor<?x256xf32>) {
  ^bb0(%a: f32, %c: f32, %o: f32):
    %s = arith.addf %a, %c : f32
    %t = arith.maximumf %s, %zero : f32
    linalg.yield %t : f32
  } -> tensor<?x256xf32>
  return %r : tensor<?x256xf32>
}

// -----

#id2 = affine_map<(d0, d1) -> (d0, d1)>
#col = affine_map<(d0, d1) -> (d0)>

// softmax: one block per row; each reduction combines partials with five
// xor shuffles and a pass through workgroup memory.
// CHECK-LABEL: func.func @softmax
// CHECK: %[[B:.*]] = tensor.dim %arg0
// CHECK: %[[G:.*]] = arith.minui %[[B]]
// CHECK: tc.launch @tc_kernels::@softmax_k0 grid(%[[G]], %c1, %c1) block [256, 1, 1]
// CHECK: gpu.func @softmax_k0(%{{.*}}: memref<?xf32>, %{{.*}}: memref<?xf32>, %{{.*}}: index) workgroup(%{{.*}} : memref<256xf32, #gpu.address_space<workgroup>>)
// CHECK-COUNT-5: gpu.shuffle  xor {{.*}} : f32
// CHECK: gpu.barrier
// CHECK: math.exp
// CHECK-COUNT-5: gpu.shuffle  xor {{.*}} : f32
// CHECK: arith.divf
// CPU-LABEL: func.func @softmax
// CPU: block [1, 1, 1]
// CPU-NOT: gpu.shuffle
// CPU: return
func.func @softmax(%x: tensor<?x10xf32>) -> tensor<?x10xf32> {
  %c0 = arith.constant 0 : index
  %ninf = arith.constant 0xFF800000 : f32
  %zero = arith.constant 0.0 : f32
  %n = tensor.dim %x, %c0 : tensor<?x10xf32>
  %e1 = tensor.empty(%n) : tensor<?xf32>
  %f1 = linalg.fill ins(%ninf : f32) outs(%e1 : tensor<?xf32>) -> tensor<?xf32>
  %max = linalg.generic {indexing_maps = [#id2, #col], iterator_types = ["parallel", "reduction"]}
      ins(%x : tensor<?x10xf32>) outs(%f1 : tensor<?xf32>) {
  ^bb0(%a: f32, %acc: f32):
    %m = arith.maximumf %a, %acc : f32
    linalg.yield %m : f32
  } -> tensor<?xf32>
  %f2 = linalg.fill ins(%zero : f32) outs(%e1 : tensor<?xf32>) -> tensor<?xf32>
  %sum = linalg.generic {indexing_maps = [#id2, #col, #col], iterator_types = ["parallel", "reduction"]}
      ins(%x, %max : tensor<?x10xf32>, tensor<?xf32>) outs(%f2 : tensor<?xf32>) {
  ^bb0(%a: f32, %m: f32, %acc: f32):
    %d = arith.subf %a, %m : f32
    %ex = math.exp %d : f32
    %s = arith.addf %ex, %acc : f32
    linalg.yield %s : f32
  } -> tensor<?xf32>
  %e2 = tensor.empty(%n) : tensor<?x10xf32>
  %y = linalg.generic {indexing_maps = [#id2, #col, #col, #id2], iterator_types = ["parallel", "parallel"]}
      ins(%x, %max, %sum : tensor<?x10xf32>, tensor<?xf32>, tensor<?xf32>) outs(%e2 : tensor<?x10xf32>) {
  ^bb0(%a: f32, %m: f32, %s: f32, %o: f32):
    %d = arith.subf %a, %m : f32
    %ex = math.exp %d : f32
    %q = arith.divf %ex, %s : f32
    linalg.yield %q : f32
  } -> tensor<?x10xf32>
  return %y : tensor<?x10xf32>
}

// -----

#id2 = affine_map<(d0, d1) -> (d0, d1)>

// An elementwise kernel: each block takes a chunk of the elements and its
// threads stride through it; the grid is ceil(elements / 1024).
// CHECK-LABEL: func.func @scale
// CHECK: %[[N:.*]] = arith.muli %{{.*}}, %c3
// CHECK: %[[G:.*]] = arith.ceildivui %[[N]], %c1024
// CHECK: tc.launch @tc_kernels::@scale_k0 grid(%{{.*}}, %c1, %c1) block [256, 1, 1]
// CHECK: gpu.func @scale_k0
// CHECK: %[[TID:.*]] = gpu.thread_id x
// CHECK: %[[BDIM:.*]] = gpu.block_dim x
// CHECK: scf.for %{{.*}} = %{{.*}} to %{{.*}} step %[[BDIM]]
// CHECK: math.tanh
// CPU-LABEL: func.func @scale
// CPU: arith.ceildivui %{{.*}}, %c4096
func.func @scale(%x: tensor<?x3xf32>) -> tensor<?x3xf32> {
  %c0 = arith.constant 0 : index
  %n = tensor.dim %x, %c0 : tensor<?x3xf32>
  %e = tensor.empty(%n) : tensor<?x3xf32>
  %y = linalg.generic {indexing_maps = [#id2, #id2], iterator_types = ["parallel", "parallel"]}
      ins(%x : tensor<?x3xf32>) outs(%e : tensor<?x3xf32>) {
  ^bb0(%a: f32, %o: f32):
    %t = math.tanh %a : f32
    linalg.yield %t : f32
  } -> tensor<?x3xf32>
  return %y : tensor<?x3xf32>
}
