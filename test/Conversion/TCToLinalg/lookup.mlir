// RUN: tensorc-opt %s -convert-tc-to-linalg -split-input-file | FileCheck %s

// embedding: a generic over [ids..., D] that gathers the row of the clamped
// id from the table.
// CHECK-DAG: #[[IDS:.*]] = affine_map<(d0, d1, d2) -> (d0, d1)>
// CHECK-DAG: #[[ID:.*]] = affine_map<(d0, d1, d2) -> (d0, d1, d2)>
// CHECK-LABEL: func.func @embedding
// CHECK: linalg.generic {indexing_maps = [#[[IDS]], #[[ID]]], iterator_types = ["parallel", "parallel", "parallel"]} ins(%arg1 : tensor<?x64xi32>) outs(%{{.*}} : tensor<?x64x128xf32>)
// CHECK-NEXT: ^bb0(%[[IN:.*]]: i32, %{{.*}}: f32):
// CHECK-NEXT: %[[I:.*]] = arith.index_cast %[[IN]] : i32 to index
// CHECK-NEXT: %[[V:.*]] = arith.constant 256 : index
// CHECK: %[[LAST:.*]] = arith.subi %[[V]], %c1
// CHECK-NEXT: %[[LO:.*]] = arith.maxsi %[[I]], %c0
// CHECK-NEXT: %[[ROW:.*]] = arith.minsi %[[LO]], %[[LAST]]
// CHECK-NEXT: %[[COL:.*]] = linalg.index 2
// CHECK-NEXT: %[[E:.*]] = tensor.extract %arg0[%[[ROW]], %[[COL]]] : tensor<256x128xf32>
// CHECK-NEXT: linalg.yield %[[E]]
func.func @embedding(%t: tensor<256x128xf32>, %ids: tensor<?x64xi32>) -> tensor<?x64x128xf32> {
  %0 = tc.embedding %t, %ids : tensor<256x128xf32>, tensor<?x64xi32>
  return %0 : tensor<?x64x128xf32>
}

// -----

// A dynamic table width sizes the result from the table.
// CHECK-LABEL: func.func @embedding_dynamic
// CHECK-DAG: %[[N:.*]] = tensor.dim %arg1, %c0
// CHECK-DAG: %[[D:.*]] = tensor.dim %arg0, %c1
// CHECK: tensor.empty(%[[N]], %[[D]]) : tensor<?x?xf32>
func.func @embedding_dynamic(%t: tensor<?x?xf32>, %ids: tensor<?xi64>) -> tensor<?x?xf32> {
  %0 = tc.embedding %t, %ids : tensor<?x?xf32>, tensor<?xi64>
  return %0 : tensor<?x?xf32>
}

// -----

// one_hot: (id == class index), converted to the result type.
// CHECK-DAG: #[[IDS:.*]] = affine_map<(d0, d1) -> (d0)>
// CHECK-LABEL: func.func @one_hot
// CHECK: linalg.generic {indexing_maps = [#[[IDS]], {{.*}}]{{.*}} ins(%arg0 : tensor<?xi32>) outs(%{{.*}} : tensor<?x10xf32>)
// CHECK-NEXT: ^bb0(%[[IN:.*]]: i32, %{{.*}}: f32):
// CHECK-NEXT: %[[ID:.*]] = arith.extsi %[[IN]] : i32 to i64
// CHECK-NEXT: %[[C:.*]] = linalg.index 1
// CHECK-NEXT: %[[C64:.*]] = arith.index_cast %[[C]] : index to i64
// CHECK-NEXT: %[[HIT:.*]] = arith.cmpi eq, %[[ID]], %[[C64]] : i64
// CHECK-NEXT: arith.uitofp %[[HIT]] : i1 to f32
func.func @one_hot(%ids: tensor<?xi32>) -> tensor<?x10xf32> {
  %0 = tc.one_hot %ids : tensor<?xi32> to tensor<?x10xf32>
  return %0 : tensor<?x10xf32>
}

// -----

// causal_mask: col > row from the loop indices; a dynamic size is the
// operand.
// CHECK-LABEL: func.func @causal
// CHECK: %[[S:.*]] = tensor.empty() : tensor<64x64xi1>
// CHECK: linalg.generic {{.*}} outs(%[[S]] : tensor<64x64xi1>)
// CHECK-NEXT: ^bb0
// CHECK-NEXT: %[[ROW:.*]] = linalg.index 0
// CHECK-NEXT: %[[COL:.*]] = linalg.index 1
// CHECK-NEXT: arith.cmpi ugt, %[[COL]], %[[ROW]]
// CHECK: %[[D:.*]] = tensor.empty(%arg0, %arg0) : tensor<?x?xi1>
// CHECK: linalg.generic {{.*}} outs(%[[D]] : tensor<?x?xi1>)
func.func @causal(%t: index) -> (tensor<64x64xi1>, tensor<?x?xi1>) {
  %0 = tc.causal_mask : tensor<64x64xi1>
  %1 = tc.causal_mask (%t) : tensor<?x?xi1>
  return %0, %1 : tensor<64x64xi1>, tensor<?x?xi1>
}

// -----

// masked_fill: select(mask, value, x) with the mask broadcast to x.
// CHECK-DAG: #[[ID:.*]] = affine_map<(d0, d1, d2, d3) -> (d0, d1, d2, d3)>
// CHECK-DAG: #[[MASK:.*]] = affine_map<(d0, d1, d2, d3) -> (d2, d3)>
// CHECK-LABEL: func.func @masked_fill
// CHECK: linalg.generic {indexing_maps = [#[[ID]], #[[MASK]], #[[ID]]], {{.*}} ins(%arg0, %arg1 : tensor<?x4x64x64xf32>, tensor<64x64xi1>)
// CHECK-NEXT: ^bb0(%[[X:.*]]: f32, %[[M:.*]]: i1, %{{.*}}: f32):
// CHECK-NEXT: %[[NINF:.*]] = arith.constant 0xFF800000 : f32
// CHECK-NEXT: arith.select %[[M]], %[[NINF]], %[[X]] : f32
func.func @masked_fill(%x: tensor<?x4x64x64xf32>, %m: tensor<64x64xi1>) -> tensor<?x4x64x64xf32> {
  %0 = tc.masked_fill %x, %m, 0xFFF0000000000000 : tensor<?x4x64x64xf32>, tensor<64x64xi1>
  return %0 : tensor<?x4x64x64xf32>
}

// -----

// cast follows PyTorch: bool -> float unsigned, float -> bool `!= 0` (NaN is
// true), ints extend signed, f16 <-> bf16 through f32, float -> int
// truncates, bool -> int zero-extends.
// CHECK-LABEL: func.func @cast
// CHECK: arith.uitofp {{.*}} : i1 to f32
// CHECK: %[[Z:.*]] = arith.constant 0.000000e+00 : f32
// CHECK-NEXT: arith.cmpf une, %in, %[[Z]] : f32
// CHECK: arith.extsi {{.*}} : i32 to i64
// CHECK: %[[W:.*]] = arith.extf {{.*}} : f16 to f32
// CHECK-NEXT: arith.truncf %[[W]] : f32 to bf16
// CHECK: arith.fptosi {{.*}} : f32 to i32
// CHECK: arith.extui {{.*}} : i1 to i64
// CHECK: arith.trunci {{.*}} : i64 to i32
// CHECK: arith.sitofp {{.*}} : i32 to f64
// CHECK: arith.cmpi ne, {{.*}} : i32
func.func @cast(%a: tensor<4xi1>, %b: tensor<4xf32>, %c: tensor<4xi32>, %d: tensor<4xf16>, %e: tensor<4xi64>) -> (tensor<4xf32>, tensor<4xi1>, tensor<4xi64>, tensor<4xbf16>, tensor<4xi32>, tensor<4xi64>, tensor<4xi32>, tensor<4xf64>, tensor<4xi1>) {
  %0 = tc.cast %a : tensor<4xi1> to tensor<4xf32>
  %1 = tc.cast %b : tensor<4xf32> to tensor<4xi1>
  %2 = tc.cast %c : tensor<4xi32> to tensor<4xi64>
  %3 = tc.cast %d : tensor<4xf16> to tensor<4xbf16>
  %4 = tc.cast %b : tensor<4xf32> to tensor<4xi32>
  %5 = tc.cast %a : tensor<4xi1> to tensor<4xi64>
  %6 = tc.cast %e : tensor<4xi64> to tensor<4xi32>
  %7 = tc.cast %c : tensor<4xi32> to tensor<4xf64>
  %8 = tc.cast %c : tensor<4xi32> to tensor<4xi1>
  return %0, %1, %2, %3, %4, %5, %6, %7, %8 : tensor<4xf32>, tensor<4xi1>, tensor<4xi64>, tensor<4xbf16>, tensor<4xi32>, tensor<4xi64>, tensor<4xi32>, tensor<4xf64>, tensor<4xi1>
}
