// What the CUDA C++ printer does not support is an error naming the op, type
// or attribute, never a crash.
// RUN: tensorc-cuda-translate %s --split-input-file --verify-diagnostics

// expected-error @+1 {{no gpu.module @tc_kernels to print as CUDA C++}}
module attributes {gpu.container_module} {
  gpu.module @other {
  }
}

// -----

module attributes {gpu.container_module} {
  gpu.module @tc_kernels {
    gpu.func @k(%x: memref<?xf32>, %i: index) kernel {
      // expected-error @+1 {{'memref.alloca' op is not supported by the CUDA C++ printer}}
      %a = memref.alloca() : memref<4xf32>
      %c0 = arith.constant 0 : index
      %v = memref.load %a[%c0] : memref<4xf32>
      memref.store %v, %x[%i] : memref<?xf32>
      gpu.return
    }
  }
}

// -----

module attributes {gpu.container_module} {
  gpu.module @tc_kernels {
    gpu.func @k(%x: memref<?xi32>, %i: index) kernel {
      %a = memref.load %x[%i] : memref<?xi32>
      // expected-error @+1 {{'arith.addui_extended' op is not supported by the CUDA C++ printer}}
      %s, %o = arith.addui_extended %a, %a : i32, i1
      memref.store %s, %x[%i] : memref<?xi32>
      gpu.return
    }
  }
}

// -----

module attributes {gpu.container_module} {
  gpu.module @tc_kernels {
    gpu.func @k(%x: memref<?xf32>, %i: index) kernel {
      %a = memref.load %x[%i] : memref<?xf32>
      %n = arith.constant 3 : i32
      // expected-error @+1 {{'math.fpowi' op is not supported by the CUDA C++ printer}}
      %p = math.fpowi %a, %n : f32, i32
      memref.store %p, %x[%i] : memref<?xf32>
      gpu.return
    }
  }
}

// -----

module attributes {gpu.container_module} {
  gpu.module @tc_kernels {
    gpu.func @k(%x: memref<?xf32>, %i: index) kernel {
      // expected-error @+1 {{'arith.constant' op has a constant the CUDA C++ printer cannot print: dense<1> : vector<4xi128>}}
      %v = arith.constant dense<1> : vector<4xi128>
      %e = vector.extract %v[0] : i128 from vector<4xi128>
      %f = arith.trunci %e : i128 to i32
      %g = arith.sitofp %f : i32 to f32
      memref.store %g, %x[%i] : memref<?xf32>
      gpu.return
    }
  }
}

// -----

module attributes {gpu.container_module} {
  gpu.module @tc_kernels {
    gpu.func @k(%x: memref<?xf32>, %i: index) kernel {
      %a = memref.load %x[%i] : memref<?xf32>
      // expected-error @+1 {{'arith.truncf' op is not supported by the CUDA C++ printer}}
      %t = arith.truncf %a to_nearest_away : f32 to f16
      %e = arith.extf %t : f16 to f32
      memref.store %e, %x[%i] : memref<?xf32>
      gpu.return
    }
  }
}

// -----

module attributes {gpu.container_module} {
  gpu.module @tc_kernels {
    // expected-error @+1 {{'gpu.func' op argument 0 has type 'memref<?x?xf32>': the CUDA C++ printer takes buffers as flat memrefs of scalars with identity layout}}
    gpu.func @k(%x: memref<?x?xf32>) kernel {
      gpu.return
    }
  }
}

// -----

module attributes {gpu.container_module} {
  gpu.module @tc_kernels {
    // expected-error @+1 {{'gpu.func' op argument 0 has type 'f8E4M3FN' that the CUDA C++ printer does not support}}
    gpu.func @k(%x: f8E4M3FN) kernel {
      gpu.return
    }
  }
}

// -----

module attributes {gpu.container_module} {
  gpu.module @tc_kernels {
    // expected-error @+1 {{'gpu.func' op is not a kernel: the CUDA C++ printer prints only `kernel` gpu.funcs}}
    gpu.func @helper(%x: memref<?xf32>) {
      gpu.return
    }
  }
}

// -----

module attributes {gpu.container_module} {
  gpu.module @tc_kernels {
    // expected-error @+1 {{'gpu.func' op name 'k.0' is not a C identifier: it cannot be a CUDA kernel}}
    gpu.func @"k.0"(%x: memref<?xf32>) kernel {
      gpu.return
    }
  }
}

// -----

module attributes {gpu.container_module} {
  gpu.module @tc_kernels {
    // expected-error @+1 {{'gpu.func' op has an attribution of type 'memref<?xf32, #gpu.address_space<workgroup>>' that the CUDA C++ printer does not support}}
    gpu.func @k(%x: memref<?xf32>) workgroup(%w: memref<?xf32, #gpu.address_space<workgroup>>) kernel {
      gpu.return
    }
  }
}

// -----

module attributes {gpu.container_module} {
  gpu.module @tc_kernels {
    // expected-error @+1 {{'gpu.func' op has several blocks: the CUDA C++ printer needs structured control flow (scf)}}
    gpu.func @k(%x: memref<?xf32>) kernel {
      cf.br ^bb1
    ^bb1:
      gpu.return
    }
  }
}

// -----

module attributes {gpu.container_module} {
  gpu.module @tc_kernels {
    gpu.func @k(%x: memref<?xi8>, %i: index) kernel {
      %a = memref.load %x[%i] : memref<?xi8>
      %w = arith.constant 32 : i32
      // expected-error @+1 {{'gpu.shuffle' op shuffles a value of type 'i8' that the CUDA C++ printer does not support}}
      %s, %ok = gpu.shuffle xor %a, %w, %w : i8
      memref.store %s, %x[%i] : memref<?xi8>
      gpu.return
    }
  }
}

// -----

module attributes {gpu.container_module} {
  gpu.module @tc_kernels {
    gpu.func @k(%x: memref<?xf32>, %i: index) kernel {
      %a = memref.load %x[%i] : memref<?xf32>
      // expected-error @+1 {{'scf.execute_region' op is not supported by the CUDA C++ printer}}
      %r = scf.execute_region -> f32 {
        scf.yield %a : f32
      }
      memref.store %r, %x[%i] : memref<?xf32>
      gpu.return
    }
  }
}
