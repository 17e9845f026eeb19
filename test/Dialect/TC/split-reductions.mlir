// RUN: tensorc-opt %s -tc-split-reductions -split-input-file | FileCheck %s

// A scalar dot product of static size: linalg::splitReduction into 1,024
// partial sums of 65,536, then a sum of the partials into the init.
// CHECK-LABEL: func.func @dot
// CHECK-DAG: tensor.expand_shape %{{.*}} {{\[}}[0, 1]] output_shape [1024, 65536] : tensor<67108864xf32> into tensor<1024x65536xf32>
// CHECK: %[[F:.*]] = linalg.fill ins(%{{.*}} : f32) outs(%{{.*}} : tensor<1024xf32>)
// CHECK: %[[P:.*]] = linalg.generic {{.*}}iterator_types = ["parallel", "reduction"]{{.*}} outs(%[[F]] : tensor<1024xf32>)
// CHECK: arith.mulf
// CHECK: arith.addf
// CHECK: linalg.generic {{.*}}iterator_types = ["reduction"]{{.*}} ins(%[[P]] : tensor<1024xf32>) outs(%arg2 : tensor<f32>)
// CHECK: arith.addf
func.func @dot(%w: tensor<67108864xf32>, %g: tensor<67108864xf32>, %init: tensor<f32>) -> tensor<f32> {
  %s = linalg.generic {indexing_maps = [affine_map<(d0) -> (d0)>, affine_map<(d0) -> (d0)>, affine_map<(d0) -> ()>], iterator_types = ["reduction"]}
      ins(%w, %g : tensor<67108864xf32>, tensor<67108864xf32>) outs(%init : tensor<f32>) {
  ^bb0(%a: f32, %b: f32, %acc: f32):
    %p = arith.mulf %a, %b : f32
    %r = arith.addf %acc, %p : f32
    linalg.yield %r : f32
  } -> tensor<f32>
  return %s : tensor<f32>
}

// -----

// The sum of a matrix: the outer reduction loop becomes parallel (no
// reshape), 16,384 partial sums of 4,096, then their sum. The first stage
// starts from the neutral element (-0.0), the second from the init.
// CHECK-DAG: #[[ID2:.*]] = affine_map<(d0, d1) -> (d0, d1)>
// CHECK-DAG: #[[ROW:.*]] = affine_map<(d0, d1) -> (d0)>
// CHECK-DAG: #[[ID1:.*]] = affine_map<(d0) -> (d0)>
// CHECK-DAG: #[[SCALAR:.*]] = affine_map<(d0) -> ()>
// CHECK-LABEL: func.func @matrix_max
// CHECK-NOT: tensor.expand_shape
// CHECK-DAG: %[[NEG:.*]] = arith.constant 0xFF800000 : f32
// CHECK-DAG: %[[E:.*]] = tensor.empty() : tensor<16384xf32>
// CHECK: %[[F:.*]] = linalg.fill ins(%[[NEG]] : f32) outs(%[[E]] : tensor<16384xf32>)
// CHECK: %[[P:.*]] = linalg.generic {indexing_maps = [#[[ID2]], #[[ROW]]], iterator_types = ["parallel", "reduction"]} ins(%arg0 : tensor<16384x4096xf32>) outs(%[[F]] : tensor<16384xf32>)
// CHECK: math.absf
// CHECK: arith.maximumf
// CHECK: linalg.generic {indexing_maps = [#[[ID1]], #[[SCALAR]]], iterator_types = ["reduction"]} ins(%[[P]] : tensor<16384xf32>) outs(%arg1 : tensor<f32>)
// CHECK-NOT: math.absf
// CHECK: arith.maximumf
func.func @matrix_max(%x: tensor<16384x4096xf32>, %init: tensor<f32>) -> tensor<f32> {
  %s = linalg.generic {indexing_maps = [affine_map<(d0, d1) -> (d0, d1)>, affine_map<(d0, d1) -> ()>], iterator_types = ["reduction", "reduction"]}
      ins(%x : tensor<16384x4096xf32>) outs(%init : tensor<f32>) {
  ^bb0(%a: f32, %acc: f32):
    %v = math.absf %a : f32
    %r = arith.maximumf %acc, %v : f32
    linalg.yield %r : f32
  } -> tensor<f32>
  return %s : tensor<f32>
}

// -----

// A bias gradient with a symbolic batch: 32 outputs of B*28*28. The batch
// loop becomes parallel: 32*B partials of 784, sized by the batch.
// CHECK-DAG: #[[IN:.*]] = affine_map<(d0, d1, d2, d3) -> (d1, d0, d2, d3)>
// CHECK-DAG: #[[PART:.*]] = affine_map<(d0, d1, d2, d3) -> (d0, d1)>
// CHECK-LABEL: func.func @bias_grad
// CHECK: %[[B:.*]] = tensor.dim %arg0, %{{.*}} : tensor<?x32x28x28xf32>
// CHECK: %[[E:.*]] = tensor.empty(%[[B]]) : tensor<32x?xf32>
// CHECK: %[[F:.*]] = linalg.fill ins(%{{.*}} : f32) outs(%[[E]] : tensor<32x?xf32>)
// CHECK: %[[P:.*]] = linalg.generic {indexing_maps = [#[[IN]], #[[PART]]], iterator_types = ["parallel", "parallel", "reduction", "reduction"]} ins(%arg0 : tensor<?x32x28x28xf32>) outs(%[[F]] : tensor<32x?xf32>)
// CHECK: linalg.generic {{.*}}iterator_types = ["parallel", "reduction"]} ins(%[[P]] : tensor<32x?xf32>) outs(%arg1 : tensor<32xf32>)
func.func @bias_grad(%dy: tensor<?x32x28x28xf32>, %init: tensor<32xf32>) -> tensor<32xf32> {
  %s = linalg.generic {indexing_maps = [affine_map<(d0, d1, d2, d3) -> (d1, d0, d2, d3)>, affine_map<(d0, d1, d2, d3) -> (d0)>], iterator_types = ["parallel", "reduction", "reduction", "reduction"]}
      ins(%dy : tensor<?x32x28x28xf32>) outs(%init : tensor<32xf32>) {
  ^bb0(%a: f32, %acc: f32):
    %r = arith.addf %acc, %a : f32
    linalg.yield %r : f32
  } -> tensor<32xf32>
  return %s : tensor<32xf32>
}

// -----

// Must not split: enough outputs (a layernorm's 16,384 rows), a short
// scalar sum, a matrix product, a combiner without a neutral element.
// CHECK-LABEL: func.func @no_split
// CHECK-NOT: tensor.expand_shape
// CHECK: iterator_types = ["parallel", "reduction"]
// CHECK: iterator_types = ["reduction"]
// CHECK: iterator_types = ["parallel", "parallel", "reduction"]
// CHECK: iterator_types = ["reduction"]
// CHECK-NOT: linalg.generic
func.func @no_split(%x: tensor<16384x4096xf32>, %rows: tensor<16384xf32>, %v: tensor<4096xf32>, %s0: tensor<f32>,
                    %a: tensor<16x100000xf32>, %b: tensor<100000x16xf32>, %c: tensor<16x16xf32>, %big: tensor<1048576xf32>) -> (tensor<16384xf32>, tensor<f32>, tensor<16x16xf32>, tensor<f32>) {
  %r = linalg.generic {indexing_maps = [affine_map<(d0, d1) -> (d0, d1)>, affine_map<(d0, d1) -> (d0)>], iterator_types = ["parallel", "reduction"]}
      ins(%x : tensor<16384x4096xf32>) outs(%rows : tensor<16384xf32>) {
  ^bb0(%in: f32, %acc: f32):
    %y = arith.addf %acc, %in : f32
    linalg.yield %y : f32
  } -> tensor<16384xf32>
  %s = linalg.generic {indexing_maps = [affine_map<(d0) -> (d0)>, affine_map<(d0) -> ()>], iterator_types = ["reduction"]}
      ins(%v : tensor<4096xf32>) outs(%s0 : tensor<f32>) {
  ^bb0(%in: f32, %acc: f32):
    %y = arith.addf %acc, %in : f32
    linalg.yield %y : f32
  } -> tensor<f32>
  %m = linalg.generic {indexing_maps = [affine_map<(d0, d1, d2) -> (d0, d2)>, affine_map<(d0, d1, d2) -> (d2, d1)>, affine_map<(d0, d1, d2) -> (d0, d1)>], iterator_types = ["parallel", "parallel", "reduction"]}
      ins(%a, %b : tensor<16x100000xf32>, tensor<100000x16xf32>) outs(%c : tensor<16x16xf32>) {
  ^bb0(%p: f32, %q: f32, %acc: f32):
    %t = arith.mulf %p, %q : f32
    %y = arith.addf %acc, %t : f32
    linalg.yield %y : f32
  } -> tensor<16x16xf32>
  // A running "last value": not associative, no neutral element.
  %l = linalg.generic {indexing_maps = [affine_map<(d0) -> (d0)>, affine_map<(d0) -> ()>], iterator_types = ["reduction"]}
      ins(%big : tensor<1048576xf32>) outs(%s0 : tensor<f32>) {
  ^bb0(%in: f32, %acc: f32):
    %y = arith.subf %in, %acc : f32
    linalg.yield %y : f32
  } -> tensor<f32>
  return %r, %s, %m, %l : tensor<16384xf32>, tensor<f32>, tensor<16x16xf32>, tensor<f32>
}

// -----

// Edge: a prime extent has no ratio to split by; a static size that a
// ratio divides but that leaves odd parts (3 * 2^20) still splits.
// CHECK-LABEL: func.func @edge
// CHECK-NOT: tensor<1048573xf32> into
// CHECK: tensor.expand_shape %arg1 {{\[}}[0, 1]] output_shape [1024, 3072] : tensor<3145728xf32> into tensor<1024x3072xf32>
func.func @edge(%p: tensor<1048573xf32>, %q: tensor<3145728xf32>, %s0: tensor<f32>) -> (tensor<f32>, tensor<f32>) {
  %a = linalg.generic {indexing_maps = [affine_map<(d0) -> (d0)>, affine_map<(d0) -> ()>], iterator_types = ["reduction"]}
      ins(%p : tensor<1048573xf32>) outs(%s0 : tensor<f32>) {
  ^bb0(%in: f32, %acc: f32):
    %y = arith.addf %acc, %in : f32
    linalg.yield %y : f32
  } -> tensor<f32>
  %b = linalg.generic {indexing_maps = [affine_map<(d0) -> (d0)>, affine_map<(d0) -> ()>], iterator_types = ["reduction"]}
      ins(%q : tensor<3145728xf32>) outs(%s0 : tensor<f32>) {
  ^bb0(%in: f32, %acc: f32):
    %y = arith.addf %acc, %in : f32
    linalg.yield %y : f32
  } -> tensor<f32>
  return %a, %b : tensor<f32>, tensor<f32>
}
