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

// -----

// Split-K: a filter gradient's product, 32x9 outputs (one tile) over
// K = B*784 read through gathers. Chunks of 512 of K become a batch dim of
// the product; the gathers are recomputed at k = s * 512 + kc (zero past K)
// and a row reduction adds the chunks into the init.
// CHECK-DAG: #[[A:.*]] = affine_map<(d0, d1, d2, d3) -> (d0, d1, d3)>
// CHECK-DAG: #[[B:.*]] = affine_map<(d0, d1, d2, d3) -> (d0, d3, d2)>
// CHECK-DAG: #[[C:.*]] = affine_map<(d0, d1, d2, d3) -> (d0, d1, d2)>
// CHECK-DAG: #[[SUMIN:.*]] = affine_map<(d0, d1, d2) -> (d2, d0, d1)>
// CHECK-DAG: #[[SUMOUT:.*]] = affine_map<(d0, d1, d2) -> (d0, d1)>
// CHECK-LABEL: func.func @filter_grad
// CHECK: %[[S:.*]] = arith.ceildivui %{{.*}}, %c512
// CHECK: %[[AC:.*]] = linalg.generic {{.*}}outs(%{{.*}} : tensor<?x32x512xf32>)
// CHECK: arith.cmpi ult
// CHECK: tensor.extract %arg0
// CHECK: arith.select
// CHECK: %[[BC:.*]] = linalg.generic {{.*}}outs(%{{.*}} : tensor<?x512x9xf32>)
// CHECK: tensor.extract %arg1
// CHECK: %[[P:.*]] = linalg.generic {indexing_maps = [#[[A]], #[[B]], #[[C]]], iterator_types = ["parallel", "parallel", "parallel", "reduction"]} ins(%[[AC]], %[[BC]] : tensor<?x32x512xf32>, tensor<?x512x9xf32>) outs(%{{.*}} : tensor<?x32x9xf32>)
// CHECK: linalg.generic {indexing_maps = [#[[SUMIN]], #[[SUMOUT]]], iterator_types = ["parallel", "parallel", "reduction"]} ins(%[[P]] : tensor<?x32x9xf32>) outs(%arg2 : tensor<32x9xf32>)
// CHECK-NOT: linalg.matmul
func.func @filter_grad(%dy: tensor<?x32x784xf32>, %x: tensor<?x9x784xf32>, %init: tensor<32x9xf32>, %b: index) -> tensor<32x9xf32> {
  %c784 = arith.constant 784 : index
  %k = arith.muli %b, %c784 : index
  %ea = tensor.empty(%k) : tensor<32x?xf32>
  %a = linalg.generic {indexing_maps = [affine_map<(d0, d1) -> (d0, d1)>], iterator_types = ["parallel", "parallel"]} outs(%ea : tensor<32x?xf32>) {
  ^bb0(%out: f32):
    %i = linalg.index 0 : index
    %j = linalg.index 1 : index
    %n = arith.divui %j, %c784 : index
    %p = arith.remui %j, %c784 : index
    %v = tensor.extract %dy[%n, %i, %p] : tensor<?x32x784xf32>
    linalg.yield %v : f32
  } -> tensor<32x?xf32>
  %eb = tensor.empty(%k) : tensor<?x9xf32>
  %bm = linalg.generic {indexing_maps = [affine_map<(d0, d1) -> (d0, d1)>], iterator_types = ["parallel", "parallel"]} outs(%eb : tensor<?x9xf32>) {
  ^bb0(%out: f32):
    %i = linalg.index 0 : index
    %j = linalg.index 1 : index
    %n = arith.divui %i, %c784 : index
    %p = arith.remui %i, %c784 : index
    %v = tensor.extract %x[%n, %j, %p] : tensor<?x9x784xf32>
    linalg.yield %v : f32
  } -> tensor<?x9xf32>
  %r = linalg.matmul ins(%a, %bm : tensor<32x?xf32>, tensor<?x9xf32>) outs(%init : tensor<32x9xf32>) -> tensor<32x9xf32>
  return %r : tensor<32x9xf32>
}

// -----

// Split-K of plain tensors with a static K: 16x16 outputs, K = 100,000 in
// 241 chunks of 416 (the last one partly past K), read with tensor.extract.
// Not split: many tiles (a 1024x1024 output), a short symbolic K (a dense
// layer's weight gradient over the batch), f16 operands into f32.
// CHECK-LABEL: func.func @split_k_static
// CHECK: arith.constant 416 : index
// CHECK: tensor<?x16x416xf32>
// CHECK: tensor<?x416x16xf32>
// CHECK: iterator_types = ["parallel", "parallel", "parallel", "reduction"]
// CHECK: iterator_types = ["parallel", "parallel", "reduction"]
// CHECK: linalg.matmul ins(%arg3, %arg4 : tensor<1024x8192xf32>, tensor<8192x1024xf32>)
// CHECK: linalg.matmul ins(%arg6, %arg7 : tensor<128x?xf32>, tensor<?x10xf32>)
// CHECK: linalg.matmul ins(%arg9, %arg10 : tensor<16x100000xf16>, tensor<100000x16xf16>)
func.func @split_k_static(%a: tensor<16x100000xf32>, %b: tensor<100000x16xf32>, %c: tensor<16x16xf32>,
                          %wa: tensor<1024x8192xf32>, %wb: tensor<8192x1024xf32>, %wc: tensor<1024x1024xf32>,
                          %da: tensor<128x?xf32>, %db: tensor<?x10xf32>, %dc: tensor<128x10xf32>,
                          %ha: tensor<16x100000xf16>, %hb: tensor<100000x16xf16>, %hc: tensor<16x16xf32>)
    -> (tensor<16x16xf32>, tensor<1024x1024xf32>, tensor<128x10xf32>, tensor<16x16xf32>) {
  %0 = linalg.matmul ins(%a, %b : tensor<16x100000xf32>, tensor<100000x16xf32>) outs(%c : tensor<16x16xf32>) -> tensor<16x16xf32>
  %1 = linalg.matmul ins(%wa, %wb : tensor<1024x8192xf32>, tensor<8192x1024xf32>) outs(%wc : tensor<1024x1024xf32>) -> tensor<1024x1024xf32>
  %2 = linalg.matmul ins(%da, %db : tensor<128x?xf32>, tensor<?x10xf32>) outs(%dc : tensor<128x10xf32>) -> tensor<128x10xf32>
  %3 = linalg.matmul ins(%ha, %hb : tensor<16x100000xf16>, tensor<100000x16xf16>) outs(%hc : tensor<16x16xf32>) -> tensor<16x16xf32>
  return %0, %1, %2, %3 : tensor<16x16xf32>, tensor<1024x1024xf32>, tensor<128x10xf32>, tensor<16x16xf32>
}
