// RUN: tensorc-opt %s -tc-fuse-elementwise -split-input-file | FileCheck %s

#id = affine_map<(d0) -> (d0)>

// A chain becomes one generic.
// CHECK-LABEL: func.func @chain
// CHECK-COUNT-1: linalg.generic
// CHECK: math.exp
// CHECK: arith.mulf
// CHECK-NOT: linalg.generic
func.func @chain(%x: tensor<8xf32>) -> tensor<8xf32> {
  %e = tensor.empty() : tensor<8xf32>
  %a = linalg.generic {indexing_maps = [#id, #id], iterator_types = ["parallel"]}
      ins(%x : tensor<8xf32>) outs(%e : tensor<8xf32>) {
  ^bb0(%v: f32, %o: f32):
    %r = math.exp %v : f32
    linalg.yield %r : f32
  } -> tensor<8xf32>
  %b = linalg.generic {indexing_maps = [#id, #id], iterator_types = ["parallel"]}
      ins(%a : tensor<8xf32>) outs(%e : tensor<8xf32>) {
  ^bb0(%v: f32, %o: f32):
    %r = arith.mulf %v, %v : f32
    linalg.yield %r : f32
  } -> tensor<8xf32>
  return %b : tensor<8xf32>
}

// -----

#id = affine_map<(d0) -> (d0)>

// A cheap producer with two consumers is recomputed in each: no generic
// produces the exp on its own any more.
// CHECK-LABEL: func.func @recompute
// CHECK-COUNT-2: math.exp
// CHECK-NOT: math.exp
func.func @recompute(%x: tensor<8xf32>) -> (tensor<8xf32>, tensor<8xf32>) {
  %e = tensor.empty() : tensor<8xf32>
  %a = linalg.generic {indexing_maps = [#id, #id], iterator_types = ["parallel"]}
      ins(%x : tensor<8xf32>) outs(%e : tensor<8xf32>) {
  ^bb0(%v: f32, %o: f32):
    %r = math.exp %v : f32
    linalg.yield %r : f32
  } -> tensor<8xf32>
  %b = linalg.generic {indexing_maps = [#id, #id], iterator_types = ["parallel"]}
      ins(%a : tensor<8xf32>) outs(%e : tensor<8xf32>) {
  ^bb0(%v: f32, %o: f32):
    %r = arith.mulf %v, %v : f32
    linalg.yield %r : f32
  } -> tensor<8xf32>
  %c = linalg.generic {indexing_maps = [#id, #id], iterator_types = ["parallel"]}
      ins(%a : tensor<8xf32>) outs(%e : tensor<8xf32>) {
  ^bb0(%v: f32, %o: f32):
    %r = arith.addf %v, %v : f32
    linalg.yield %r : f32
  } -> tensor<8xf32>
  return %b, %c : tensor<8xf32>, tensor<8xf32>
}

// -----

#id2 = affine_map<(d0, d1) -> (d0, d1)>
#row = affine_map<(d0, d1) -> (d0)>

// An elementwise producer fuses into the reduction that consumes it.
// CHECK-LABEL: func.func @into_reduction
// CHECK: linalg.generic
// CHECK-SAME: iterator_types = ["parallel", "reduction"]
// CHECK: math.exp
// CHECK: arith.addf
// CHECK-NOT: linalg.generic
func.func @into_reduction(%x: tensor<4x8xf32>) -> tensor<4xf32> {
  %zero = arith.constant 0.0 : f32
  %e = tensor.empty() : tensor<4x8xf32>
  %a = linalg.generic {indexing_maps = [#id2, #id2], iterator_types = ["parallel", "parallel"]}
      ins(%x : tensor<4x8xf32>) outs(%e : tensor<4x8xf32>) {
  ^bb0(%v: f32, %o: f32):
    %r = math.exp %v : f32
    linalg.yield %r : f32
  } -> tensor<4x8xf32>
  %e1 = tensor.empty() : tensor<4xf32>
  %f = linalg.fill ins(%zero : f32) outs(%e1 : tensor<4xf32>) -> tensor<4xf32>
  %s = linalg.generic {indexing_maps = [#id2, #row], iterator_types = ["parallel", "reduction"]}
      ins(%a : tensor<4x8xf32>) outs(%f : tensor<4xf32>) {
  ^bb0(%v: f32, %acc: f32):
    %r = arith.addf %v, %acc : f32
    linalg.yield %r : f32
  } -> tensor<4xf32>
  return %s : tensor<4xf32>
}

// -----

#id3 = affine_map<(d0, d1, d2) -> (d0, d1, d2)>
#bias3 = affine_map<(d0, d1, d2) -> (d2)>

// An elementwise op on an expanded matmul result runs on the collapsed
// (2-D) shape, reading the matmul directly, and the reshape moves after it.
// CHECK-LABEL: func.func @matmul_epilogue_collapse
// CHECK: %[[M:.*]] = linalg.matmul
// CHECK: %[[G:.*]] = linalg.generic
// CHECK-SAME: ins(%[[M]], %{{.*}} : tensor<?x16xf32>, tensor<16xf32>)
// CHECK: tensor.expand_shape %[[G]]
func.func @matmul_epilogue_collapse(%x: tensor<?x8xf32>, %w: tensor<8x16xf32>, %b: tensor<16xf32>, %n: index) -> tensor<?x4x16xf32> {
  %c0 = arith.constant 0 : index
  %zero = arith.constant 0.0 : f32
  %rows = tensor.dim %x, %c0 : tensor<?x8xf32>
  %e = tensor.empty(%rows) : tensor<?x16xf32>
  %f = linalg.fill ins(%zero : f32) outs(%e : tensor<?x16xf32>) -> tensor<?x16xf32>
  %m = linalg.matmul ins(%x, %w : tensor<?x8xf32>, tensor<8x16xf32>) outs(%f : tensor<?x16xf32>) -> tensor<?x16xf32>
  %r = tensor.expand_shape %m [[0, 1], [2]] output_shape [%n, 4, 16] : tensor<?x16xf32> into tensor<?x4x16xf32>
  %e3 = tensor.empty(%n) : tensor<?x4x16xf32>
  %y = linalg.generic {indexing_maps = [#id3, #bias3, #id3], iterator_types = ["parallel", "parallel", "parallel"]}
      ins(%r, %b : tensor<?x4x16xf32>, tensor<16xf32>) outs(%e3 : tensor<?x4x16xf32>) {
  ^bb0(%v: f32, %c: f32, %o: f32):
    %s = arith.addf %v, %c : f32
    linalg.yield %s : f32
  } -> tensor<?x4x16xf32>
  return %y : tensor<?x4x16xf32>
}

// -----

#id = affine_map<(d0, d1) -> (d0, d1)>
#all = affine_map<(d0, d1) -> ()>

// Found by the random-model test: the tanh is fused into the sum first; the
// tanh op is then dead but not yet erased, and fusing the cast into the sum
// at that point kept the cast's result for it as a second, full-size output
// of the sum, which the reduction emitter cannot compute. The cast is fused
// once the dead tanh is gone; the gather (no inputs) stays a producer, as
// it would leave no input to size the loops.
// CHECK-LABEL: func.func @reduce_after_dead_user
// CHECK: linalg.generic {{.*}}["parallel", "parallel"]} outs(
// CHECK: linalg.generic {{.*}}["reduction", "reduction"]} ins({{.*}}) outs({{%[a-z0-9_]+}} : tensor<f64>)
// CHECK-NOT: linalg.generic
func.func @reduce_after_dead_user(%arg0: tensor<17x13xf32>) -> tensor<f64> {
  %c16 = arith.constant 16 : index
  %zero = arith.constant 0.000000e+00 : f64
  %e32 = tensor.empty() : tensor<1x13xf32>
  %row = linalg.generic {indexing_maps = [#id], iterator_types = ["parallel", "parallel"]} outs(%e32 : tensor<1x13xf32>) {
  ^bb0(%out: f32):
    %j = linalg.index 1 : index
    %v = tensor.extract %arg0[%c16, %j] : tensor<17x13xf32>
    linalg.yield %v : f32
  } -> tensor<1x13xf32>
  %e64 = tensor.empty() : tensor<1x13xf64>
  %wide = linalg.generic {indexing_maps = [#id, #id], iterator_types = ["parallel", "parallel"]} ins(%row : tensor<1x13xf32>) outs(%e64 : tensor<1x13xf64>) {
  ^bb0(%in: f32, %out: f64):
    %x = arith.extf %in : f32 to f64
    linalg.yield %x : f64
  } -> tensor<1x13xf64>
  %t = linalg.generic {indexing_maps = [#id, #id], iterator_types = ["parallel", "parallel"]} ins(%wide : tensor<1x13xf64>) outs(%e64 : tensor<1x13xf64>) {
  ^bb0(%in: f64, %out: f64):
    %x = math.tanh %in : f64
    linalg.yield %x : f64
  } -> tensor<1x13xf64>
  %e0 = tensor.empty() : tensor<f64>
  %acc = linalg.fill ins(%zero : f64) outs(%e0 : tensor<f64>) -> tensor<f64>
  %sum = linalg.generic {indexing_maps = [#id, #all], iterator_types = ["reduction", "reduction"]} ins(%t : tensor<1x13xf64>) outs(%acc : tensor<f64>) {
  ^bb0(%in: f64, %out: f64):
    %x = arith.addf %out, %in : f64
    linalg.yield %x : f64
  } -> tensor<f64>
  return %sum : tensor<f64>
}
