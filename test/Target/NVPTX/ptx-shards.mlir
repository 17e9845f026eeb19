// Kernels compiled in separate shards and joined into one PTX module: one
// header, the kernels in the module's order, and the libdevice tables each
// shard links in (sin's __cudart_i2opi_f) renamed per shard so that the
// module defines each name once; ptxas accepts the result.
// REQUIRES: ptxas
// RUN: tensorc-target-tool --emit=ptx --ptx-shards=2 %s -o %t.ptx
// RUN: FileCheck %s < %t.ptx
// RUN: %ptxas -arch=sm_90 %t.ptx -o %t.cubin
// RUN: tensorc-target-tool --emit=ptx --ptx-shards=1 %s | FileCheck %s --check-prefix=ONE

// CHECK: .version
// CHECK-NOT: .version
// CHECK: .global {{.*}} __cudart_i2opi_f_tc_s0[
// CHECK: .visible .entry first(
// CHECK: .global {{.*}} __cudart_i2opi_f_tc_s1[
// CHECK: .visible .entry second(

// ONE: .global {{.*}} __cudart_i2opi_f[
// ONE-NOT: __cudart_i2opi_f_tc
// ONE: .visible .entry first(
// ONE: .visible .entry second(

module attributes {gpu.container_module} {
  gpu.module @tc_kernels {
    gpu.func @first(%x: memref<?xf32>, %n: index) kernel {
      %i = gpu.thread_id x
      %v = memref.load %x[%i] : memref<?xf32>
      %s = math.sin %v : f32
      memref.store %s, %x[%i] : memref<?xf32>
      gpu.return
    }
    gpu.func @second(%x: memref<?xf32>, %n: index) kernel {
      %i = gpu.thread_id x
      %v = memref.load %x[%i] : memref<?xf32>
      %s = math.sin %v : f32
      %c = math.cos %s : f32
      memref.store %c, %x[%i] : memref<?xf32>
      gpu.return
    }
  }
}
