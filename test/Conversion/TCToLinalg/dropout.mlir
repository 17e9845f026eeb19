// RUN: tensorc-opt %s -convert-tc-to-linalg -split-input-file | FileCheck %s

// Without a key (evaluation, inference) dropout is the identity.
// CHECK-LABEL: func.func @identity
// CHECK-NEXT: return %arg0
func.func @identity(%x: tensor<?x8xf32>) -> tensor<?x8xf32> {
  %0 = tc.dropout %x, 1.000000e-01 : tensor<?x8xf32>
  return %0 : tensor<?x8xf32>
}

// -----

// Keyed (training): one all-parallel generic over x, seed and step. The
// row-major index of the element comes from linalg.index (the stride of dim
// 0 is 8), the counter is (lo32 i, hi32 i, step, 0) and the key (seed, site
// = 3): ten Philox rounds of two 32x32 -> 64-bit products each (word 0 does
// not need the last round's first product: 19 remain). Kept when word 0 is at
// least p * 2^32 = 0x40000000 (p = 0.25), scaled by 1 / (1 - p).
// CHECK-DAG: #[[ID:.*]] = affine_map<(d0, d1) -> (d0, d1)>
// CHECK-DAG: #[[SCALAR:.*]] = affine_map<(d0, d1) -> ()>
// CHECK-LABEL: func.func @keyed
// CHECK: linalg.generic {indexing_maps = [#[[ID]], #[[SCALAR]], #[[SCALAR]], #[[ID]]], iterator_types = ["parallel", "parallel"]}
// CHECK-SAME: ins(%arg0, %arg1, %arg2 : tensor<?x8xf32>, tensor<i32>, tensor<i32>)
// CHECK-NEXT: ^bb0(%[[X:.*]]: f32, %[[SEED:.*]]: i32, %[[STEP:.*]]: i32, %{{.*}}: f32):
// CHECK: %[[I0:.*]] = linalg.index 0 : index
// CHECK: arith.index_cast %[[I0]] : index to i64
// CHECK: arith.constant 8 : i64
// CHECK: linalg.index 1 : index
// CHECK-COUNT-19: arith.muli %{{[0-9]+}}, %c{{3528531795|3449720151}}_i64{{(_[0-9]+)?}} : i64
// CHECK-NOT: arith.muli
// CHECK: %[[KEEP:.*]] = arith.cmpi uge, %{{.*}}, %{{.*}} : i32
// CHECK: %[[SCALE:.*]] = arith.constant 1.33333337 : f32
// CHECK: %[[F:.*]] = arith.select %[[KEEP]], %[[SCALE]], %{{.*}} : f32
// CHECK: %[[Y:.*]] = arith.mulf %[[X]], %[[F]] : f32
// CHECK: linalg.yield %[[Y]] : f32
func.func @keyed(%x: tensor<?x8xf32>, %seed: tensor<i32>, %step: tensor<i32>) -> tensor<?x8xf32> {
  %0 = tc.dropout %x, 2.500000e-01 key(%seed, %step : tensor<i32>, tensor<i32>) {site = 3 : i64} : tensor<?x8xf32>
  return %0 : tensor<?x8xf32>
}

// -----

// A dynamic inner dim: its size is computed outside the generic and the
// payload captures it.
// CHECK-LABEL: func.func @dynamic_inner
// CHECK: %[[D1:.*]] = tensor.dim %arg0, %c1
// CHECK: linalg.generic
// CHECK: arith.index_cast %[[D1]] : index to i64
func.func @dynamic_inner(%x: tensor<4x?xf16>, %seed: tensor<i32>, %step: tensor<i32>) -> tensor<4x?xf16> {
  %0 = tc.dropout %x, 5.000000e-01 key(%seed, %step : tensor<i32>, tensor<i32>) : tensor<4x?xf16>
  return %0 : tensor<4x?xf16>
}
