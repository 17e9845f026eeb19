//===- TestModel.h - A hand-written artifact for the runtime's tests
//-------===//
//
// Entry `forward` of model AddRowSum, with a symbolic batch dim B:
//
//   t   = x + y + w          (kernel add3: 32 elements per block; t is a temp)
//   sum = rowsum(view of t)  (kernel rowsum: one row per block)
//   t2  = copy of the view   (an output of shape [B, 4, 4])
//
// The CPU tests supply the kernels in C++ (TestKernels.cpp), the GPU test in
// PTX (gpu/kernels.ptx). Shared by both, so it needs nothing but the STL.
//
//===----------------------------------------------------------------------===//

#ifndef TENSORC_UNITTESTS_RUNTIME_TESTMODEL_H
#define TENSORC_UNITTESTS_RUNTIME_TESTMODEL_H

#include <cstdint>
#include <string>
#include <vector>

namespace tensorc::testing {

constexpr int64_t kCols = 16;

/// `target` is the JSON of the "target" object.
inline std::string addRowSumManifest(const std::string &target,
                                     const std::string &module) {
  return R"json({
  "format": "tensorc-artifact", "version": 1, "compiler": "hand-written",
  "model": "AddRowSum", "target": )json" +
         target + R"json(, "module": ")json" + module +
         R"json(", "index_bits": 64,
  "dims": ["B"],
  "params": [{"name": "w", "dtype": "f32", "shape": [16],
              "init": {"kind": "uniform", "args": [-1, 1]}}],
  "kernels": [
    {"name": "add3", "block": [32, 1, 1], "smem": 0,
     "args": ["ptr", "ptr", "ptr", "ptr", "i64", "i64"]},
    {"name": "rowsum", "block": [1, 1, 1], "smem": 0,
     "args": ["ptr", "ptr", "i64"]}
  ],
  "entries": [{
    "name": "forward",
    "inputs": [{"name": "x", "dtype": "f32", "shape": ["B", 16], "buffer": 0},
               {"name": "y", "dtype": "f32", "shape": ["B", 16], "buffer": 1}],
    "outputs": [{"name": "sum", "dtype": "f32", "shape": ["B"], "buffer": 5},
                {"name": "t", "dtype": "f32", "shape": ["B", 4, 4], "buffer": 6}],
    "params": [{"name": "w", "buffer": 2}],
    "buffers": [
      {"id": 0, "kind": "input", "bytes": "64*B"},
      {"id": 1, "kind": "input", "bytes": "64*B"},
      {"id": 2, "kind": "param", "bytes": "64"},
      {"id": 3, "kind": "temp", "bytes": "B*16*4", "slot": 0},
      {"id": 4, "kind": "view", "of": 3, "bytes": "64*B"},
      {"id": 5, "kind": "output", "bytes": "4*B", "slot": 1},
      {"id": 6, "kind": "output", "bytes": "64*B"}
    ],
    "slots": 2,
    "steps": [
      {"op": "launch", "kernel": "add3", "grid": ["ceildiv(B*16, 32)", "1", "1"],
       "args": [{"buffer": 0}, {"buffer": 1}, {"buffer": 2}, {"buffer": 3},
                {"dim": "B*16"}, {"dim": "16"}]},
      {"op": "launch", "kernel": "rowsum", "grid": ["B", "1", "1"],
       "args": [{"buffer": 4}, {"buffer": 5}, {"dim": "16"}]},
      {"op": "copy", "src": 4, "dst": 6, "bytes": "64*B"}
    ]
  }]
})json";
}

/// What `forward` computes, in the kernels' order of operations, so that
/// results compare exactly.
inline void addRowSumReference(const std::vector<float> &x,
                               const std::vector<float> &y,
                               const std::vector<float> &w, int64_t batch,
                               std::vector<float> &t, std::vector<float> &sum) {
  t.assign(static_cast<size_t>(batch * kCols), 0);
  sum.assign(static_cast<size_t>(batch), 0);
  for (int64_t i = 0; i < batch * kCols; ++i)
    t[i] = x[i] + y[i] + w[i % kCols];
  for (int64_t r = 0; r < batch; ++r) {
    float s = 0;
    for (int64_t c = 0; c < kCols; ++c)
      s += t[r * kCols + c];
    sum[r] = s;
  }
}

} // namespace tensorc::testing

#endif // TENSORC_UNITTESTS_RUNTIME_TESTMODEL_H
