// Reference kernels in the form tc-emit-kernels produces (docs/codegen.md,
// section 4): flat memref<?xT> buffers (inputs, then outputs), then index
// sizes; scf/arith/math/memref bodies with gpu ids, barriers, shuffles and
// workgroup attributions. The target tests lower these to PTX, CUDA C++ and
// host code.
module attributes {gpu.container_module} {
  gpu.module @tc_kernels {
    // y[i] = relu(x[i] + b[i % n]) for i < m, grid-stride over m elements.
    gpu.func @bias_relu(%x: memref<?xf32>, %b: memref<?xf32>, %y: memref<?xf32>,
                        %m: index, %n: index) kernel {
      %c0 = arith.constant 0 : index
      %zero = arith.constant 0.0 : f32
      %bid = gpu.block_id x
      %bdim = gpu.block_dim x
      %tid = gpu.thread_id x
      %gdim = gpu.grid_dim x
      %base = arith.muli %bid, %bdim : index
      %start = arith.addi %base, %tid : index
      %stride = arith.muli %gdim, %bdim : index
      scf.for %i = %start to %m step %stride {
        %xv = memref.load %x[%i] : memref<?xf32>
        %j = arith.remui %i, %n : index
        %bv = memref.load %b[%j] : memref<?xf32>
        %s = arith.addf %xv, %bv : f32
        %r = arith.maximumf %s, %zero : f32
        memref.store %r, %y[%i] : memref<?xf32>
      }
      gpu.return
    }

    // One block (128 threads, 4 warps) per row: y = softmax(x) over n columns.
    gpu.func @softmax_rows(%x: memref<?xf32>, %y: memref<?xf32>, %rows: index, %n: index)
        workgroup(%partial: memref<4xf32, #gpu.address_space<workgroup>>) kernel {
      %c0 = arith.constant 0 : index
      %c1 = arith.constant 1 : index
      %c32 = arith.constant 32 : index
      %c32i = arith.constant 32 : i32
      %ninf = arith.constant 0xFF800000 : f32
      %fzero = arith.constant 0.0 : f32
      %row = gpu.block_id x
      %tid = gpu.thread_id x
      %bdim = gpu.block_dim x
      %off = arith.muli %row, %n : index
      // Thread-local max over a strided slice of the row.
      %tmax = scf.for %j = %tid to %n step %bdim iter_args(%acc = %ninf) -> (f32) {
        %i = arith.addi %off, %j : index
        %v = memref.load %x[%i] : memref<?xf32>
        %m = arith.maximumf %acc, %v : f32
        scf.yield %m : f32
      }
      // Warp reduction with shuffles, then across warps through workgroup memory.
      %o16 = arith.constant 16 : i32
      %o8 = arith.constant 8 : i32
      %o4 = arith.constant 4 : i32
      %o2 = arith.constant 2 : i32
      %o1 = arith.constant 1 : i32
      %s16, %v16 = gpu.shuffle xor %tmax, %o16, %c32i : f32
      %m16 = arith.maximumf %tmax, %s16 : f32
      %s8, %v8 = gpu.shuffle xor %m16, %o8, %c32i : f32
      %m8 = arith.maximumf %m16, %s8 : f32
      %s4, %v4 = gpu.shuffle xor %m8, %o4, %c32i : f32
      %m4 = arith.maximumf %m8, %s4 : f32
      %s2, %v2 = gpu.shuffle xor %m4, %o2, %c32i : f32
      %m2 = arith.maximumf %m4, %s2 : f32
      %s1, %v1 = gpu.shuffle xor %m2, %o1, %c32i : f32
      %wmax = arith.maximumf %m2, %s1 : f32
      %lane = arith.remui %tid, %c32 : index
      %warp = arith.divui %tid, %c32 : index
      %first = arith.cmpi eq, %lane, %c0 : index
      scf.if %first {
        memref.store %wmax, %partial[%warp] : memref<4xf32, #gpu.address_space<workgroup>>
      }
      gpu.barrier
      %c4 = arith.constant 4 : index
      %rmax = scf.for %w = %c0 to %c4 step %c1 iter_args(%acc = %ninf) -> (f32) {
        %p = memref.load %partial[%w] : memref<4xf32, #gpu.address_space<workgroup>>
        %m = arith.maximumf %acc, %p : f32
        scf.yield %m : f32
      }
      gpu.barrier
      // Sum of exp(x - max), reduced the same way.
      %tsum = scf.for %j = %tid to %n step %bdim iter_args(%acc = %fzero) -> (f32) {
        %i = arith.addi %off, %j : index
        %v = memref.load %x[%i] : memref<?xf32>
        %d = arith.subf %v, %rmax : f32
        %e = math.exp %d : f32
        %s = arith.addf %acc, %e : f32
        scf.yield %s : f32
      }
      %a16, %w16 = gpu.shuffle xor %tsum, %o16, %c32i : f32
      %t16 = arith.addf %tsum, %a16 : f32
      %a8, %w8 = gpu.shuffle xor %t16, %o8, %c32i : f32
      %t8 = arith.addf %t16, %a8 : f32
      %a4, %w4 = gpu.shuffle xor %t8, %o4, %c32i : f32
      %t4 = arith.addf %t8, %a4 : f32
      %a2, %w2 = gpu.shuffle xor %t4, %o2, %c32i : f32
      %t2 = arith.addf %t4, %a2 : f32
      %a1, %w1 = gpu.shuffle xor %t2, %o1, %c32i : f32
      %wsum = arith.addf %t2, %a1 : f32
      scf.if %first {
        memref.store %wsum, %partial[%warp] : memref<4xf32, #gpu.address_space<workgroup>>
      }
      gpu.barrier
      %rsum = scf.for %w = %c0 to %c4 step %c1 iter_args(%acc = %fzero) -> (f32) {
        %p = memref.load %partial[%w] : memref<4xf32, #gpu.address_space<workgroup>>
        %s = arith.addf %acc, %p : f32
        scf.yield %s : f32
      }
      scf.for %j = %tid to %n step %bdim {
        %i = arith.addi %off, %j : index
        %v = memref.load %x[%i] : memref<?xf32>
        %d = arith.subf %v, %rmax : f32
        %e = math.exp %d : f32
        %q = arith.divf %e, %rsum : f32
        memref.store %q, %y[%i] : memref<?xf32>
      }
      gpu.return
    }

    // C[M, N] = A[M, K] * B[K, N], 16x16 tiles staged through workgroup
    // memory, one thread per output; edges masked.
    gpu.func @matmul_tiled(%a: memref<?xf32>, %b: memref<?xf32>, %c: memref<?xf32>,
                           %M: index, %N: index, %K: index)
        workgroup(%ta: memref<256xf32, #gpu.address_space<workgroup>>,
                  %tb: memref<256xf32, #gpu.address_space<workgroup>>) kernel {
      %c0 = arith.constant 0 : index
      %c1 = arith.constant 1 : index
      %c16 = arith.constant 16 : index
      %fzero = arith.constant 0.0 : f32
      %bx = gpu.block_id x
      %by = gpu.block_id y
      %tx = gpu.thread_id x
      %ty = gpu.thread_id y
      %row0 = arith.muli %by, %c16 : index
      %col0 = arith.muli %bx, %c16 : index
      %row = arith.addi %row0, %ty : index
      %col = arith.addi %col0, %tx : index
      %tiles0 = arith.addi %K, %c16 : index
      %tiles1 = arith.subi %tiles0, %c1 : index
      %tiles = arith.divui %tiles1, %c16 : index
      %slot0 = arith.muli %ty, %c16 : index
      %slot = arith.addi %slot0, %tx : index
      %acc = scf.for %t = %c0 to %tiles step %c1 iter_args(%sum = %fzero) -> (f32) {
        %k0 = arith.muli %t, %c16 : index
        %ka = arith.addi %k0, %tx : index
        %kb = arith.addi %k0, %ty : index
        %ina0 = arith.cmpi ult, %row, %M : index
        %ina1 = arith.cmpi ult, %ka, %K : index
        %ina = arith.andi %ina0, %ina1 : i1
        %va = scf.if %ina -> (f32) {
          %ia0 = arith.muli %row, %K : index
          %ia = arith.addi %ia0, %ka : index
          %v = memref.load %a[%ia] : memref<?xf32>
          scf.yield %v : f32
        } else {
          scf.yield %fzero : f32
        }
        memref.store %va, %ta[%slot] : memref<256xf32, #gpu.address_space<workgroup>>
        %inb0 = arith.cmpi ult, %kb, %K : index
        %inb1 = arith.cmpi ult, %col, %N : index
        %inb = arith.andi %inb0, %inb1 : i1
        %vb = scf.if %inb -> (f32) {
          %ib0 = arith.muli %kb, %N : index
          %ib = arith.addi %ib0, %col : index
          %v = memref.load %b[%ib] : memref<?xf32>
          scf.yield %v : f32
        } else {
          scf.yield %fzero : f32
        }
        memref.store %vb, %tb[%slot] : memref<256xf32, #gpu.address_space<workgroup>>
        gpu.barrier
        %part = scf.for %kk = %c0 to %c16 step %c1 iter_args(%s = %sum) -> (f32) {
          %pa0 = arith.muli %ty, %c16 : index
          %pa = arith.addi %pa0, %kk : index
          %pb0 = arith.muli %kk, %c16 : index
          %pb = arith.addi %pb0, %tx : index
          %x = memref.load %ta[%pa] : memref<256xf32, #gpu.address_space<workgroup>>
          %y = memref.load %tb[%pb] : memref<256xf32, #gpu.address_space<workgroup>>
          %s2 = math.fma %x, %y, %s : f32
          scf.yield %s2 : f32
        }
        gpu.barrier
        scf.yield %part : f32
      }
      %inr = arith.cmpi ult, %row, %M : index
      %inc = arith.cmpi ult, %col, %N : index
      %in = arith.andi %inr, %inc : i1
      scf.if %in {
        %ic0 = arith.muli %row, %N : index
        %ic = arith.addi %ic0, %col : index
        memref.store %acc, %c[%ic] : memref<?xf32>
      }
      gpu.return
    }

    // Other element types and math the printers must handle: f16 storage
    // with f32 math, i32 -> f32 casts, erf, a select.
    gpu.func @mixed_types(%h: memref<?xf16>, %l: memref<?xi32>, %y: memref<?xf16>, %m: index) kernel {
      %bid = gpu.block_id x
      %bdim = gpu.block_dim x
      %tid = gpu.thread_id x
      %base = arith.muli %bid, %bdim : index
      %i = arith.addi %base, %tid : index
      %in = arith.cmpi ult, %i, %m : index
      scf.if %in {
        %hv = memref.load %h[%i] : memref<?xf16>
        %x = arith.extf %hv : f16 to f32
        %lv = memref.load %l[%i] : memref<?xi32>
        %lf = arith.sitofp %lv : i32 to f32
        %e = math.erf %x : f32
        %p = arith.cmpf ogt, %e, %lf : f32
        %s = arith.select %p, %e, %lf : f32
        %r = arith.truncf %s : f32 to f16
        memref.store %r, %y[%i] : memref<?xf16>
      }
      gpu.return
    }
  }
}
