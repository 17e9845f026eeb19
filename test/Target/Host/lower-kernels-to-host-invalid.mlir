// RUN: tensorc-opt %s -tc-lower-kernels-to-host -split-input-file -verify-diagnostics

module attributes {gpu.container_module} {
  gpu.module @tc_kernels {
    gpu.func @warp_sum(%x: memref<?xf32>) kernel {
      %c0 = arith.constant 0 : index
      %o = arith.constant 16 : i32
      %w = arith.constant 32 : i32
      %v = memref.load %x[%c0] : memref<?xf32>
      // expected-error @+1 {{'gpu.shuffle' op cannot run on the CPU: CPU kernels have one thread per block and use only gpu ids and barriers}}
      %s, %ok = gpu.shuffle xor %v, %o, %w : f32
      memref.store %s, %x[%c0] : memref<?xf32>
      gpu.return
    }
  }
}

// -----

module attributes {gpu.container_module} {
  gpu.module @tc_kernels {
    // expected-error @+1 {{argument #0 has type 'memref<?x4xf32>'; host kernels take flat memrefs (memref<?xT>) and scalars}}
    gpu.func @matrix(%x: memref<?x4xf32>) kernel {
      gpu.return
    }
  }
}

// -----

module attributes {gpu.container_module} {
  gpu.module @tc_kernels {
    // expected-error @+1 {{is not supported in @tc_kernels on the CPU: only gpu.func kernels are}}
    gpu.func @helper(%x: f32) {
      gpu.return
    }
  }
}

// -----

module attributes {gpu.container_module} {
  // expected-error @+1 {{@tc_kernels is still referenced; lower a module that holds only the kernels to host code}}
  gpu.module @tc_kernels {
    gpu.func @k(%x: memref<?xf32>) kernel {
      gpu.return
    }
  }
  func.func @entry(%x: memref<?xf32>) {
    %c1 = arith.constant 1 : index
    gpu.launch_func @tc_kernels::@k blocks in (%c1, %c1, %c1) threads in (%c1, %c1, %c1) args(%x : memref<?xf32>)
    return
  }
}

// -----

module attributes {gpu.container_module} {
  gpu.module @tc_kernels {
    // expected-error @+1 {{has the name of another symbol of the module}}
    gpu.func @entry(%x: memref<?xf32>) kernel {
      gpu.return
    }
  }
  func.func @entry() {
    return
  }
}
