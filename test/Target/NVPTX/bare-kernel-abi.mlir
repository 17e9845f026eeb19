// RUN: tensorc-opt %s -tc-bare-kernel-abi -split-input-file -verify-diagnostics | FileCheck %s

// A lowered kernel with two buffers and a size: each five-value descriptor
// becomes one noalias pointer; offset 0, stride 1, the size poison.
// CHECK-LABEL: llvm.func @copy(
// CHECK-SAME: %[[X:[a-z0-9]+]]: !llvm.ptr {llvm.align = 16 : i64, llvm.noalias},
// CHECK-SAME: %[[Y:[a-z0-9]+]]: !llvm.ptr {llvm.align = 16 : i64, llvm.noalias},
// CHECK-SAME: %[[N:[a-z0-9]+]]: i64)
// CHECK-SAME: attributes {nvvm.kernel}
// CHECK-DAG: %[[ZERO:.*]] = llvm.mlir.constant(0 : i64) : i64
// CHECK-DAG: %[[ONE:.*]] = llvm.mlir.constant(1 : i64) : i64
// CHECK-DAG: %[[SIZE:.*]] = llvm.mlir.poison : i64
// CHECK: llvm.insertvalue %[[X]], %{{.*}}[0]
// CHECK: llvm.insertvalue %[[X]], %{{.*}}[1]
// CHECK: llvm.insertvalue %[[ZERO]], %{{.*}}[2]
// CHECK: llvm.insertvalue %[[SIZE]], %{{.*}}[3, 0]
// CHECK: llvm.insertvalue %[[ONE]], %{{.*}}[4, 0]
// CHECK: llvm.getelementptr %[[Y]][%[[N]]]
// CHECK-NOT: tc.abi
llvm.func @copy(%a0: !llvm.ptr, %a1: !llvm.ptr, %a2: i64, %a3: i64, %a4: i64,
                %b0: !llvm.ptr, %b1: !llvm.ptr, %b2: i64, %b3: i64, %b4: i64,
                %n: i64) attributes {tc.abi = ["ptr", "ptr", "i64"], nvvm.kernel} {
  %0 = llvm.mlir.poison : !llvm.struct<(ptr, ptr, i64, array<1 x i64>, array<1 x i64>)>
  %1 = llvm.insertvalue %a0, %0[0] : !llvm.struct<(ptr, ptr, i64, array<1 x i64>, array<1 x i64>)>
  %2 = llvm.insertvalue %a1, %1[1] : !llvm.struct<(ptr, ptr, i64, array<1 x i64>, array<1 x i64>)>
  %3 = llvm.insertvalue %a2, %2[2] : !llvm.struct<(ptr, ptr, i64, array<1 x i64>, array<1 x i64>)>
  %4 = llvm.insertvalue %a3, %3[3, 0] : !llvm.struct<(ptr, ptr, i64, array<1 x i64>, array<1 x i64>)>
  %5 = llvm.insertvalue %a4, %4[4, 0] : !llvm.struct<(ptr, ptr, i64, array<1 x i64>, array<1 x i64>)>
  %6 = llvm.extractvalue %5[1] : !llvm.struct<(ptr, ptr, i64, array<1 x i64>, array<1 x i64>)>
  %7 = llvm.load %6 : !llvm.ptr -> f32
  %8 = llvm.getelementptr %b1[%n] : (!llvm.ptr, i64) -> !llvm.ptr, f32
  llvm.store %7, %8 : f32, !llvm.ptr
  llvm.return
}

// Functions without tc.abi are left alone.
// CHECK-LABEL: llvm.func @helper(
// CHECK-SAME: %{{.*}}: !llvm.ptr, %{{.*}}: !llvm.ptr, %{{.*}}: i64, %{{.*}}: i64, %{{.*}}: i64)
llvm.func @helper(%a0: !llvm.ptr, %a1: !llvm.ptr, %a2: i64, %a3: i64, %a4: i64) {
  llvm.return
}

// Pointers keep their address space.
// CHECK-LABEL: llvm.func @global(
// CHECK-SAME: %{{[a-z0-9]+}}: !llvm.ptr<1> {llvm.align = 16 : i64, llvm.noalias})
llvm.func @global(%a0: !llvm.ptr<1>, %a1: !llvm.ptr<1>, %a2: i64, %a3: i64, %a4: i64)
    attributes {tc.abi = ["ptr"]} {
  llvm.return
}

// -----

// expected-error @+1 {{parameters do not match its tc.abi: more parameters than kinds}}
llvm.func @too_many(%a0: !llvm.ptr, %a1: !llvm.ptr, %a2: i64, %a3: i64, %a4: i64,
                    %n: i64) attributes {tc.abi = ["ptr"]} {
  llvm.return
}

// -----

// expected-error @+1 {{parameter #0 does not start a memref descriptor}}
llvm.func @not_a_descriptor(%a0: i64, %a1: !llvm.ptr, %a2: i64, %a3: i64, %a4: i64)
    attributes {tc.abi = ["ptr"]} {
  llvm.return
}

// -----

// expected-error @+1 {{parameter #0 is not an i64}}
llvm.func @narrow_size(%n: i32) attributes {tc.abi = ["i64"]} {
  llvm.return
}

// -----

// expected-error @+1 {{unknown kind f32}}
llvm.func @unknown_kind(%x: f32) attributes {tc.abi = ["f32"]} {
  llvm.return
}

// -----

// expected-error @+1 {{has tc.abi but no body}}
llvm.func @declaration(i64) attributes {tc.abi = ["i64"]}
