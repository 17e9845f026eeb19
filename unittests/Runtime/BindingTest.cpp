//===- BindingTest.cpp - Input validation and dim binding
//------------------===//

#include "runtime/Binding.h"
#include "TestUtil.h"

using namespace tensorc;
using namespace tensorc::testing;

namespace {

const char *kManifest = R"json({
  "format": "tensorc-artifact", "version": 1,
  "target": {"kind": "cpu"}, "module": "m.so", "index_bits": 64,
  "dims": ["B", "T", "H"], "params": [], "kernels": [],
  "entries": [{
    "name": "main",
    "inputs": [{"name": "a", "dtype": "f32", "shape": ["B", "T"], "buffer": 0},
               {"name": "b", "dtype": "i32", "shape": ["T"], "buffer": 1},
               {"name": "c", "dtype": "f32", "shape": ["2*B", 3], "buffer": 2}],
    "outputs": [], "params": [],
    "buffers": [{"id": 0, "kind": "input", "bytes": "4*B*T"},
                {"id": 1, "kind": "input", "bytes": "4*T"},
                {"id": 2, "kind": "input", "bytes": "24*B"}],
    "slots": 0, "steps": []
  }, {
    "name": "needsH",
    "inputs": [{"name": "a", "dtype": "f32", "shape": ["B"], "buffer": 0}],
    "outputs": [], "params": [],
    "buffers": [{"id": 0, "kind": "input", "bytes": "4*B"},
                {"id": 1, "kind": "temp", "bytes": "H*B", "slot": 0}],
    "slots": 1, "steps": []
  }]
})json";

HostTensor tensor(DType dtype, std::vector<int64_t> shape) {
  return *HostTensor::zeros(dtype, std::move(shape));
}

class BindingTest : public ::testing::Test {
protected:
  void SetUp() override {
    Expected<Manifest> m = Manifest::parse(kManifest);
    ASSERT_TRUE(m.ok()) << m.status().message();
    manifest = *m;
    inputs = {{"a", tensor(DType::F32, {4, 5})},
              {"b", tensor(DType::I32, {5})},
              {"c", tensor(DType::F32, {8, 3})}};
  }

  std::string error(const std::map<std::string, int64_t> &dims = {},
                    const char *entry = "main") {
    return errorOf(
        bindDims(manifest, *manifest.findEntry(entry), inputs, dims));
  }

  Manifest manifest;
  TensorMap inputs;
};

TEST_F(BindingTest, BindsDimsFromTheFirstInputThatNamesThem) {
  Expected<DimValues> dims =
      bindDims(manifest, manifest.entries[0], inputs, {});
  ASSERT_TRUE(dims.ok()) << dims.status().message();
  EXPECT_EQ(*dims, (DimValues{4, 5, 0}));
  // An explicit binding that agrees is fine.
  dims = bindDims(manifest, manifest.entries[0], inputs, {{"T", 5}});
  EXPECT_TRUE(dims.ok()) << dims.status().message();
}

TEST_F(BindingTest, UnknownAndMissingInputs) {
  inputs["q"] = tensor(DType::F32, {1});
  EXPECT_EQ(error(), "entry 'main': unknown input 'q'; its inputs are a "
                     "(f32[B, T]), b (i32[T]), c (f32[2*B, 3])");
  inputs.erase("q");
  inputs.erase("b");
  EXPECT_EQ(error(), "entry 'main': missing input 'b' (i32[T])");
}

TEST_F(BindingTest, DtypeRankAndStaticDims) {
  inputs["b"] = tensor(DType::F32, {5});
  EXPECT_EQ(error(), "entry 'main': input 'b': expected dtype i32, given f32 "
                     "(f32[5])");
  inputs["b"] = tensor(DType::I32, {5});
  inputs["a"] = tensor(DType::F32, {4, 5, 1});
  EXPECT_EQ(error(), "entry 'main': input 'a': expected rank 2 (f32[B, T]), "
                     "given rank 3 (f32[4, 5, 1])");
  inputs["a"] = tensor(DType::F32, {4, 5});
  inputs["c"] = tensor(DType::F32, {8, 4});
  EXPECT_EQ(error(), "entry 'main': input 'c': dim 1 expected 3 (f32[2*B, "
                     "3]), given 4 (f32[8, 4])");
}

TEST_F(BindingTest, ConflictingDimsNameBothInputs) {
  inputs["b"] = tensor(DType::I32, {6});
  EXPECT_EQ(error(), "entry 'main': input 'b': dim 0 is 'T' = 6 (i32[6]), but "
                     "input 'a' dim 1 bound T = 5");
  inputs["b"] = tensor(DType::I32, {5});
  inputs["c"] = tensor(DType::F32, {9, 3});
  EXPECT_EQ(error(), "entry 'main': input 'c': dim 0 expected 2*B = 8 "
                     "(f32[2*B, 3]), given 9 (f32[9, 3])");
}

TEST_F(BindingTest, DimsMustBePositive) {
  inputs["a"] = tensor(DType::F32, {0, 5});
  EXPECT_EQ(error(), "entry 'main': input 'a': dim 0 binds 'B', which must be "
                     "at least 1, given 0 (f32[0, 5])");
}

TEST_F(BindingTest, ExplicitDims) {
  EXPECT_EQ(error({{"B", 3}}),
            "entry 'main': input 'a': dim 0 is 'B' = 4 (f32[4, 5]), but the "
            "explicit binding bound B = 3");
  EXPECT_EQ(error({{"Q", 1}}),
            "entry 'main': unknown dim 'Q' (the model's dims: B, T, H)");
  EXPECT_EQ(error({{"B", 0}}),
            "entry 'main': dim 'B' must be at least 1, given 0");
  inputs = {{"a", tensor(DType::F32, {4})}};
  EXPECT_EQ(error({}, "needsH"), "entry 'needsH': dim 'H' is not bound: no "
                                 "input names it; bind it explicitly");
  Expected<DimValues> dims =
      bindDims(manifest, manifest.entries[1], inputs, {{"H", 2}});
  ASSERT_TRUE(dims.ok()) << dims.status().message();
  EXPECT_EQ(*dims, (DimValues{4, 0, 2}));
}

} // namespace
