// RUN: tensorc-opt %s -split-input-file | tensorc-opt -split-input-file | FileCheck %s

// tc.kernel and tc.launch, on tensors and on memrefs.

// CHECK-LABEL: func.func @kernel
// CHECK: %[[K:.*]] = tc.kernel "f_k0" elementwise ins(%{{.*}} : tensor<?x4xf32>) -> tensor<?x4xf32> {
// CHECK: ^bb0(%[[A:.*]]: tensor<?x4xf32>):
// CHECK:   tc.yield %{{.*}} : tensor<?x4xf32>
func.func @kernel(%x: tensor<?x4xf32>) -> tensor<?x4xf32> {
  %0 = tc.kernel "f_k0" elementwise ins(%x : tensor<?x4xf32>) -> tensor<?x4xf32> {
  ^bb0(%a: tensor<?x4xf32>):
    %e = tc.exp %a : tensor<?x4xf32>
    tc.yield %e : tensor<?x4xf32>
  }
  return %0 : tensor<?x4xf32>
}

// -----

module attributes {gpu.container_module} {
  gpu.module @tc_kernels {
    gpu.func @k(%a: memref<?xf32>, %b: memref<?xf32>, %n: index) kernel {
      gpu.return
    }
  }
  // CHECK-LABEL: func.func @launch
  // CHECK: tc.launch @tc_kernels::@k grid(%{{.*}}, %{{.*}}, %{{.*}}) block [128, 1, 1] smem 256 ins(%{{.*}} : tensor<?xf32>) outs(%{{.*}} : tensor<?xf32>) dims(%{{.*}} : index) -> tensor<?xf32>
  // CHECK: tc.launch @tc_kernels::@k grid(%{{.*}}, %{{.*}}, %{{.*}}) block [1, 1, 1] ins(%{{.*}} : memref<?xf32>) outs(%{{.*}} : memref<?xf32>) dims(%{{.*}} : index)
  func.func @launch(%x: tensor<?xf32>, %m: memref<?xf32>, %o: memref<?xf32>, %n: index) -> tensor<?xf32> {
    %c1 = arith.constant 1 : index
    %e = tensor.empty(%n) : tensor<?xf32>
    %y = tc.launch @tc_kernels::@k grid(%n, %c1, %c1) block [128, 1, 1] smem 256
           ins(%x : tensor<?xf32>) outs(%e : tensor<?xf32>) dims(%n : index) -> tensor<?xf32>
    tc.launch @tc_kernels::@k grid(%n, %c1, %c1) block [1, 1, 1]
           ins(%m : memref<?xf32>) outs(%o : memref<?xf32>) dims(%n : index)
    return %y : tensor<?xf32>
  }
}
