// RUN: tensorc-opt %s -convert-tc-to-linalg -split-input-file | FileCheck %s

// The output map drops the reduced dim; the destination is filled with 0.
// CHECK-DAG: #[[IN:.*]] = affine_map<(d0, d1, d2) -> (d0, d1, d2)>
// CHECK-DAG: #[[OUT:.*]] = affine_map<(d0, d1, d2) -> (d0, d2)>
// CHECK-LABEL: func.func @sum_axis
// CHECK: %[[ZERO:.*]] = arith.constant 0.000000e+00 : f32
// CHECK: %[[N:.*]] = tensor.dim %arg0, %c0
// CHECK: %[[E:.*]] = tensor.empty(%[[N]]) : tensor<?x5xf32>
// CHECK: %[[F:.*]] = linalg.fill ins(%[[ZERO]] : f32) outs(%[[E]] : tensor<?x5xf32>)
// CHECK: %[[R:.*]] = linalg.generic {indexing_maps = [#[[IN]], #[[OUT]]], iterator_types = ["parallel", "reduction", "parallel"]}
// CHECK-SAME: ins(%arg0 : tensor<?x6x5xf32>) outs(%[[F]] : tensor<?x5xf32>)
// CHECK: ^bb0(%[[X:.*]]: f32, %[[ACC:.*]]: f32):
// CHECK-NEXT: arith.addf %[[ACC]], %[[X]] : f32
// CHECK: return %[[R]]
func.func @sum_axis(%x: tensor<?x6x5xf32>) -> tensor<?x5xf32> {
  %0 = tc.sum %x [1] : tensor<?x6x5xf32>
  return %0 : tensor<?x5xf32>
}

// -----

// keepdim: reduce, then expand_shape adds the unit dims back.
// CHECK-DAG: #[[OUT:.*]] = affine_map<(d0, d1, d2) -> (d1)>
// CHECK-LABEL: func.func @sum_keepdim
// CHECK: %[[R:.*]] = linalg.generic {{.*}}#[[OUT]]], iterator_types = ["reduction", "parallel", "reduction"]}
// CHECK-SAME: outs(%{{.*}} : tensor<6xf32>)
// CHECK: tensor.expand_shape %[[R]] {{\[\[}}0, 1, 2]] output_shape [1, 6, 1] : tensor<6xf32> into tensor<1x6x1xf32>
func.func @sum_keepdim(%x: tensor<?x6x5xf32>) -> tensor<1x6x1xf32> {
  %0 = tc.sum %x [0, 2] keepdim : tensor<?x6x5xf32>
  return %0 : tensor<1x6x1xf32>
}

// -----

// An f16 mean: accumulate in f32, divide by the dynamic count (index_cast +
// uitofp), round to f16 once.
// CHECK-DAG: #[[ALL:.*]] = affine_map<(d0, d1) -> ()>
// CHECK-DAG: #[[SCALAR:.*]] = affine_map<() -> ()>
// CHECK-LABEL: func.func @mean_all
// CHECK: linalg.fill ins(%{{.*}} : f32) outs(%{{.*}} : tensor<f32>)
// CHECK: %[[SUM:.*]] = linalg.generic {{.*}}#[[ALL]]], iterator_types = ["reduction", "reduction"]}
// CHECK: ^bb0(%[[X:.*]]: f16, %[[ACC:.*]]: f32):
// CHECK-NEXT: %[[W:.*]] = arith.extf %[[X]] : f16 to f32
// CHECK-NEXT: arith.addf %[[ACC]], %[[W]] : f32
// CHECK: %[[N:.*]] = tensor.dim %arg0, %c0
// CHECK: %[[COUNT:.*]] = arith.muli %[[N]], %c4
// CHECK: linalg.generic {indexing_maps = [#[[SCALAR]], #[[SCALAR]]], iterator_types = []} ins(%[[SUM]] : tensor<f32>) outs(%{{.*}} : tensor<f16>)
// CHECK: %[[I:.*]] = arith.index_cast %[[COUNT]] : index to i64
// CHECK-NEXT: %[[F:.*]] = arith.uitofp %[[I]] : i64 to f32
// CHECK-NEXT: %[[Q:.*]] = arith.divf %{{.*}}, %[[F]] : f32
// CHECK-NEXT: arith.truncf %[[Q]] : f32 to f16
func.func @mean_all(%x: tensor<?x4xf16>) -> tensor<f16> {
  %0 = tc.mean %x [0, 1] : tensor<?x4xf16>
  return %0 : tensor<f16>
}

// -----

// max starts at -inf (maximumf propagates NaN); an integer min at INT_MAX.
// CHECK-LABEL: func.func @max_min
// CHECK: %[[NINF:.*]] = arith.constant 0xFF800000 : f32
// CHECK: linalg.fill ins(%[[NINF]] : f32)
// CHECK: arith.maximumf
// CHECK: %[[IMAX:.*]] = arith.constant 2147483647 : i32
// CHECK: linalg.fill ins(%[[IMAX]] : i32)
// CHECK: arith.minsi
// CHECK: %[[IMIN:.*]] = arith.constant -9223372036854775808 : i64
// CHECK: linalg.fill ins(%[[IMIN]] : i64)
// CHECK: arith.maxsi
func.func @max_min(%x: tensor<3x4xf32>, %i: tensor<3x4xi32>, %j: tensor<3xi64>) -> (tensor<3xf32>, tensor<4xi32>, tensor<i64>) {
  %0 = tc.max %x [1] : tensor<3x4xf32>
  %1 = tc.min %i [0] : tensor<3x4xi32>
  %2 = tc.max %j [0] : tensor<3xi64>
  return %0, %1, %2 : tensor<3xf32>, tensor<4xi32>, tensor<i64>
}

// -----

// argmax: one generic with two outputs (running max, its index); a new value
// wins only if strictly greater (first maximum) or NaN (first NaN).
// CHECK-DAG: #[[IN:.*]] = affine_map<(d0, d1) -> (d0, d1)>
// CHECK-DAG: #[[OUT:.*]] = affine_map<(d0, d1) -> (d0)>
// CHECK-LABEL: func.func @argmax
// CHECK: %[[R:.*]]:2 = linalg.generic {indexing_maps = [#[[IN]], #[[OUT]], #[[OUT]]], iterator_types = ["parallel", "reduction"]}
// CHECK-SAME: outs(%{{.*}}, %{{.*}} : tensor<?xf32>, tensor<?xi64>)
// CHECK: ^bb0(%[[X:.*]]: f32, %[[BEST:.*]]: f32, %[[IDX:.*]]: i64):
// CHECK-NEXT: %[[GT:.*]] = arith.cmpf ugt, %[[X]], %[[BEST]]
// CHECK-NEXT: %[[ORD:.*]] = arith.cmpf ord, %[[BEST]], %[[BEST]]
// CHECK-NEXT: %[[TAKE:.*]] = arith.andi %[[GT]], %[[ORD]]
// CHECK-NEXT: %[[I:.*]] = linalg.index 1
// CHECK-NEXT: %[[I64:.*]] = arith.index_cast %[[I]] : index to i64
// CHECK-NEXT: %[[V:.*]] = arith.select %[[TAKE]], %[[X]], %[[BEST]]
// CHECK-NEXT: %[[J:.*]] = arith.select %[[TAKE]], %[[I64]], %[[IDX]]
// CHECK-NEXT: linalg.yield %[[V]], %[[J]]
// CHECK: tensor.expand_shape %[[R]]#1 {{\[\[}}0, 1]] output_shape [%{{.*}}, 1] : tensor<?xi64> into tensor<?x1xi64>
func.func @argmax(%x: tensor<?x9xf32>) -> tensor<?x1xi64> {
  %0 = tc.argmax %x, 1 keepdim : tensor<?x9xf32>
  return %0 : tensor<?x1xi64>
}

// -----

// CHECK-LABEL: func.func @argmax_int
// CHECK: arith.cmpi sgt
func.func @argmax_int(%x: tensor<4x5xi32>) -> tensor<5xi64> {
  %0 = tc.argmax %x, 0 : tensor<4x5xi32>
  return %0 : tensor<5xi64>
}

// -----

// Reducing a rank-0 tensor over no axes: a generic with no loops.
// CHECK: #[[MAP:.*]] = affine_map<() -> ()>
// CHECK-LABEL: func.func @sum_rank0
// CHECK: linalg.generic {indexing_maps = [#[[MAP]], #[[MAP]]], iterator_types = []}
func.func @sum_rank0(%x: tensor<f32>) -> tensor<f32> {
  %0 = tc.sum %x [] : tensor<f32>
  return %0 : tensor<f32>
}
