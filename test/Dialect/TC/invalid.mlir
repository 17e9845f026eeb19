// RUN: tensorc-opt %s -split-input-file -verify-diagnostics

// Every verifier error of the tc dialect, one case each.

func.func @add_types(%a: tensor<4xf32>, %b: tensor<4xf16>) {
  // expected-error @+1 {{operands have different element types ('f32' and 'f16'); insert a tc.cast}}
  %0 = tc.add %a, %b : tensor<4xf32>, tensor<4xf16>
  return
}

// -----

func.func @add_broadcast(%a: tensor<?x256xf32>, %b: tensor<128xf32>) {
  // expected-error @+1 {{cannot broadcast [?, 256] with [128]: dim 256 vs 128 at result axis 1}}
  %0 = tc.add %a, %b : tensor<?x256xf32>, tensor<128xf32>
  return
}

// -----

func.func @cmp_types(%a: tensor<4xf32>, %b: tensor<4xi32>) {
  // expected-error @+1 {{operands have different element types}}
  %0 = tc.cmp lt, %a, %b : tensor<4xf32>, tensor<4xi32>
  return
}

// -----

func.func @select_broadcast(%c: tensor<3xi1>, %a: tensor<4xf32>) {
  // expected-error @+1 {{cannot broadcast [3] with [4]}}
  %0 = tc.select %c, %a, %a : tensor<3xi1>, tensor<4xf32>, tensor<4xf32>
  return
}

// -----

func.func @select_types(%c: tensor<4xi1>, %a: tensor<4xf32>, %b: tensor<4xf64>) {
  // expected-error @+1 {{operands have different element types}}
  %0 = tc.select %c, %a, %b : tensor<4xi1>, tensor<4xf32>, tensor<4xf64>
  return
}

// -----

func.func @dropout_p(%a: tensor<4xf32>) {
  // expected-error @+1 {{probability must be in [0, 1), got 1}}
  %0 = tc.dropout %a, 1.0 : tensor<4xf32>
  return
}

// -----

func.func @masked_fill_shape(%a: tensor<4x8xf32>, %m: tensor<3xi1>) {
  // expected-error @+1 {{mask of shape [3] does not broadcast to the input shape [4, 8]}}
  %0 = tc.masked_fill %a, %m, 0.0 : tensor<4x8xf32>, tensor<3xi1>
  return
}

// -----

func.func @exp_int(%a: tensor<4xi32>) {
  // expected-error @+1 {{must be ranked tensor of floating-point values}}
  %0 = tc.exp %a : tensor<4xi32>
  return
}

// -----

func.func @matmul_rank(%a: tensor<4xf32>, %b: tensor<4x4xf32>) {
  // expected-error @+1 {{operands must have rank >= 2}}
  %0 = tc.matmul %a, %b : tensor<4xf32>, tensor<4x4xf32>
  return
}

// -----

func.func @matmul_types(%a: tensor<4x4xf32>, %b: tensor<4x4xf16>) {
  // expected-error @+1 {{operands have different element types ('f32' and 'f16')}}
  %0 = tc.matmul %a, %b : tensor<4x4xf32>, tensor<4x4xf16>
  return
}

// -----

func.func @matmul_k(%a: tensor<?x784xf32>, %b: tensor<256x10xf32>) {
  // expected-error @+1 {{contracting dims differ: 'tensor<?x784xf32>' has 784 columns but 'tensor<256x10xf32>' has 256 rows}}
  %0 = tc.matmul %a, %b : tensor<?x784xf32>, tensor<256x10xf32>
  return
}

// -----

func.func @matmul_batch(%a: tensor<2x4x4xf32>, %b: tensor<3x4x4xf32>) {
  // expected-error @+1 {{cannot broadcast [2] with [3]}}
  %0 = tc.matmul %a, %b : tensor<2x4x4xf32>, tensor<3x4x4xf32>
  return
}

// -----

func.func @reduce_axis(%a: tensor<4x4xf32>) {
  // expected-error @+1 {{reduction axis 2 is out of range for rank 2}}
  %0 = tc.sum %a [2] : tensor<4x4xf32>
  return
}

// -----

func.func @reduce_sorted(%a: tensor<4x4xf32>) {
  // expected-error @+1 {{reduction axes must be sorted and unique}}
  %0 = tc.max %a [1, 0] : tensor<4x4xf32>
  return
}

// -----

func.func @mean_int(%a: tensor<4xi32>) {
  // expected-error @+1 {{must be ranked tensor of floating-point values}}
  %0 = tc.mean %a [0] : tensor<4xi32>
  return
}

// -----

func.func @argmax_axis(%a: tensor<4x4xf32>) {
  // expected-error @+1 {{reduction axis -1 is out of range for rank 2}}
  %0 = tc.argmax %a, -1 : tensor<4x4xf32>
  return
}

// -----

func.func @softmax_axis(%a: tensor<4x4xf32>) {
  // expected-error @+1 {{softmax axis 2 is out of range for rank 2}}
  %0 = tc.softmax %a, 2 : tensor<4x4xf32>
  return
}

// -----

func.func @log_softmax_axis(%a: tensor<4x4xf32>) {
  // expected-error @+1 {{log_softmax axis 5 is out of range for rank 2}}
  %0 = tc.log_softmax %a, 5 : tensor<4x4xf32>
  return
}

// -----

func.func @layernorm_shape(%x: tensor<?x8xf32>, %g: tensor<4xf32>) {
  // expected-error @+1 {{gamma shape [4] does not match the input's trailing dims [8]}}
  %0 = tc.layernorm %x, %g, %g, 1.0e-5 : tensor<?x8xf32>, tensor<4xf32>
  return
}

// -----

func.func @layernorm_rank(%x: tensor<8xf32>, %g: tensor<1x8xf32>) {
  // expected-error @+1 {{gamma must have rank 1 to 1, got 2}}
  %0 = tc.layernorm %x, %g, %g, 1.0e-5 : tensor<8xf32>, tensor<1x8xf32>
  return
}

// -----

func.func @layernorm_type(%x: tensor<?x8xf32>, %g: tensor<8xf16>) {
  // expected-error @+1 {{gamma has element type 'f16' but the input has 'f32'}}
  %0 = tc.layernorm %x, %g, %g, 1.0e-5 : tensor<?x8xf32>, tensor<8xf16>
  return
}

// -----

func.func @layernorm_eps(%x: tensor<?x8xf32>, %g: tensor<8xf32>) {
  // expected-error @+1 {{eps must not be negative}}
  %0 = tc.layernorm %x, %g, %g, -1.0 : tensor<?x8xf32>, tensor<8xf32>
  return
}

// -----

func.func @rmsnorm_shape(%x: tensor<?x8xf32>, %g: tensor<7xf32>) {
  // expected-error @+1 {{gamma shape [7] does not match the input's trailing dims [8]}}
  %0 = tc.rmsnorm %x, %g, 1.0e-6 : tensor<?x8xf32>, tensor<7xf32>
  return
}

// -----

func.func @rmsnorm_eps(%x: tensor<?x8xf32>, %g: tensor<8xf32>) {
  // expected-error @+1 {{eps must not be negative}}
  %0 = tc.rmsnorm %x, %g, -1.0e-6 : tensor<?x8xf32>, tensor<8xf32>
  return
}

// -----

func.func @ce_logits_rank(%x: tensor<?x4x8xf32>, %y: tensor<?xi32>) {
  // expected-error @+1 {{logits must have rank 2 ([N, C]), got 3}}
  %0 = tc.cross_entropy %x, %y : tensor<?x4x8xf32>, tensor<?xi32>
  return
}

// -----

func.func @ce_labels_rank(%x: tensor<?x8xf32>, %y: tensor<?x1xi32>) {
  // expected-error @+1 {{labels must have rank 1 ([N]), got 2}}
  %0 = tc.cross_entropy %x, %y : tensor<?x8xf32>, tensor<?x1xi32>
  return
}

// -----

func.func @ce_rows(%x: tensor<4x8xf32>, %y: tensor<5xi32>) {
  // expected-error @+1 {{logits have 4 rows but there are 5 labels}}
  %0 = tc.cross_entropy %x, %y : tensor<4x8xf32>, tensor<5xi32>
  return
}

// -----

func.func @transpose_size(%x: tensor<4x8xf32>) {
  // expected-error @+1 {{permutation has 3 entries for a tensor of rank 2}}
  %0 = tc.transpose %x [0, 1, 2] : tensor<4x8xf32>
  return
}

// -----

func.func @transpose_perm(%x: tensor<4x8xf32>) {
  // expected-error @+1 {{invalid permutation [1, 1]}}
  %0 = tc.transpose %x [1, 1] : tensor<4x8xf32>
  return
}

// -----

func.func @reshape_type(%x: tensor<4x8xf32>) {
  // expected-error @+1 {{cannot change the element type ('f32' to 'f16'); use tc.cast}}
  %0 = tc.reshape %x : tensor<4x8xf32> -> tensor<32xf16>
  return
}

// -----

func.func @reshape_dyn(%x: tensor<?x8xf32>) {
  // expected-error @+1 {{needs one size operand per dynamic result dim: 1 dynamic dims but 0 operands}}
  %0 = tc.reshape %x : tensor<?x8xf32> -> tensor<?xf32>
  return
}

// -----

func.func @reshape_count(%x: tensor<4x8xf32>) {
  // expected-error @+1 {{cannot reshape [4, 8] (32 elements) to [30] (30 elements)}}
  %0 = tc.reshape %x : tensor<4x8xf32> -> tensor<30xf32>
  return
}

// -----

func.func @reshape_static(%x: tensor<?x8xf32>) {
  // expected-error @+1 {{a reshape of the dynamic shape [?, 8] needs a dynamic result dim}}
  %0 = tc.reshape %x : tensor<?x8xf32> -> tensor<8x8xf32>
  return
}

// -----

func.func @broadcast_to_type(%x: tensor<8xf32>) {
  // expected-error @+1 {{cannot change the element type}}
  %0 = tc.broadcast_to %x : tensor<8xf32> -> tensor<4x8xf64>
  return
}

// -----

func.func @broadcast_to_shape(%x: tensor<3xf32>) {
  // expected-error @+1 {{cannot broadcast [3] to [4, 8]}}
  %0 = tc.broadcast_to %x : tensor<3xf32> -> tensor<4x8xf32>
  return
}

// -----

func.func @broadcast_to_dyn(%x: tensor<8xf32>) {
  // expected-error @+1 {{needs one size operand per dynamic result dim}}
  %0 = tc.broadcast_to %x : tensor<8xf32> -> tensor<?x8xf32>
  return
}

// -----

func.func @concat_empty() {
  // expected-error @+2 {{needs at least one input}}
  // expected-error @+1 {{'tc.concat' op failed to infer returned types}}
  %0 = "tc.concat"() <{axis = 0 : i64}> : () -> tensor<4xf32>
  return
}

// -----

func.func @concat_rank(%a: tensor<4xf32>, %b: tensor<4x1xf32>) {
  // expected-error @+1 {{inputs must have the same rank and element type}}
  %0 = tc.concat %a, %b axis 0 : tensor<4xf32>, tensor<4x1xf32>
  return
}

// -----

func.func @concat_dims(%a: tensor<4x2xf32>, %b: tensor<3x2xf32>) {
  // expected-error @+1 {{inputs differ in dim 0 (not the concat axis)}}
  %0 = tc.concat %a, %b axis 1 : tensor<4x2xf32>, tensor<3x2xf32>
  return
}

// -----

func.func @concat_axis(%a: tensor<4xf32>) {
  // expected-error @+1 {{concat axis 1 is out of range for rank 1}}
  %0 = tc.concat %a, %a axis 1 : tensor<4xf32>, tensor<4xf32>
  return
}

// -----

func.func @slice_dynamic(%a: tensor<?x4xf32>) {
  // expected-error @+1 {{cannot slice along dynamic dim 0}}
  %0 = tc.slice %a, 0, 0, 1 : tensor<?x4xf32>
  return
}

// -----

func.func @slice_bounds(%a: tensor<8x4xf32>) {
  // expected-error @+1 {{slice [2, 9) is not within [0, 8)}}
  %0 = tc.slice %a, 0, 2, 9 : tensor<8x4xf32>
  return
}

// -----

func.func @slice_axis(%a: tensor<8x4xf32>) {
  // expected-error @+1 {{slice axis 2 is out of range for rank 2}}
  %0 = tc.slice %a, 2, 0, 1 : tensor<8x4xf32>
  return
}

// -----

func.func @embedding_rank(%t: tensor<4x8x2xf32>, %i: tensor<?xi32>) {
  // expected-error @+1 {{the table must have rank 2 ([V, D]), got 3}}
  %0 = tc.embedding %t, %i : tensor<4x8x2xf32>, tensor<?xi32>
  return
}

// -----

func.func @one_hot_rank(%i: tensor<?xi32>) {
  // expected-error @+1 {{result must have rank 2 (the ids' rank plus the class dim)}}
  %0 = tc.one_hot %i : tensor<?xi32> to tensor<10xf32>
  return
}

// -----

func.func @one_hot_shape(%i: tensor<4xi32>) {
  // expected-error @+1 {{result shape [5, 10] does not extend the ids' shape [4]}}
  %0 = tc.one_hot %i : tensor<4xi32> to tensor<5x10xf32>
  return
}

// -----

func.func @one_hot_classes(%i: tensor<4xi32>) {
  // expected-error @+1 {{the class count (last result dim) must be static and at least 1}}
  %0 = tc.one_hot %i : tensor<4xi32> to tensor<4x?xf32>
  return
}

// -----

func.func @causal_square() {
  // expected-error @+1 {{result must be square [T, T], got [4, 8]}}
  %0 = tc.causal_mask : tensor<4x8xi1>
  return
}

// -----

func.func @causal_dynamic() {
  // expected-error @+1 {{a dynamic mask needs its size operand}}
  %0 = tc.causal_mask : tensor<?x?xi1>
  return
}

// -----

func.func @causal_static(%n: index) {
  // expected-error @+1 {{a static mask takes no size operand}}
  %0 = tc.causal_mask (%n) : tensor<4x4xi1>
  return
}

// -----

func.func @conv_rank(%x: tensor<1x28x28xf32>, %w: tensor<8x1x3x3xf32>) {
  // expected-error @+1 {{input [N, C, H, W] and filter [O, C, KH, KW] must have rank 4}}
  %0 = tc.conv2d %x, %w stride [1, 1] padding [0, 0] : tensor<1x28x28xf32>, tensor<8x1x3x3xf32>
  return
}

// -----

func.func @conv_types(%x: tensor<?x1x28x28xf32>, %w: tensor<8x1x3x3xf16>) {
  // expected-error @+1 {{input and filter element types differ}}
  %0 = tc.conv2d %x, %w stride [1, 1] padding [0, 0] : tensor<?x1x28x28xf32>, tensor<8x1x3x3xf16>
  return
}

// -----

func.func @conv_channels(%x: tensor<?x3x28x28xf32>, %w: tensor<8x1x3x3xf32>) {
  // expected-error @+1 {{input has 3 channels but the filter expects 1}}
  %0 = tc.conv2d %x, %w stride [1, 1] padding [0, 0] : tensor<?x3x28x28xf32>, tensor<8x1x3x3xf32>
  return
}

// -----

func.func @conv_bias(%x: tensor<?x1x28x28xf32>, %w: tensor<8x1x3x3xf32>, %b: tensor<4xf32>) {
  // expected-error @+1 {{bias must be [8] of the input's element type, got 'tensor<4xf32>'}}
  %0 = tc.conv2d %x, %w, %b stride [1, 1] padding [0, 0] : tensor<?x1x28x28xf32>, tensor<8x1x3x3xf32>, tensor<4xf32>
  return
}

// -----

func.func @conv_filter_dyn(%x: tensor<?x1x28x28xf32>, %w: tensor<8x1x?x3xf32>) {
  // expected-error @+1 {{the filter's spatial dims must be static}}
  %0 = tc.conv2d %x, %w stride [1, 1] padding [0, 0] : tensor<?x1x28x28xf32>, tensor<8x1x?x3xf32>
  return
}

// -----

func.func @conv_fit(%x: tensor<?x1x2x2xf32>, %w: tensor<8x1x3x3xf32>) {
  // expected-error @+1 {{window of 3 does not fit in 2 + 2 * 0 padding}}
  %0 = tc.conv2d %x, %w stride [1, 1] padding [0, 0] : tensor<?x1x2x2xf32>, tensor<8x1x3x3xf32>
  return
}

// -----

func.func @conv_stride(%x: tensor<?x1x28x28xf32>, %w: tensor<8x1x3x3xf32>) {
  // expected-error @+1 {{stride must have 2 entries (h, w), got 1}}
  %0 = tc.conv2d %x, %w stride [1] padding [0, 0] : tensor<?x1x28x28xf32>, tensor<8x1x3x3xf32>
  return
}

// -----

func.func @conv_stride_zero(%x: tensor<?x1x28x28xf32>, %w: tensor<8x1x3x3xf32>) {
  // expected-error @+1 {{stride entries must be at least 1}}
  %0 = tc.conv2d %x, %w stride [0, 1] padding [0, 0] : tensor<?x1x28x28xf32>, tensor<8x1x3x3xf32>
  return
}

// -----

func.func @conv_spatial_dyn(%x: tensor<?x1x?x28xf32>, %w: tensor<8x1x3x3xf32>) {
  // expected-error @+1 {{spatial dims must be static, got 'tensor<?x1x?x28xf32>'}}
  %0 = tc.conv2d %x, %w stride [1, 1] padding [0, 0] : tensor<?x1x?x28xf32>, tensor<8x1x3x3xf32>
  return
}

// -----

func.func @pool_rank(%x: tensor<8x28x28xf32>) {
  // expected-error @+1 {{input must be [N, C, H, W], got 'tensor<8x28x28xf32>'}}
  %0 = tc.max_pool2d %x kernel [2, 2] stride [2, 2] padding [0, 0] : tensor<8x28x28xf32>
  return
}

// -----

func.func @pool_padding(%x: tensor<?x8x28x28xf32>) {
  // expected-error @+1 {{padding must be at most half the kernel}}
  %0 = tc.avg_pool2d %x kernel [2, 2] stride [2, 2] padding [2, 2] : tensor<?x8x28x28xf32>
  return
}

// -----

func.func @pool_kernel(%x: tensor<?x8x28x28xf32>) {
  // expected-error @+1 {{kernel entries must be at least 1}}
  %0 = tc.max_pool2d %x kernel [0, 2] stride [2, 2] padding [0, 0] : tensor<?x8x28x28xf32>
  return
}

// -----

func.func @pool_negative_padding(%x: tensor<?x8x28x28xf32>) {
  // expected-error @+1 {{padding entries must be at least 0}}
  %0 = tc.max_pool2d %x kernel [2, 2] stride [2, 2] padding [-1, 0] : tensor<?x8x28x28xf32>
  return
}

// -----

module {
  // expected-error @+1 {{parameters must have a static shape, got 'tensor<?x4xf32>'}}
  tc.param @p : tensor<?x4xf32> = zeros
}

// -----

module {
  // expected-error @+1 {{initializer normal takes 2 numbers, got 1}}
  tc.param @p : tensor<4x4xf32> = normal [1.0]
}

// -----

module {
  // expected-error @+1 {{initializer full takes 1 numbers, got 2}}
  tc.param @p : tensor<4xf32> = full [1.0, 2.0]
}

// -----

module {
  // expected-error @+1 {{initializer full needs a float parameter, got 'tensor<4xi32>'}}
  tc.param @p : tensor<4xi32> = full [1.0]
}

// -----

module {
  // expected-error @+1 {{initializer kaiming_uniform needs a parameter of rank >= 2 (it uses fan-in)}}
  tc.param @p : tensor<4xf32> = kaiming_uniform
}

// -----

module {
  // expected-error @+1 {{'tc.param' op attribute 'type' failed to satisfy constraint}}
  tc.param @p : tensor<4xi1> = zeros
}

// -----

module {
  // expected-error @+1 {{initializer normal needs a float parameter, got 'tensor<4xi32>'}}
  tc.param @p : tensor<4xi32> = normal [0.0, 1.0]
}

// -----

module {
  // expected-error @+1 {{initializer seed needs an i32 parameter, got 'tensor<f32>'}}
  tc.param @p : tensor<f32> = seed
}

// -----

func.func @dropout_key(%a: tensor<4xf32>, %s: tensor<i32>) {
  // expected-error @+1 {{key must be (seed, step), got 1 values}}
  %0 = tc.dropout %a, 0.5 key(%s : tensor<i32>) : tensor<4xf32>
  return
}

// -----

func.func @load_unknown() {
  // expected-error @+1 {{'missing' is not a tc.param}}
  %0 = tc.load_param @missing : tensor<4xf32>
  return
}

// -----

module {
  tc.param @p : tensor<4xf32> = zeros
  func.func @load_type() {
    // expected-error @+1 {{type 'tensor<8xf32>' does not match the parameter's type 'tensor<4xf32>'}}
    %0 = tc.load_param @p : tensor<8xf32>
    return
  }
}

// -----

// expected-error @+1 {{'tc.dims' on argument 0 has 1 entries for a tensor of rank 2}}
func.func @dims_length(%x: tensor<?x4xf32> {tc.dims = ["B"]}) {
  return
}

// -----

// expected-error @+1 {{'tc.dims' on argument 0 says dim 1 is 5 but the type says 4}}
func.func @dims_value(%x: tensor<?x4xf32> {tc.dims = ["B", 5]}) {
  return
}

// -----

// expected-error @+1 {{'tc.dims' on argument 0: dim 1 must be an integer equal to the static size or a symbol name for a dynamic dim}}
func.func @dims_symbol_static(%x: tensor<?x4xf32> {tc.dims = ["B", "C"]}) {
  return
}

// -----

// expected-error @+1 {{'tc.dims' on argument 0 must be an array on a ranked tensor or memref}}
func.func @dims_kind(%x: tensor<?x4xf32> {tc.dims = "B"}) {
  return
}

// -----

// expected-error @+1 {{'tc.dims' on result 0 says dim 0 is 3 but the type says ?}}
func.func @dims_result(%x: tensor<?x4xf32>) -> (tensor<?x4xf32> {tc.dims = [3, 4]}) {
  return %x : tensor<?x4xf32>
}

// -----

// expected-error @+1 {{'tc.name' must be a string}}
func.func @name_kind(%x: tensor<4xf32> {tc.name = 3}) {
  return
}

// -----

// expected-error @+1 {{unknown tc attribute 'tc.shape'}}
func.func @unknown_attr(%x: tensor<4xf32> {tc.shape = 3}) {
  return
}

// -----

// expected-error @+1 {{'tc.model' must be a string on a module}}
module attributes {tc.model = 3} {
}

// -----

func.func @kernel_args(%x: tensor<4xf32>) {
  // expected-error @+1 {{has 1 inputs but its body takes 0 arguments}}
  %0 = tc.kernel "k" elementwise ins(%x : tensor<4xf32>) -> tensor<4xf32> {
    %c = tc.constant dense<1.0> : tensor<4xf32>
    tc.yield %c : tensor<4xf32>
  }
  return
}

// -----

func.func @kernel_arg_type(%x: tensor<4xf32>) {
  // expected-error @+1 {{input of type 'tensor<4xf32>' is bound to a body argument of type 'tensor<8xf32>'}}
  %0 = tc.kernel "k" elementwise ins(%x : tensor<4xf32>) -> tensor<8xf32> {
  ^bb0(%a: tensor<8xf32>):
    tc.yield %a : tensor<8xf32>
  }
  return
}

// -----

func.func @kernel_yield(%x: tensor<4xf32>) {
  // expected-error @+1 {{yields 'tensor<4xf32>' but its results are 'tensor<8xf32>'}}
  %0 = tc.kernel "k" elementwise ins(%x : tensor<4xf32>) -> tensor<8xf32> {
  ^bb0(%a: tensor<4xf32>):
    tc.yield %a : tensor<4xf32>
  }
  return
}

// -----

module attributes {gpu.container_module} {
  gpu.module @m {
    gpu.func @k(%a: memref<?xf32>) kernel {
      gpu.return
    }
  }
  func.func @launch_block(%o: memref<?xf32>, %n: index) {
    // expected-error @+1 {{block must be three positive sizes}}
    tc.launch @m::@k grid(%n, %n, %n) block [0, 1, 1] outs(%o : memref<?xf32>)
    return
  }
}

// -----

module attributes {gpu.container_module} {
  gpu.module @m {
    gpu.func @k(%a: memref<?xf32>) kernel {
      gpu.return
    }
  }
  func.func @launch_threads(%o: memref<?xf32>, %n: index) {
    // expected-error @+1 {{at most 1024 threads per block, got 2048}}
    tc.launch @m::@k grid(%n, %n, %n) block [1024, 2, 1] outs(%o : memref<?xf32>)
    return
  }
}

// -----

module attributes {gpu.container_module} {
  gpu.module @m {
    gpu.func @k(%a: memref<?xf32>) kernel {
      gpu.return
    }
  }
  func.func @launch_smem(%o: memref<?xf32>, %n: index) {
    // expected-error @+1 {{shared memory size must not be negative}}
    tc.launch @m::@k grid(%n, %n, %n) block [1, 1, 1] smem -4 outs(%o : memref<?xf32>)
    return
  }
}

// -----

module attributes {gpu.container_module} {
  gpu.module @m {
    gpu.func @k(%a: memref<?xf32>, %b: memref<?xf32>) kernel {
      gpu.return
    }
  }
  func.func @launch_mixed(%x: tensor<?xf32>, %o: memref<?xf32>, %n: index) {
    // expected-error @+1 {{inputs and outputs must be all tensors or all memrefs}}
    tc.launch @m::@k grid(%n, %n, %n) block [1, 1, 1] ins(%x : tensor<?xf32>) outs(%o : memref<?xf32>)
    return
  }
}

// -----

func.func @launch_results(%x: tensor<?xf32>, %o: memref<?xf32>, %n: index) {
  // expected-error @+1 {{outputs must be all tensors or all memrefs}}
  tc.launch @m::@k grid(%n, %n, %n) block [1, 1, 1] outs(%x, %o : tensor<?xf32>, memref<?xf32>)
  return
}

// -----

func.func @launch_tensor_results(%x: tensor<?xf32>, %n: index) {
  // expected-error @+1 {{on tensors, the results must have the outputs' types}}
  tc.launch @m::@k grid(%n, %n, %n) block [1, 1, 1] outs(%x : tensor<?xf32>)
  return
}

// -----

module attributes {gpu.container_module} {
  gpu.module @m {
    gpu.func @k(%a: memref<?xf32>) kernel {
      gpu.return
    }
  }
  func.func @launch_memref_results(%o: memref<?xf32>, %n: index) {
    // expected-error @+1 {{on memrefs, the launch has no results}}
    %r = tc.launch @m::@k grid(%n, %n, %n) block [1, 1, 1] outs(%o : memref<?xf32>) -> tensor<?xf32>
    return
  }
}

// -----

func.func @launch_missing(%o: memref<?xf32>, %n: index) {
  // expected-error @+1 {{kernel @m::@k not found}}
  tc.launch @m::@k grid(%n, %n, %n) block [1, 1, 1] outs(%o : memref<?xf32>)
  return
}

// -----

module {
  func.func private @notkernel()
  func.func @launch_arity(%o: memref<?xf32>, %n: index) {
    // expected-error @+1 {{kernel @notkernel takes 0 arguments but the launch passes 1}}
    tc.launch @notkernel grid(%n, %n, %n) block [1, 1, 1] outs(%o : memref<?xf32>)
    return
  }
}

// -----

module {
  tc.param @p : tensor<4xf32> = zeros
  func.func @launch_not_function(%o: memref<?xf32>, %n: index) {
    // expected-error @+1 {{kernel @p is not a function}}
    tc.launch @p grid(%n, %n, %n) block [1, 1, 1] outs(%o : memref<?xf32>)
    return
  }
}
