// RUN: tensorc-opt %s -convert-tc-to-linalg -split-input-file | FileCheck %s

// softmax: max-reduce, exp(x - max), sum-reduce, divide.
// CHECK-DAG: #[[ID:.*]] = affine_map<(d0, d1) -> (d0, d1)>
// CHECK-DAG: #[[ROW:.*]] = affine_map<(d0, d1) -> (d0)>
// CHECK-LABEL: func.func @softmax
// CHECK: %[[NINF:.*]] = arith.constant 0xFF800000 : f32
// CHECK: %[[MINIT:.*]] = linalg.fill ins(%[[NINF]] : f32) outs(%{{.*}} : tensor<?xf32>)
// CHECK: %[[MAX:.*]] = linalg.generic {indexing_maps = [#[[ID]], #[[ROW]]], iterator_types = ["parallel", "reduction"]} ins(%arg0 : tensor<?x10xf32>) outs(%[[MINIT]]
// CHECK: arith.maximumf
// CHECK: %[[EXP:.*]] = linalg.generic {indexing_maps = [#[[ID]], #[[ROW]], #[[ID]]], iterator_types = ["parallel", "parallel"]} ins(%arg0, %[[MAX]] : tensor<?x10xf32>, tensor<?xf32>)
// CHECK: %[[D:.*]] = arith.subf
// CHECK-NEXT: math.exp %[[D]]
// CHECK: %[[SUM:.*]] = linalg.generic {indexing_maps = [#[[ID]], #[[ROW]]], iterator_types = ["parallel", "reduction"]} ins(%[[EXP]] : tensor<?x10xf32>)
// CHECK: arith.addf
// CHECK: linalg.generic {indexing_maps = [#[[ID]], #[[ROW]], #[[ID]]], iterator_types = ["parallel", "parallel"]} ins(%[[EXP]], %[[SUM]] : tensor<?x10xf32>, tensor<?xf32>)
// CHECK: arith.divf
func.func @softmax(%x: tensor<?x10xf32>) -> tensor<?x10xf32> {
  %0 = tc.softmax %x, 1 : tensor<?x10xf32>
  return %0 : tensor<?x10xf32>
}

// -----

// log_softmax over axis 0 of an f16 tensor: the max in f16 (exact), the sum
// of exponentials in f32, x - max - log(sum) rounded once.
// CHECK-DAG: #[[ID:.*]] = affine_map<(d0, d1) -> (d0, d1)>
// CHECK-DAG: #[[COL:.*]] = affine_map<(d0, d1) -> (d1)>
// CHECK-LABEL: func.func @log_softmax
// CHECK: %[[MAX:.*]] = linalg.generic {indexing_maps = [#[[ID]], #[[COL]]], iterator_types = ["reduction", "parallel"]} {{.*}} outs(%{{.*}} : tensor<3xf16>)
// CHECK: %[[SUM:.*]] = linalg.generic {indexing_maps = [#[[ID]], #[[COL]], #[[COL]]], iterator_types = ["reduction", "parallel"]} ins(%arg0, %[[MAX]] : tensor<4x3xf16>, tensor<3xf16>) outs(%{{.*}} : tensor<3xf32>)
// CHECK: math.exp {{.*}} : f32
// CHECK: linalg.generic {indexing_maps = [#[[ID]], #[[COL]], #[[COL]], #[[ID]]], {{.*}} ins(%arg0, %[[MAX]], %[[SUM]] : tensor<4x3xf16>, tensor<3xf16>, tensor<3xf32>) outs(%{{.*}} : tensor<4x3xf16>)
// CHECK: %[[D:.*]] = arith.subf {{.*}} : f32
// CHECK-NEXT: %[[L:.*]] = math.log %{{.*}} : f32
// CHECK-NEXT: %[[R:.*]] = arith.subf %[[D]], %[[L]] : f32
// CHECK-NEXT: arith.truncf %[[R]] : f32 to f16
func.func @log_softmax(%x: tensor<4x3xf16>) -> tensor<4x3xf16> {
  %0 = tc.log_softmax %x, 0 : tensor<4x3xf16>
  return %0 : tensor<4x3xf16>
}

// -----

// layernorm over gamma's dims: mean, biased variance (two passes), then
// (x - mean) * rsqrt(var + eps) * gamma + beta.
// CHECK-DAG: #[[ID:.*]] = affine_map<(d0, d1, d2) -> (d0, d1, d2)>
// CHECK-DAG: #[[ROW:.*]] = affine_map<(d0, d1, d2) -> (d0, d1)>
// CHECK-DAG: #[[PARAM:.*]] = affine_map<(d0, d1, d2) -> (d2)>
// CHECK-LABEL: func.func @layernorm
// CHECK: %[[SUM:.*]] = linalg.generic {indexing_maps = [#[[ID]], #[[ROW]]], iterator_types = ["parallel", "parallel", "reduction"]}
// CHECK: %[[MEAN:.*]] = linalg.generic {{.*}} ins(%[[SUM]] : tensor<?x64xf32>)
// CHECK: arith.constant 1.280000e+02 : f32
// CHECK: %[[VAR:.*]] = linalg.generic {indexing_maps = [#[[ID]], #[[ROW]], #[[ROW]]], iterator_types = ["parallel", "parallel", "reduction"]} ins(%arg0, %[[MEAN]]
// CHECK: %[[C:.*]] = arith.subf
// CHECK-NEXT: %[[SQ:.*]] = arith.mulf %[[C]], %[[C]]
// CHECK-NEXT: arith.addf %{{.*}}, %[[SQ]]
// CHECK: linalg.generic {indexing_maps = [#[[ID]], #[[ROW]], #[[ROW]], #[[PARAM]], #[[PARAM]], #[[ID]]], iterator_types = ["parallel", "parallel", "parallel"]} ins(%arg0, %[[MEAN]], %[[VAR]], %arg1, %arg2
// CHECK: ^bb0(%[[X:.*]]: f32, %[[M:.*]]: f32, %[[V:.*]]: f32, %[[G:.*]]: f32, %[[B:.*]]: f32, %{{.*}}: f32):
// CHECK-NEXT: %[[XC:.*]] = arith.subf %[[X]], %[[M]]
// CHECK-NEXT: %[[N:.*]] = arith.constant 1.280000e+02 : f32
// CHECK-NEXT: %[[VM:.*]] = arith.divf %[[V]], %[[N]]
// CHECK-NEXT: %[[EPS:.*]] = arith.constant 9.99999974E-6 : f32
// CHECK-NEXT: %[[VE:.*]] = arith.addf %[[VM]], %[[EPS]]
// CHECK-NEXT: %[[RS:.*]] = math.rsqrt %[[VE]]
// CHECK-NEXT: %[[Y:.*]] = arith.mulf %[[XC]], %[[RS]]
// CHECK-NEXT: %[[YG:.*]] = arith.mulf %[[Y]], %[[G]]
// CHECK-NEXT: arith.addf %[[YG]], %[[B]]
func.func @layernorm(%x: tensor<?x64x128xf32>, %g: tensor<128xf32>, %b: tensor<128xf32>) -> tensor<?x64x128xf32> {
  %0 = tc.layernorm %x, %g, %b, 1.000000e-05 : tensor<?x64x128xf32>, tensor<128xf32>
  return %0 : tensor<?x64x128xf32>
}

// -----

// rmsnorm over two trailing dims: x * rsqrt(sum(x^2) / 24 + eps) * gamma.
// CHECK-DAG: #[[ID:.*]] = affine_map<(d0, d1, d2) -> (d0, d1, d2)>
// CHECK-DAG: #[[ROW:.*]] = affine_map<(d0, d1, d2) -> (d0)>
// CHECK-DAG: #[[PARAM:.*]] = affine_map<(d0, d1, d2) -> (d1, d2)>
// CHECK-LABEL: func.func @rmsnorm
// CHECK: %[[SS:.*]] = linalg.generic {indexing_maps = [#[[ID]], #[[ROW]]], iterator_types = ["parallel", "reduction", "reduction"]}
// CHECK: arith.mulf %in, %in
// CHECK: linalg.generic {indexing_maps = [#[[ID]], #[[ROW]], #[[PARAM]], #[[ID]]], {{.*}} ins(%arg0, %[[SS]], %arg1
// CHECK: arith.constant 2.400000e+01 : f32
// CHECK: arith.constant 9.99999997E-7 : f32
// CHECK: math.rsqrt
func.func @rmsnorm(%x: tensor<?x3x8xf32>, %g: tensor<3x8xf32>) -> tensor<?x3x8xf32> {
  %0 = tc.rmsnorm %x, %g, 1.000000e-06 : tensor<?x3x8xf32>, tensor<3x8xf32>
  return %0 : tensor<?x3x8xf32>
}

// -----

// cross_entropy: row max and sum of exponentials, then a row generic that
// gathers the label's logit at a clamped index (NaN when out of range), then
// the mean over rows.
// CHECK-DAG: #[[V:.*]] = affine_map<(d0) -> (d0)>
// CHECK-DAG: #[[ALL:.*]] = affine_map<(d0) -> ()>
// CHECK-LABEL: func.func @cross_entropy
// CHECK: %[[MAX:.*]] = linalg.generic {{.*}} ins(%arg0 : tensor<?x10xf32>)
// CHECK: arith.maximumf
// CHECK: %[[SUM:.*]] = linalg.generic {{.*}} ins(%arg0, %[[MAX]] : tensor<?x10xf32>, tensor<?xf32>)
// CHECK: math.exp
// CHECK: %[[ROWS:.*]] = tensor.dim %arg0, %c0
// CHECK: %[[LOSS:.*]] = linalg.generic {indexing_maps = [#[[V]], #[[V]], #[[V]], #[[V]]], iterator_types = ["parallel"]} ins(%arg1, %[[MAX]], %[[SUM]] : tensor<?xi32>, tensor<?xf32>, tensor<?xf32>)
// CHECK: ^bb0(%[[LABEL:.*]]: i32, %[[M:.*]]: f32, %[[S:.*]]: f32, %{{.*}}: f32):
// CHECK-NEXT: %[[L:.*]] = arith.index_cast %[[LABEL]] : i32 to index
// CHECK: %[[LO:.*]] = arith.maxsi %[[L]], %c0
// CHECK-NEXT: %[[COL:.*]] = arith.minsi %[[LO]],
// CHECK-NEXT: %[[OK:.*]] = arith.cmpi eq, %[[COL]], %[[L]]
// CHECK-NEXT: %[[ROW:.*]] = linalg.index 0
// CHECK-NEXT: %[[PICK:.*]] = tensor.extract %arg0[%[[ROW]], %[[COL]]] : tensor<?x10xf32>
// CHECK-NEXT: %[[LOG:.*]] = math.log %[[S]]
// CHECK-NEXT: %[[LSE:.*]] = arith.addf %[[M]], %[[LOG]]
// CHECK-NEXT: %[[NLL:.*]] = arith.subf %[[LSE]], %[[PICK]]
// CHECK-NEXT: %[[NAN:.*]] = arith.constant 0x7FC00000 : f32
// CHECK-NEXT: arith.select %[[OK]], %[[NLL]], %[[NAN]]
// CHECK: %[[TOTAL:.*]] = linalg.generic {indexing_maps = [#[[V]], #[[ALL]]], iterator_types = ["reduction"]} ins(%[[LOSS]] : tensor<?xf32>)
// CHECK: linalg.generic {{.*}} ins(%[[TOTAL]] : tensor<f32>) outs(%{{.*}} : tensor<f32>)
// CHECK: arith.index_cast %[[ROWS]] : index to i64
// CHECK-NEXT: arith.uitofp
// CHECK-NEXT: arith.divf
func.func @cross_entropy(%x: tensor<?x10xf32>, %y: tensor<?xi32>) -> tensor<f32> {
  %0 = tc.cross_entropy %x, %y : tensor<?x10xf32>, tensor<?xi32>
  return %0 : tensor<f32>
}

// -----

// mse: one reduction of (a - b)^2 to a scalar, then / count.
// CHECK-DAG: #[[ID:.*]] = affine_map<(d0, d1) -> (d0, d1)>
// CHECK-DAG: #[[ALL:.*]] = affine_map<(d0, d1) -> ()>
// CHECK-LABEL: func.func @mse
// CHECK: %[[T:.*]] = linalg.generic {indexing_maps = [#[[ID]], #[[ID]], #[[ALL]]], iterator_types = ["reduction", "reduction"]} ins(%arg0, %arg1
// CHECK: %[[D:.*]] = arith.subf
// CHECK-NEXT: %[[SQ:.*]] = arith.mulf %[[D]], %[[D]]
// CHECK-NEXT: arith.addf %{{.*}}, %[[SQ]]
// CHECK: %[[N:.*]] = tensor.dim %arg0, %c0
// CHECK: linalg.generic {{.*}} ins(%[[T]] : tensor<f32>)
// CHECK: arith.index_cast %[[N]]
func.func @mse(%a: tensor<?x1xf32>, %b: tensor<?x1xf32>) -> tensor<f32> {
  %0 = tc.mse %a, %b : tensor<?x1xf32>
  return %0 : tensor<f32>
}
