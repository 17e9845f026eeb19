// RUN: tensorc-opt %s -tc-plan-memory | FileCheck %s

// A chain of five launches needs two slots; a buffer read through a view
// (collapse_shape) lives until the view's last use.
// CHECK-LABEL: func.func @chain
// CHECK-SAME: attributes {tc.slots = 2 : i64}
// CHECK: %[[A:.*]] = memref.alloc() {tc.slot = 0 : i64}
// CHECK: memref.alloc() {tc.slot = 1 : i64}
// CHECK: memref.alloc() {tc.slot = 0 : i64}
// CHECK: memref.collapse_shape
// CHECK: memref.alloc() {tc.slot = 1 : i64}
// CHECK: memref.alloc() {tc.slot = 0 : i64}
module attributes {gpu.container_module} {
  gpu.module @k {
    gpu.func @f(%a: memref<?xf32>, %b: memref<?xf32>) kernel { gpu.return }
  }
  func.func @chain(%x: memref<8xf32>) -> memref<8xf32> {
    %c1 = arith.constant 1 : index
    %a = memref.alloc() : memref<8xf32>
    tc.launch @k::@f grid(%c1, %c1, %c1) block [1, 1, 1] ins(%x : memref<8xf32>) outs(%a : memref<8xf32>)
    %b = memref.alloc() : memref<8xf32>
    tc.launch @k::@f grid(%c1, %c1, %c1) block [1, 1, 1] ins(%a : memref<8xf32>) outs(%b : memref<8xf32>)
    %c = memref.alloc() : memref<8xf32>
    tc.launch @k::@f grid(%c1, %c1, %c1) block [1, 1, 1] ins(%b : memref<8xf32>) outs(%c : memref<8xf32>)
    %v = memref.collapse_shape %c [[0]] : memref<8xf32> into memref<8xf32>
    %d = memref.alloc() : memref<8xf32>
    tc.launch @k::@f grid(%c1, %c1, %c1) block [1, 1, 1] ins(%v : memref<8xf32>) outs(%d : memref<8xf32>)
    %e = memref.alloc() : memref<8xf32>
    tc.launch @k::@f grid(%c1, %c1, %c1) block [1, 1, 1] ins(%d : memref<8xf32>) outs(%e : memref<8xf32>)
    return %e : memref<8xf32>
  }
}
