// RUN: tensorc-opt %s -convert-tc-to-linalg -split-input-file | FileCheck %s

// A broadcast operand is read through a projected permutation; the dynamic
// size of the destination comes from the operand that has it.
// CHECK-DAG: #[[ID:.*]] = affine_map<(d0, d1) -> (d0, d1)>
// CHECK-DAG: #[[COL:.*]] = affine_map<(d0, d1) -> (d1)>
// CHECK-LABEL: func.func @add_bias
// CHECK-SAME: (%[[X:.*]]: tensor<?x256xf32>, %[[B:.*]]: tensor<256xf32>)
// CHECK: %[[N:.*]] = tensor.dim %[[X]], %c0
// CHECK: %[[E:.*]] = tensor.empty(%[[N]]) : tensor<?x256xf32>
// CHECK: %[[R:.*]] = linalg.generic {indexing_maps = [#[[ID]], #[[COL]], #[[ID]]], iterator_types = ["parallel", "parallel"]}
// CHECK-SAME: ins(%[[X]], %[[B]] : tensor<?x256xf32>, tensor<256xf32>) outs(%[[E]] : tensor<?x256xf32>)
// CHECK: arith.addf
// CHECK: return %[[R]]
func.func @add_bias(%x: tensor<?x256xf32>, %b: tensor<256xf32>) -> tensor<?x256xf32> {
  %0 = tc.add %x, %b : tensor<?x256xf32>, tensor<256xf32>
  return %0 : tensor<?x256xf32>
}

// -----

// Broadcasting both ways: each stretched unit dim is collapsed away first.
// CHECK-DAG: #[[ID:.*]] = affine_map<(d0, d1) -> (d0, d1)>
// CHECK-DAG: #[[ROW:.*]] = affine_map<(d0, d1) -> (d0)>
// CHECK-DAG: #[[COL:.*]] = affine_map<(d0, d1) -> (d1)>
// CHECK-LABEL: func.func @outer
// CHECK: %[[A:.*]] = tensor.collapse_shape %arg0 {{\[\[}}0, 1]] : tensor<?x1xf32> into tensor<?xf32>
// CHECK: %[[B:.*]] = tensor.collapse_shape %arg1 {{\[\[}}0, 1]] : tensor<1x3xf32> into tensor<3xf32>
// CHECK: linalg.generic {indexing_maps = [#[[ROW]], #[[COL]], #[[ID]]]
// CHECK-SAME: ins(%[[A]], %[[B]] : tensor<?xf32>, tensor<3xf32>)
// CHECK: arith.subf
func.func @outer(%a: tensor<?x1xf32>, %b: tensor<1x3xf32>) -> tensor<?x3xf32> {
  %0 = tc.sub %a, %b : tensor<?x1xf32>, tensor<1x3xf32>
  return %0 : tensor<?x3xf32>
}

// -----

// Unit dims that do not stretch stay; a rank-0 operand has an empty map.
// CHECK-DAG: #[[ID:.*]] = affine_map<(d0, d1, d2) -> (d0, d1, d2)>
// CHECK-DAG: #[[SCALAR:.*]] = affine_map<(d0, d1, d2) -> ()>
// CHECK-LABEL: func.func @scalar
// CHECK-NOT: collapse_shape
// CHECK: linalg.generic {indexing_maps = [#[[ID]], #[[SCALAR]], #[[ID]]]
// CHECK-SAME: ins(%arg0, %arg1 : tensor<2x1x3xf32>, tensor<f32>)
// CHECK: arith.mulf
func.func @scalar(%x: tensor<2x1x3xf32>, %s: tensor<f32>) -> tensor<2x1x3xf32> {
  %0 = tc.mul %x, %s : tensor<2x1x3xf32>, tensor<f32>
  return %0 : tensor<2x1x3xf32>
}

// -----

// CHECK: #[[MAP:.*]] = affine_map<() -> ()>
// CHECK-LABEL: func.func @rank0
// CHECK: linalg.generic {indexing_maps = [#[[MAP]], #[[MAP]], #[[MAP]]], iterator_types = []}
// CHECK: arith.divf
func.func @rank0(%x: tensor<f32>, %y: tensor<f32>) -> tensor<f32> {
  %0 = tc.div %x, %y : tensor<f32>, tensor<f32>
  return %0 : tensor<f32>
}

// -----

// Integer ops: truncating division, signed max/min, 0 - x, absi.
// CHECK-LABEL: func.func @ints
// CHECK: arith.divsi
// CHECK: arith.maxsi
// CHECK: arith.minsi
// CHECK: %[[Z:.*]] = arith.constant 0 : i32
// CHECK-NEXT: arith.subi %[[Z]], %in
// CHECK: math.absi
func.func @ints(%x: tensor<4xi32>, %y: tensor<4xi32>) -> (tensor<4xi32>, tensor<4xi32>, tensor<4xi32>, tensor<4xi32>, tensor<4xi32>) {
  %0 = tc.div %x, %y : tensor<4xi32>, tensor<4xi32>
  %1 = tc.maximum %x, %y : tensor<4xi32>, tensor<4xi32>
  %2 = tc.minimum %x, %y : tensor<4xi32>, tensor<4xi32>
  %3 = tc.neg %x : tensor<4xi32>
  %4 = tc.abs %x : tensor<4xi32>
  return %0, %1, %2, %3, %4 : tensor<4xi32>, tensor<4xi32>, tensor<4xi32>, tensor<4xi32>, tensor<4xi32>
}

// -----

// Float maximum/minimum propagate NaN.
// CHECK-LABEL: func.func @float_max_min
// CHECK: arith.maximumf
// CHECK: arith.minimumf
// CHECK: arith.negf
// CHECK: math.absf
func.func @float_max_min(%x: tensor<4xf32>, %y: tensor<4xf32>) -> (tensor<4xf32>, tensor<4xf32>, tensor<4xf32>, tensor<4xf32>) {
  %0 = tc.maximum %x, %y : tensor<4xf32>, tensor<4xf32>
  %1 = tc.minimum %x, %y : tensor<4xf32>, tensor<4xf32>
  %2 = tc.neg %x : tensor<4xf32>
  %3 = tc.abs %x : tensor<4xf32>
  return %0, %1, %2, %3 : tensor<4xf32>, tensor<4xf32>, tensor<4xf32>, tensor<4xf32>
}

// -----

// Float comparisons are ordered except `ne`; ints compare signed, bools
// unsigned.
// CHECK-LABEL: func.func @cmp
// CHECK: arith.cmpf olt
// CHECK: arith.cmpf ole
// CHECK: arith.cmpf ogt
// CHECK: arith.cmpf oge
// CHECK: arith.cmpf oeq
// CHECK: arith.cmpf une
// CHECK: arith.cmpi sge, {{.*}} : i64
// CHECK: arith.cmpi ult, {{.*}} : i1
func.func @cmp(%x: tensor<4xf32>, %y: tensor<4xf32>, %i: tensor<4xi64>, %b: tensor<4xi1>) -> (tensor<4xi1>, tensor<4xi1>, tensor<4xi1>, tensor<4xi1>, tensor<4xi1>, tensor<4xi1>, tensor<4xi1>, tensor<4xi1>) {
  %0 = tc.cmp lt, %x, %y : tensor<4xf32>, tensor<4xf32>
  %1 = tc.cmp le, %x, %y : tensor<4xf32>, tensor<4xf32>
  %2 = tc.cmp gt, %x, %y : tensor<4xf32>, tensor<4xf32>
  %3 = tc.cmp ge, %x, %y : tensor<4xf32>, tensor<4xf32>
  %4 = tc.cmp eq, %x, %y : tensor<4xf32>, tensor<4xf32>
  %5 = tc.cmp ne, %x, %y : tensor<4xf32>, tensor<4xf32>
  %6 = tc.cmp ge, %i, %i : tensor<4xi64>, tensor<4xi64>
  %7 = tc.cmp lt, %b, %b : tensor<4xi1>, tensor<4xi1>
  return %0, %1, %2, %3, %4, %5, %6, %7 : tensor<4xi1>, tensor<4xi1>, tensor<4xi1>, tensor<4xi1>, tensor<4xi1>, tensor<4xi1>, tensor<4xi1>, tensor<4xi1>
}

// -----

// CHECK-DAG: #[[ID:.*]] = affine_map<(d0, d1) -> (d0, d1)>
// CHECK-DAG: #[[ROW:.*]] = affine_map<(d0, d1) -> (d0)>
// CHECK-DAG: #[[COL:.*]] = affine_map<(d0, d1) -> (d1)>
// CHECK-DAG: #[[SCALAR:.*]] = affine_map<(d0, d1) -> ()>
// CHECK-LABEL: func.func @select
// CHECK: %[[C:.*]] = tensor.collapse_shape %arg0 {{\[\[}}0, 1]] : tensor<4x1xi1> into tensor<4xi1>
// CHECK: linalg.generic {indexing_maps = [#[[ROW]], #[[COL]], #[[SCALAR]], #[[ID]]]
// CHECK-SAME: ins(%[[C]], %arg1, %arg2 : tensor<4xi1>, tensor<3xf32>, tensor<f32>)
// CHECK: ^bb0(%[[IN:.*]]: i1, %[[A:.*]]: f32, %[[B:.*]]: f32, %{{.*}}: f32):
// CHECK-NEXT: arith.select %[[IN]], %[[A]], %[[B]] : f32
func.func @select(%c: tensor<4x1xi1>, %a: tensor<3xf32>, %b: tensor<f32>) -> tensor<4x3xf32> {
  %0 = tc.select %c, %a, %b : tensor<4x1xi1>, tensor<3xf32>, tensor<f32>
  return %0 : tensor<4x3xf32>
}

// -----

// The payloads of the unary math ops (PyTorch's formulas).
// CHECK-LABEL: func.func @unary
// relu: maximumf with 0 (NaN propagates).
// CHECK: %[[Z:.*]] = arith.constant 0.000000e+00 : f32
// CHECK-NEXT: arith.maximumf %in, %[[Z]]
// sigmoid: 1 / (1 + exp(-x)).
// CHECK: %[[ONE:.*]] = arith.constant 1.000000e+00 : f32
// CHECK-NEXT: %[[NEG:.*]] = arith.negf %in
// CHECK-NEXT: %[[EXP:.*]] = math.exp %[[NEG]]
// CHECK-NEXT: %[[DEN:.*]] = arith.addf %[[ONE]], %[[EXP]]
// CHECK-NEXT: arith.divf %[[ONE]], %[[DEN]]
// gelu: 0.5 x (1 + erf(x / sqrt(2))).
// CHECK: arith.constant 0.707106769 : f32
// CHECK: math.erf
// gelu, tanh form.
// CHECK: arith.constant 4.471500e-02 : f32
// CHECK: arith.constant 0.797884583 : f32
// CHECK: math.tanh
// silu: x * sigmoid(x).
// CHECK: math.exp
// CHECK: %[[SIG:.*]] = arith.divf
// CHECK-NEXT: arith.mulf %in, %[[SIG]]
// CHECK: math.rsqrt
// CHECK: math.sqrt
// CHECK: math.log
// CHECK: math.tanh
// pow: a general exponent uses powf, the special ones PyTorch's forms.
// CHECK: %[[E:.*]] = arith.constant 2.500000e+00 : f32
// CHECK-NEXT: math.powf %in, %[[E]]
// CHECK: %[[SQ:.*]] = arith.mulf %in, %in
// CHECK-NEXT: linalg.yield %[[SQ]]
// CHECK: %[[SQ3:.*]] = arith.mulf %in, %in
// CHECK-NEXT: arith.mulf %[[SQ3]], %in
// CHECK: math.sqrt
// CHECK: math.rsqrt
// CHECK: arith.divf
func.func @unary(%x: tensor<?x8xf32>) -> tensor<?x8xf32> {
  %0 = tc.relu %x : tensor<?x8xf32>
  %1 = tc.sigmoid %0 : tensor<?x8xf32>
  %2 = tc.gelu %1 : tensor<?x8xf32>
  %3 = tc.gelu %2 approximate_tanh : tensor<?x8xf32>
  %4 = tc.silu %3 : tensor<?x8xf32>
  %5 = tc.rsqrt %4 : tensor<?x8xf32>
  %6 = tc.sqrt %5 : tensor<?x8xf32>
  %7 = tc.log %6 : tensor<?x8xf32>
  %8 = tc.tanh %7 : tensor<?x8xf32>
  %9 = tc.pow %8, 2.5 : tensor<?x8xf32>
  %10 = tc.pow %9, 2.0 : tensor<?x8xf32>
  %11 = tc.pow %10, 3.0 : tensor<?x8xf32>
  %12 = tc.pow %11, 0.5 : tensor<?x8xf32>
  %13 = tc.pow %12, -0.5 : tensor<?x8xf32>
  %14 = tc.pow %13, -1.0 : tensor<?x8xf32>
  return %14 : tensor<?x8xf32>
}

// -----

// f16/bf16 math runs in f32 and rounds once; plain arithmetic stays native.
// CHECK-LABEL: func.func @half
// CHECK: ^bb0(%[[IN:.*]]: f16, %{{.*}}: f16):
// CHECK-NEXT: %[[W:.*]] = arith.extf %[[IN]] : f16 to f32
// CHECK-NEXT: %[[E:.*]] = math.exp %[[W]] : f32
// CHECK-NEXT: arith.truncf %[[E]] : f32 to f16
// CHECK: arith.addf {{.*}} : f16
// CHECK: arith.extf {{.*}} : bf16 to f32
// CHECK: math.erf {{.*}} : f32
// CHECK: arith.truncf {{.*}} : f32 to bf16
func.func @half(%x: tensor<8xf16>, %y: tensor<8xbf16>) -> (tensor<8xf16>, tensor<8xbf16>) {
  %0 = tc.exp %x : tensor<8xf16>
  %1 = tc.add %0, %x : tensor<8xf16>, tensor<8xf16>
  %2 = tc.gelu %y : tensor<8xbf16>
  return %1, %2 : tensor<8xf16>, tensor<8xbf16>
}

// -----

// CHECK-LABEL: func.func @constant
// CHECK-NEXT: %[[C:.*]] = arith.constant dense<[1.000000e+00, 2.000000e+00]> : tensor<2xf32>
// CHECK-NEXT: return %[[C]]
func.func @constant() -> tensor<2xf32> {
  %0 = tc.constant dense<[1.0, 2.0]> : tensor<2xf32>
  return %0 : tensor<2xf32>
}

// -----

// Parameter declarations stay; parameters are arguments by now.
// CHECK: tc.param @w : tensor<4xf32> = zeros
// CHECK-LABEL: func.func @with_param
// CHECK: linalg.generic
// CHECK-NOT: tc.
tc.param @w : tensor<4xf32> = zeros
func.func @with_param(%x: tensor<4xf32>, %w: tensor<4xf32> {tc.param = "w"}) -> tensor<4xf32> {
  %0 = tc.add %x, %w : tensor<4xf32>, tensor<4xf32>
  return %0 : tensor<4xf32>
}
