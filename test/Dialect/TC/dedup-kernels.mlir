// RUN: tensorc-opt %s -tc-dedup-kernels | FileCheck %s

// @b repeats @a under another name: launches of @b use @a. @c differs (its
// constant) and @d differs (its block size): both stay.
// CHECK-LABEL: func.func @f
// CHECK: tc.launch @k::@a
// CHECK: tc.launch @k::@a
// CHECK: tc.launch @k::@c
// CHECK: tc.launch @k::@d
// CHECK: gpu.func @a
// CHECK-NOT: gpu.func @b
// CHECK: gpu.func @c
// CHECK: gpu.func @d
module attributes {gpu.container_module} {
  func.func @f(%x: memref<4xf32>, %y: memref<4xf32>) {
    %c1 = arith.constant 1 : index
    tc.launch @k::@a grid(%c1, %c1, %c1) block [4, 1, 1] ins(%x : memref<4xf32>) outs(%y : memref<4xf32>)
    tc.launch @k::@b grid(%c1, %c1, %c1) block [4, 1, 1] ins(%x : memref<4xf32>) outs(%y : memref<4xf32>)
    tc.launch @k::@c grid(%c1, %c1, %c1) block [4, 1, 1] ins(%x : memref<4xf32>) outs(%y : memref<4xf32>)
    tc.launch @k::@d grid(%c1, %c1, %c1) block [8, 1, 1] ins(%x : memref<4xf32>) outs(%y : memref<4xf32>)
    return
  }
  gpu.module @k {
    gpu.func @a(%x: memref<?xf32>, %y: memref<?xf32>) kernel attributes {known_block_size = array<i32: 4, 1, 1>} {
      %t = gpu.thread_id x
      %v = memref.load %x[%t] : memref<?xf32>
      %two = arith.constant 2.0 : f32
      %w = arith.mulf %v, %two : f32
      memref.store %w, %y[%t] : memref<?xf32>
      gpu.return
    }
    gpu.func @b(%x: memref<?xf32>, %y: memref<?xf32>) kernel attributes {known_block_size = array<i32: 4, 1, 1>} {
      %t = gpu.thread_id x
      %v = memref.load %x[%t] : memref<?xf32>
      %two = arith.constant 2.0 : f32
      %w = arith.mulf %v, %two : f32
      memref.store %w, %y[%t] : memref<?xf32>
      gpu.return
    }
    gpu.func @c(%x: memref<?xf32>, %y: memref<?xf32>) kernel attributes {known_block_size = array<i32: 4, 1, 1>} {
      %t = gpu.thread_id x
      %v = memref.load %x[%t] : memref<?xf32>
      %three = arith.constant 3.0 : f32
      %w = arith.mulf %v, %three : f32
      memref.store %w, %y[%t] : memref<?xf32>
      gpu.return
    }
    gpu.func @d(%x: memref<?xf32>, %y: memref<?xf32>) kernel attributes {known_block_size = array<i32: 8, 1, 1>} {
      %t = gpu.thread_id x
      %v = memref.load %x[%t] : memref<?xf32>
      %two = arith.constant 2.0 : f32
      %w = arith.mulf %v, %two : f32
      memref.store %w, %y[%t] : memref<?xf32>
      gpu.return
    }
  }
}
