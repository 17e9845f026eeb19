// RUN: tensorc-opt %s -tc-form-kernels -split-input-file | FileCheck %s
// RUN: tensorc-opt %s -tc-form-kernels=report -split-input-file -o /dev/null 2>&1 | FileCheck %s --check-prefix=REPORT
// RUN: tensorc-opt %s -tc-form-kernels=no-fusion -split-input-file | FileCheck %s --check-prefix=NOFUSE

#id2 = affine_map<(d0, d1) -> (d0, d1)>
#row = affine_map<(d0, d1) -> (d1)>
#col = affine_map<(d0, d1) -> (d0)>

// A dense layer: the matmul, its zero init, and the bias + relu epilogue are
// one contraction kernel.
// CHECK-LABEL: func.func @dense
// CHECK: %[[K:.*]] = tc.kernel "dense_k0" contraction ins(%{{.*}}, %{{.*}}, %{{.*}}, %{{.*}} : index, tensor<?x784xf32>, tensor<784x256xf32>, tensor<256xf32>) -> tensor<?x256xf32>
// CHECK: linalg.fill
// CHECK: linalg.matmul
// CHECK: linalg.generic
// CHECK: tc.yield
// CHECK: return %[[K]]
// REPORT: fusion report for @dense: 1 kernel
// REPORT-NEXT: dense_k0 [contraction]: linalg.matmul@30:8 linalg.generic@32:8
// REPORT-NEXT: boundary dense_k0 -> (host): linalg.generic -> func.return: the value is a result of the function
// NOFUSE-LABEL: func.func @dense
// NOFUSE: tc.kernel "dense_k0" contraction
// NOFUSE: tc.kernel "dense_k1" elementwise
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

// softmax over rows: the max reduction, the exp-sum reduction and the
// division are one row kernel.
// CHECK-LABEL: func.func @softmax
// CHECK: tc.kernel "softmax_k0" row
// CHECK-COUNT-3: linalg.generic
// CHECK: tc.yield
// CHECK-NOT: tc.kernel
// REPORT: fusion report for @softmax: 1 kernel
// NOFUSE-LABEL: func.func @softmax
// NOFUSE-COUNT-3: tc.kernel
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
#tr = affine_map<(d0, d1) -> (d1, d0)>
#row = affine_map<(d0, d1) -> (d1)>

// A transposed operand is read transposed inside the matmul kernel (a
// prologue), and a column sum (reduction over the leading dim) is a
// reduction kernel of its own.
// CHECK-LABEL: func.func @prologue
// CHECK: tc.kernel "prologue_k{{.}}" contraction
// CHECK: linalg.generic {indexing_maps = [#{{.*}}, #{{.*}}], iterator_types = ["parallel", "parallel"]}
// CHECK: linalg.matmul
// CHECK: tc.kernel "prologue_k{{.}}" reduction
// REPORT: fusion report for @prologue: 2 kernels
// REPORT-NEXT: prologue_k0 [contraction]: linalg.generic@{{.*}}(recomputed) linalg.matmul
// REPORT-NEXT: prologue_k1 [reduction]: linalg.generic
// REPORT-NOT: boundary (host) -> prologue_k0
func.func @prologue(%g: tensor<?x256xf32>, %x: tensor<?x784xf32>) -> (tensor<784x256xf32>, tensor<256xf32>) {
  %c0 = arith.constant 0 : index
  %zero = arith.constant 0.0 : f32
  %n = tensor.dim %x, %c0 : tensor<?x784xf32>
  %et = tensor.empty(%n) : tensor<784x?xf32>
  %xt = linalg.generic {indexing_maps = [#tr, #id2], iterator_types = ["parallel", "parallel"]}
      ins(%x : tensor<?x784xf32>) outs(%et : tensor<784x?xf32>) {
  ^bb0(%a: f32, %o: f32):
    linalg.yield %a : f32
  } -> tensor<784x?xf32>
  %e = tensor.empty() : tensor<784x256xf32>
  %f = linalg.fill ins(%zero : f32) outs(%e : tensor<784x256xf32>) -> tensor<784x256xf32>
  %dw = linalg.matmul ins(%xt, %g : tensor<784x?xf32>, tensor<?x256xf32>) outs(%f : tensor<784x256xf32>) -> tensor<784x256xf32>
  %eb = tensor.empty() : tensor<256xf32>
  %fb = linalg.fill ins(%zero : f32) outs(%eb : tensor<256xf32>) -> tensor<256xf32>
  %db = linalg.generic {indexing_maps = [#id2, #row], iterator_types = ["reduction", "parallel"]}
      ins(%g : tensor<?x256xf32>) outs(%fb : tensor<256xf32>) {
  ^bb0(%a: f32, %acc: f32):
    %s = arith.addf %a, %acc : f32
    linalg.yield %s : f32
  } -> tensor<256xf32>
  return %dw, %db : tensor<784x256xf32>, tensor<256xf32>
}

// -----

#id2 = affine_map<(d0, d1) -> (d0, d1)>
#tr = affine_map<(d0, d1) -> (d1, d0)>

// Fusing the add into the matmul kernel would need the transpose kernel,
// which reads the matmul's result: a cycle. The add stays a kernel of its own.
// CHECK-LABEL: func.func @cycle
// CHECK-COUNT-3: tc.kernel
// REPORT: fusion report for @cycle: 3 kernels
// REPORT: epilogue fusion would create a cycle through linalg.generic
func.func @cycle(%x: tensor<4x4xf32>, %w: tensor<4x4xf32>) -> tensor<4x4xf32> {
  %zero = arith.constant 0.0 : f32
  %e = tensor.empty() : tensor<4x4xf32>
  %f = linalg.fill ins(%zero : f32) outs(%e : tensor<4x4xf32>) -> tensor<4x4xf32>
  %m = linalg.matmul ins(%x, %w : tensor<4x4xf32>, tensor<4x4xf32>) outs(%f : tensor<4x4xf32>) -> tensor<4x4xf32>
  %h = linalg.generic {indexing_maps = [#tr, #id2], iterator_types = ["parallel", "parallel"]}
      ins(%m : tensor<4x4xf32>) outs(%e : tensor<4x4xf32>) {
  ^bb0(%a: f32, %o: f32):
    linalg.yield %a : f32
  } -> tensor<4x4xf32>
  %r = linalg.generic {indexing_maps = [#id2, #id2, #id2], iterator_types = ["parallel", "parallel"]}
      ins(%m, %h : tensor<4x4xf32>, tensor<4x4xf32>) outs(%e : tensor<4x4xf32>) {
  ^bb0(%a: f32, %b: f32, %o: f32):
    %s = arith.addf %a, %b : f32
    linalg.yield %s : f32
  } -> tensor<4x4xf32>
  return %r : tensor<4x4xf32>
}

// -----

#id = affine_map<(d0) -> (d0)>
#sc = affine_map<(d0) -> ()>

// The reduction's result is read by the concat both directly (a broadcast)
// and through a reshape that the payload reads with tensor.extract. Merging
// the two would need the reshape, outside the kernel, of a value computed
// inside it: a cycle, even though the use of the reshape is nested in the
// consumer's payload.
// CHECK-LABEL: func.func @cycle_through_payload
// CHECK-COUNT-2: tc.kernel
// REPORT: fusion report for @cycle_through_payload: 2 kernels
// REPORT: row fusion would create a cycle through tensor.expand_shape
func.func @cycle_through_payload(%x: tensor<6xf32>, %y: tensor<5xf32>) -> tensor<6xf32> {
  %c0 = arith.constant 0 : index
  %c1 = arith.constant 1 : index
  %c4 = arith.constant 4 : index
  %inf = arith.constant 0x7F800000 : f32
  %e0 = tensor.empty() : tensor<f32>
  %f0 = linalg.fill ins(%inf : f32) outs(%e0 : tensor<f32>) -> tensor<f32>
  %min = linalg.generic {indexing_maps = [#id, #sc], iterator_types = ["reduction"]}
      ins(%x : tensor<6xf32>) outs(%f0 : tensor<f32>) {
  ^bb0(%a: f32, %acc: f32):
    %m = arith.minimumf %acc, %a : f32
    linalg.yield %m : f32
  } -> tensor<f32>
  %v = tensor.expand_shape %min [] output_shape [1] : tensor<f32> into tensor<1xf32>
  %e = tensor.empty() : tensor<6xf32>
  %r = linalg.generic {indexing_maps = [#sc, #id], iterator_types = ["parallel"]}
      ins(%min : tensor<f32>) outs(%e : tensor<6xf32>) {
  ^bb0(%s: f32, %o: f32):
    %i = linalg.index 0 : index
    %j = arith.subi %i, %c1 : index
    %jc = arith.maxsi %j, %c0 : index
    %from_y = tensor.extract %y[%jc] : tensor<5xf32>
    %first = arith.cmpi slt, %i, %c1 : index
    %from_v = tensor.extract %v[%c0] : tensor<1xf32>
    %sel = arith.select %first, %from_v, %from_y : f32
    %sum = arith.addf %sel, %s : f32
    linalg.yield %sum : f32
  } -> tensor<6xf32>
  return %r : tensor<6xf32>
}

// -----

#id2 = affine_map<(d0, d1) -> (d0, d1)>
#row = affine_map<(d0, d1) -> (d1)>
#col = affine_map<(d0, d1) -> (d0)>

// A normalization's backward: s = sum(dy * g, -1) is a matrix-vector product
// (g is reused across rows), and dy * g - s (a row broadcast) reads it. The
// two are one row kernel; as a product with that epilogue, the kernel would
// redo the row's sum for every element.
// CHECK-LABEL: func.func @matvec_row_broadcast
// CHECK: tc.kernel "matvec_row_broadcast_k0" row
// CHECK-NOT: tc.kernel
// REPORT: fusion report for @matvec_row_broadcast: 1 kernel
// REPORT-NEXT: matvec_row_broadcast_k0 [row]:
func.func @matvec_row_broadcast(%dy: tensor<64x4096xf32>, %g: tensor<4096xf32>) -> tensor<64x4096xf32> {
  %zero = arith.constant 0.0 : f32
  %e1 = tensor.empty() : tensor<64xf32>
  %f1 = linalg.fill ins(%zero : f32) outs(%e1 : tensor<64xf32>) -> tensor<64xf32>
  %s = linalg.generic {indexing_maps = [#id2, #row, #col], iterator_types = ["parallel", "reduction"]}
      ins(%dy, %g : tensor<64x4096xf32>, tensor<4096xf32>) outs(%f1 : tensor<64xf32>) {
  ^bb0(%a: f32, %b: f32, %acc: f32):
    %p = arith.mulf %a, %b : f32
    %q = arith.addf %acc, %p : f32
    linalg.yield %q : f32
  } -> tensor<64xf32>
  %e2 = tensor.empty() : tensor<64x4096xf32>
  %r = linalg.generic {indexing_maps = [#id2, #row, #col, #id2], iterator_types = ["parallel", "parallel"]}
      ins(%dy, %g, %s : tensor<64x4096xf32>, tensor<4096xf32>, tensor<64xf32>) outs(%e2 : tensor<64x4096xf32>) {
  ^bb0(%a: f32, %b: f32, %c: f32, %o: f32):
    %p = arith.mulf %a, %b : f32
    %q = arith.subf %p, %c : f32
    linalg.yield %q : f32
  } -> tensor<64x4096xf32>
  return %r : tensor<64x4096xf32>
}

// -----

#id = affine_map<(d0) -> (d0)>
#sc = affine_map<(d0) -> ()>
#id2 = affine_map<(d0, d1) -> (d0, d1)>
#sc2 = affine_map<(d0, d1) -> ()>

// A full reduction runs in one block. Its consumer over the same elements
// (x minus its mean) joins it; a consumer over other elements (a clipped
// update of another tensor by the norm) would then run in that one block
// too, so it is a kernel of its own.
// CHECK-LABEL: func.func @full_reduction_consumers
// CHECK: tc.kernel "full_reduction_consumers_k0" row
// CHECK: tc.kernel "full_reduction_consumers_k1" elementwise
// CHECK-NOT: tc.kernel
// REPORT: fusion report for @full_reduction_consumers: 2 kernels
// REPORT: the consumer of a full reduction walks other elements than it, which one block would run
func.func @full_reduction_consumers(%x: tensor<8xf32>, %w: tensor<64x32xf32>) -> (tensor<8xf32>, tensor<64x32xf32>) {
  %zero = arith.constant 0.0 : f32
  %e0 = tensor.empty() : tensor<f32>
  %f0 = linalg.fill ins(%zero : f32) outs(%e0 : tensor<f32>) -> tensor<f32>
  %sum = linalg.generic {indexing_maps = [#id, #sc], iterator_types = ["reduction"]}
      ins(%x : tensor<8xf32>) outs(%f0 : tensor<f32>) {
  ^bb0(%a: f32, %acc: f32):
    %s = arith.addf %acc, %a : f32
    linalg.yield %s : f32
  } -> tensor<f32>
  %e1 = tensor.empty() : tensor<8xf32>
  %centered = linalg.generic {indexing_maps = [#id, #sc, #id], iterator_types = ["parallel"]}
      ins(%x, %sum : tensor<8xf32>, tensor<f32>) outs(%e1 : tensor<8xf32>) {
  ^bb0(%a: f32, %s: f32, %o: f32):
    %d = arith.subf %a, %s : f32
    linalg.yield %d : f32
  } -> tensor<8xf32>
  %e2 = tensor.empty() : tensor<64x32xf32>
  %scaled = linalg.generic {indexing_maps = [#id2, #sc2, #id2], iterator_types = ["parallel", "parallel"]}
      ins(%w, %sum : tensor<64x32xf32>, tensor<f32>) outs(%e2 : tensor<64x32xf32>) {
  ^bb0(%a: f32, %s: f32, %o: f32):
    %m = arith.mulf %a, %s : f32
    linalg.yield %m : f32
  } -> tensor<64x32xf32>
  return %centered, %scaled : tensor<8xf32>, tensor<64x32xf32>
}
