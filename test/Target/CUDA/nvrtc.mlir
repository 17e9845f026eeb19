// NVRTC compiles the printed reference kernels to PTX that ptxas accepts,
// with one .u64 parameter per buffer and per size, for every architecture
// asked; NVRTC errors come back with its log.
// REQUIRES: nvrtc, ptxas
// RUN: tensorc-cuda-translate %S/../Inputs/kernels.mlir --emit=ptx -o %t.ptx 2>&1 | FileCheck %s --check-prefix=NVRTC --allow-empty
// RUN: FileCheck %s < %t.ptx
// RUN: %ptxas -arch=sm_90 %t.ptx -o %t.cubin
// RUN: tensorc-cuda-translate %S/../Inputs/kernels.mlir --emit=ptx --arch=sm_80 --fmad=false -o %t.sm80.ptx
// RUN: FileCheck %s --check-prefix=SM80 < %t.sm80.ptx
// RUN: %ptxas -arch=sm_80 %t.sm80.ptx -o %t.sm80.cubin
// RUN: not tensorc-cuda-translate %S/../Inputs/kernels.mlir --emit=ptx --arch=gfx90a 2>&1 | FileCheck %s --check-prefix=ARCH
// RUN: not tensorc-cuda-translate %s --emit=ptx 2>&1 | FileCheck %s --check-prefix=LOG
// RUN: env TENSORC_NVRTC_LIBRARY=%t.missing.so not tensorc-cuda-translate %s --emit=ptx 2>&1 | FileCheck %s --check-prefix=MISSING

// NVRTC-NOT: warning

// CHECK: .target sm_90
// CHECK-LABEL: .visible .entry bias_relu(
// CHECK-NEXT: .param .u64 bias_relu_param_0,
// CHECK-NEXT: .param .u64 bias_relu_param_1,
// CHECK-NEXT: .param .u64 bias_relu_param_2,
// CHECK-NEXT: .param .u64 bias_relu_param_3,
// CHECK-NEXT: .param .u64 bias_relu_param_4
// CHECK-NEXT: )
// Buffers only read are loaded through the non-coherent cache.
// CHECK: ld.global.nc.f32
// CHECK: add.rn.f32
// CHECK-LABEL: .visible .entry softmax_rows(
// CHECK-NEXT: .param .u64 softmax_rows_param_0,
// CHECK-NEXT: .param .u64 softmax_rows_param_1,
// CHECK-NEXT: .param .u64 softmax_rows_param_2,
// CHECK-NEXT: .param .u64 softmax_rows_param_3
// CHECK-NEXT: )
// CHECK: .shared .align 16 .b8 {{.*}}[16];
// CHECK: shfl.sync.bfly.b32
// CHECK: bar.sync 0;
// CHECK-LABEL: .visible .entry matmul_tiled(
// CHECK-COUNT-6: .param .u64 matmul_tiled_param_{{[0-5]}}
// CHECK-NEXT: )
// CHECK: .shared .align 16 .b8 {{.*}}[1024];
// CHECK: .shared .align 16 .b8 {{.*}}[1024];
// CHECK: fma.rn.f32
// CHECK-LABEL: .visible .entry mixed_types(
// CHECK-COUNT-4: .param .u64 mixed_types_param_{{[0-3]}}
// CHECK-NEXT: )
// CHECK: cvt.f32.f16
// CHECK: cvt.rn.f16.f32

// SM80: .target sm_80
// SM80: .entry mixed_types(

// ARCH: error: unknown GPU architecture 'gfx90a' (expected sm_XX, e.g. sm_90)

// A kernel name that is a C++ keyword passes the printer (it is a C
// identifier) and fails in NVRTC, whose log is reported.
// LOG: error: NVRTC failed to compile the kernels (NVRTC_ERROR_COMPILATION, options: --gpu-architecture=compute_90 -default-device --fmad=true):
// LOG: tc_kernels.cu({{[0-9]+}}): error:

// MISSING: error: NVRTC not found (tried {{.*}}missing.so): install the CUDA toolkit's NVRTC, add its lib64 to LD_LIBRARY_PATH or set TENSORC_NVRTC_LIBRARY to libnvrtc.so's path

module attributes {gpu.container_module} {
  gpu.module @tc_kernels {
    gpu.func @while(%x: memref<?xf32>) kernel {
      gpu.return
    }
  }
}
