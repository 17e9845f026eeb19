// Reference kernels in the form tc-emit-kernels{target=cpu} produces: the
// kernel ABI of docs/codegen.md (section 4) with one thread per block, so no
// gpu.shuffle; gpu ids, barriers and workgroup/private attributions. The
// host target tests lower these to host functions and run them.
module attributes {gpu.container_module} {
  gpu.module @tc_kernels {
    // y[i] = relu(x[i] + b[i % n]) for i < m, grid-stride over m elements.
    gpu.func @bias_relu(%x: memref<?xf32>, %b: memref<?xf32>, %y: memref<?xf32>,
                        %m: index, %n: index) kernel {
      %bid = gpu.block_id x
      %bdim = gpu.block_dim x
      %tid = gpu.thread_id x
      %gdim = gpu.grid_dim x
      %zero = arith.constant 0.0 : f32
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

    // One block per row: y = softmax(x) over n columns; the row max and sum
    // go through workgroup memory between barriers, as on the GPU.
    gpu.func @softmax_rows(%x: memref<?xf32>, %y: memref<?xf32>, %rows: index, %n: index)
        workgroup(%partial: memref<1xf32, #gpu.address_space<workgroup>>) kernel {
      %c0 = arith.constant 0 : index
      %ninf = arith.constant 0xFF800000 : f32
      %fzero = arith.constant 0.0 : f32
      %row = gpu.block_id x
      %tid = gpu.thread_id x
      %bdim = gpu.block_dim x
      %inrow = arith.cmpi ult, %row, %rows : index
      scf.if %inrow {
        %off = arith.muli %row, %n : index
        %tmax = scf.for %j = %tid to %n step %bdim iter_args(%acc = %ninf) -> (f32) {
          %i = arith.addi %off, %j : index
          %v = memref.load %x[%i] : memref<?xf32>
          %m = arith.maximumf %acc, %v : f32
          scf.yield %m : f32
        }
        memref.store %tmax, %partial[%c0] : memref<1xf32, #gpu.address_space<workgroup>>
        gpu.barrier
        %rmax = memref.load %partial[%c0] : memref<1xf32, #gpu.address_space<workgroup>>
        gpu.barrier
        %tsum = scf.for %j = %tid to %n step %bdim iter_args(%acc = %fzero) -> (f32) {
          %i = arith.addi %off, %j : index
          %v = memref.load %x[%i] : memref<?xf32>
          %d = arith.subf %v, %rmax : f32
          %e = math.exp %d : f32
          %s = arith.addf %acc, %e : f32
          scf.yield %s : f32
        }
        memref.store %tsum, %partial[%c0] : memref<1xf32, #gpu.address_space<workgroup>>
        gpu.barrier
        %rsum = memref.load %partial[%c0] : memref<1xf32, #gpu.address_space<workgroup>>
        scf.for %j = %tid to %n step %bdim {
          %i = arith.addi %off, %j : index
          %v = memref.load %x[%i] : memref<?xf32>
          %d = arith.subf %v, %rmax : f32
          %e = math.exp %d : f32
          %q = arith.divf %e, %rsum : f32
          memref.store %q, %y[%i] : memref<?xf32>
        }
      }
      gpu.return
    }

    // C[b] = A[b] * B[b] for A[b]: M x K, B[b]: K x N. A block computes a
    // 16x16 tile of C (grid: N tiles, M tiles, batch) staging 16x16 tiles of
    // A and B through workgroup memory, accumulating in private memory.
    gpu.func @matmul_tiled(%a: memref<?xf32>, %b: memref<?xf32>, %c: memref<?xf32>,
                           %M: index, %N: index, %K: index)
        workgroup(%ta: memref<256xf32, #gpu.address_space<workgroup>>,
                  %tb: memref<256xf32, #gpu.address_space<workgroup>>)
        private(%acc: memref<256xf32, #gpu.address_space<private>>) kernel {
      %c0 = arith.constant 0 : index
      %c1 = arith.constant 1 : index
      %c15 = arith.constant 15 : index
      %c16 = arith.constant 16 : index
      %c256 = arith.constant 256 : index
      %fzero = arith.constant 0.0 : f32
      %bx = gpu.block_id x
      %by = gpu.block_id y
      %bz = gpu.block_id z
      %row0 = arith.muli %by, %c16 : index
      %col0 = arith.muli %bx, %c16 : index
      %MK = arith.muli %M, %K : index
      %KN = arith.muli %K, %N : index
      %MN = arith.muli %M, %N : index
      %abase = arith.muli %bz, %MK : index
      %bbase = arith.muli %bz, %KN : index
      %cbase = arith.muli %bz, %MN : index
      scf.for %s = %c0 to %c256 step %c1 {
        memref.store %fzero, %acc[%s] : memref<256xf32, #gpu.address_space<private>>
      }
      %k15 = arith.addi %K, %c15 : index
      %tiles = arith.divui %k15, %c16 : index
      scf.for %t = %c0 to %tiles step %c1 {
        %k0 = arith.muli %t, %c16 : index
        scf.for %i = %c0 to %c16 step %c1 {
          scf.for %j = %c0 to %c16 step %c1 {
            %slot0 = arith.muli %i, %c16 : index
            %slot = arith.addi %slot0, %j : index
            %r = arith.addi %row0, %i : index
            %ka = arith.addi %k0, %j : index
            %ina0 = arith.cmpi ult, %r, %M : index
            %ina1 = arith.cmpi ult, %ka, %K : index
            %ina = arith.andi %ina0, %ina1 : i1
            %va = scf.if %ina -> (f32) {
              %ia0 = arith.muli %r, %K : index
              %ia1 = arith.addi %ia0, %ka : index
              %ia = arith.addi %abase, %ia1 : index
              %v = memref.load %a[%ia] : memref<?xf32>
              scf.yield %v : f32
            } else {
              scf.yield %fzero : f32
            }
            memref.store %va, %ta[%slot] : memref<256xf32, #gpu.address_space<workgroup>>
            %kb = arith.addi %k0, %i : index
            %col = arith.addi %col0, %j : index
            %inb0 = arith.cmpi ult, %kb, %K : index
            %inb1 = arith.cmpi ult, %col, %N : index
            %inb = arith.andi %inb0, %inb1 : i1
            %vb = scf.if %inb -> (f32) {
              %ib0 = arith.muli %kb, %N : index
              %ib1 = arith.addi %ib0, %col : index
              %ib = arith.addi %bbase, %ib1 : index
              %v = memref.load %b[%ib] : memref<?xf32>
              scf.yield %v : f32
            } else {
              scf.yield %fzero : f32
            }
            memref.store %vb, %tb[%slot] : memref<256xf32, #gpu.address_space<workgroup>>
          }
        }
        gpu.barrier
        scf.for %i = %c0 to %c16 step %c1 {
          scf.for %j = %c0 to %c16 step %c1 {
            %o0 = arith.muli %i, %c16 : index
            %o = arith.addi %o0, %j : index
            %init = memref.load %acc[%o] : memref<256xf32, #gpu.address_space<private>>
            %sum = scf.for %kk = %c0 to %c16 step %c1 iter_args(%s = %init) -> (f32) {
              %pa = arith.addi %o0, %kk : index
              %pb0 = arith.muli %kk, %c16 : index
              %pb = arith.addi %pb0, %j : index
              %x = memref.load %ta[%pa] : memref<256xf32, #gpu.address_space<workgroup>>
              %y = memref.load %tb[%pb] : memref<256xf32, #gpu.address_space<workgroup>>
              %s2 = math.fma %x, %y, %s : f32
              scf.yield %s2 : f32
            }
            memref.store %sum, %acc[%o] : memref<256xf32, #gpu.address_space<private>>
          }
        }
        gpu.barrier
      }
      scf.for %i = %c0 to %c16 step %c1 {
        scf.for %j = %c0 to %c16 step %c1 {
          %r = arith.addi %row0, %i : index
          %col = arith.addi %col0, %j : index
          %inr = arith.cmpi ult, %r, %M : index
          %inc = arith.cmpi ult, %col, %N : index
          %in = arith.andi %inr, %inc : i1
          scf.if %in {
            %o0 = arith.muli %i, %c16 : index
            %o = arith.addi %o0, %j : index
            %v = memref.load %acc[%o] : memref<256xf32, #gpu.address_space<private>>
            %ic0 = arith.muli %r, %N : index
            %ic1 = arith.addi %ic0, %col : index
            %ic = arith.addi %cbase, %ic1 : index
            memref.store %v, %c[%ic] : memref<?xf32>
          }
        }
      }
      gpu.return
    }

    // f16 storage with f32 math, i32 -> f32 casts, erf, a select.
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

    // The math functions that need libm on the CPU; one element per block.
    gpu.func @math_funcs(%x: memref<?xf32>, %erf: memref<?xf32>, %tanh: memref<?xf32>,
                         %exp: memref<?xf32>, %log: memref<?xf32>, %m: index) kernel {
      %i = gpu.block_id x
      %in = arith.cmpi ult, %i, %m : index
      scf.if %in {
        %half = arith.constant 0.5 : f32
        %v = memref.load %x[%i] : memref<?xf32>
        %e = math.erf %v : f32
        memref.store %e, %erf[%i] : memref<?xf32>
        %t = math.tanh %v : f32
        memref.store %t, %tanh[%i] : memref<?xf32>
        %x2 = math.exp %v : f32
        memref.store %x2, %exp[%i] : memref<?xf32>
        %a = math.absf %v : f32
        %a2 = arith.addf %a, %half : f32
        %l = math.log %a2 : f32
        memref.store %l, %log[%i] : memref<?xf32>
      }
      gpu.return
    }

    // A body of several blocks (unstructured control flow): y[i] = 2 x[i]
    // for the blocks below m, over a 2-d grid.
    gpu.func @scale_cf(%x: memref<?xf32>, %y: memref<?xf32>, %m: index) kernel {
      %bx = gpu.block_id x
      %by = gpu.block_id y
      %gx = gpu.grid_dim x
      %row = arith.muli %by, %gx : index
      %i = arith.addi %row, %bx : index
      %in = arith.cmpi ult, %i, %m : index
      cf.cond_br %in, ^body, ^exit
    ^body:
      %v = memref.load %x[%i] : memref<?xf32>
      %s = arith.addf %v, %v : f32
      memref.store %s, %y[%i] : memref<?xf32>
      gpu.return
    ^exit:
      gpu.return
    }
  }
}
