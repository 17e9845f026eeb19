// The CPU reference kernels as host functions with the CPU kernel ABI.
// RUN: tensorc-opt %S/../Inputs/cpu-kernels.mlir -tc-lower-kernels-to-host | FileCheck %s

// void bias_relu(void **args, const int64_t *grid, int64_t begin, int64_t end):
// each parameter is loaded through args[i] (a pointer to the value), a buffer
// becomes a descriptor with offset 0 and stride 1.
// CHECK-NOT: gpu.module
// CHECK-LABEL: func.func @bias_relu(
// CHECK-SAME: %[[ARGS:[a-z0-9]+]]: !llvm.ptr, %[[GRID:[a-z0-9]+]]: !llvm.ptr, %[[BEGIN:[a-z0-9]+]]: i64, %[[END:[a-z0-9]+]]: i64)
// CHECK: %[[SLOT0:.*]] = llvm.getelementptr %[[ARGS]][0] : (!llvm.ptr) -> !llvm.ptr, !llvm.ptr
// CHECK: %[[P0:.*]] = llvm.load %[[SLOT0]] : !llvm.ptr -> !llvm.ptr
// CHECK: %[[X:.*]] = llvm.load %[[P0]] : !llvm.ptr -> !llvm.ptr
// CHECK: llvm.insertvalue %[[X]], %{{.*}}[0]
// CHECK: llvm.insertvalue %[[X]], %{{.*}}[1]
// CHECK: %[[XM:.*]] = builtin.unrealized_conversion_cast %{{.*}} : !llvm.struct<(ptr, ptr, i64, array<1 x i64>, array<1 x i64>)> to memref<?xf32>
// CHECK: llvm.getelementptr %[[ARGS]][3] : (!llvm.ptr) -> !llvm.ptr, !llvm.ptr
// CHECK: %[[M64:.*]] = llvm.load %{{.*}} : !llvm.ptr -> i64
// CHECK: %[[M:.*]] = arith.index_cast %[[M64]] : i64 to index
// CHECK: %[[GX0:.*]] = llvm.getelementptr %[[GRID]][0] : (!llvm.ptr) -> !llvm.ptr, i64
// CHECK: %[[GX64:.*]] = llvm.load %[[GX0]] : !llvm.ptr -> i64
// CHECK: %[[GX:.*]] = arith.index_cast %[[GX64]] : i64 to index
// CHECK-DAG: %[[C0:.*]] = arith.constant 0 : index
// CHECK-DAG: %[[C1:.*]] = arith.constant 1 : index
// CHECK-DAG: %[[B:.*]] = arith.index_cast %[[BEGIN]] : i64 to index
// CHECK-DAG: %[[E:.*]] = arith.index_cast %[[END]] : i64 to index
// CHECK: scf.for %[[LIN:.*]] = %[[B]] to %[[E]] step %[[C1]] {
// CHECK: %[[BX:.*]] = arith.remui %[[LIN]], %[[GX]] : index
// Block dim 1, thread id 0, grid dim x from the grid array.
// CHECK: %[[BASE:.*]] = arith.muli %[[BX]], %[[C1]] : index
// CHECK: %[[START:.*]] = arith.addi %[[BASE]], %[[C0]] : index
// CHECK: %[[STRIDE:.*]] = arith.muli %[[GX]], %[[C1]] : index
// CHECK: scf.for %[[I:.*]] = %[[START]] to %[[M]] step %[[STRIDE]] {
// CHECK: memref.load %[[XM]][%[[I]]] : memref<?xf32>
// CHECK: return

// Workgroup memory becomes a stack buffer outside the block loop; barriers
// disappear.
// CHECK-LABEL: func.func @softmax_rows(
// CHECK: %[[PARTIAL:.*]] = memref.alloca() : memref<1xf32>
// CHECK: scf.for
// CHECK-NOT: gpu.barrier
// CHECK: memref.store %{{.*}}, %[[PARTIAL]][%{{.*}}] : memref<1xf32>
// CHECK: return

// Workgroup and private attributions; block ids y and z from the linear id
// x + gx * (y + gy * z).
// CHECK-LABEL: func.func @matmul_tiled(
// CHECK: llvm.getelementptr %{{.*}}[1] : (!llvm.ptr) -> !llvm.ptr, i64
// CHECK: %[[GY64:.*]] = llvm.load
// CHECK: %[[GY:.*]] = arith.index_cast %[[GY64]]
// CHECK: memref.alloca() : memref<256xf32>
// CHECK: memref.alloca() : memref<256xf32>
// CHECK: memref.alloca() : memref<256xf32>
// CHECK: scf.for %[[L:.*]] = %{{.*}} to %{{.*}} step %{{.*}} {
// CHECK: %[[YZ:.*]] = arith.divui %[[L]], %{{.*}} : index
// CHECK: arith.remui %[[YZ]], %[[GY]] : index
// CHECK: arith.divui %[[YZ]], %[[GY]] : index

// A body with several blocks runs in an scf.execute_region, gpu.return
// becomes scf.yield.
// CHECK-LABEL: func.func @scale_cf(
// CHECK: scf.for
// CHECK: scf.execute_region {
// CHECK: cf.cond_br
// CHECK: scf.yield
// CHECK: scf.yield
// CHECK-NOT: gpu.
