//===- ManifestTest.cpp - Parsing and validating manifests
//-----------------===//

#include "tensorc/manifest.h"
#include "TestModel.h"
#include "TestUtil.h"

#include "nlohmann/json.hpp"

#include <functional>

using namespace tensorc;
using namespace tensorc::testing;
using json = nlohmann::json;

namespace {

// The example of docs/artifact.md, verbatim: the documented format parses.
const char *kDocExample = R"json({
  "format": "tensorc-artifact",
  "version": 1,
  "compiler": "tensorc 0.1.0",
  "model": "FashionMLP",
  "target": {"kind": "cuda", "backend": "nvptx", "arch": "sm_90"},
  "module": "model.ptx",
  "index_bits": 64,
  "dims": ["B"],
  "params": [
    {"name": "w1", "dtype": "f32", "shape": [784, 256],
     "init": {"kind": "kaiming_uniform", "args": [], "fan_in": 784, "fan_out": 256}},
    {"name": "b1", "dtype": "f32", "shape": [256],
     "init": {"kind": "zeros", "args": []}}
  ],
  "kernels": [
    {"name": "forward_k0", "block": [128, 1, 1], "smem": 16384,
     "args": ["ptr", "ptr", "ptr", "ptr", "i64"]}
  ],
  "entries": [
    {
      "name": "forward",
      "inputs":  [{"name": "x", "dtype": "f32", "shape": ["B", 784], "buffer": 0}],
      "outputs": [{"name": "result", "dtype": "f32", "shape": ["B", 10], "buffer": 7}],
      "params":  [{"name": "w1", "buffer": 1}, {"name": "b1", "buffer": 2}],
      "buffers": [
        {"id": 0, "kind": "input",  "bytes": "3136*B"},
        {"id": 1, "kind": "param",  "bytes": "802816"},
        {"id": 2, "kind": "param",  "bytes": "1024"},
        {"id": 4, "kind": "temp",   "bytes": "1024*B", "slot": 0},
        {"id": 5, "kind": "view",   "of": 4, "bytes": "1024*B"},
        {"id": 7, "kind": "output", "bytes": "40*B", "slot": 1}
      ],
      "slots": 2,
      "steps": [
        {"op": "launch", "kernel": "forward_k0",
         "grid": ["ceildiv(B, 32)", "2", "1"],
         "args": [{"buffer": 0}, {"buffer": 1}, {"buffer": 2}, {"buffer": 4},
                  {"dim": "B"}]},
        {"op": "copy", "src": 5, "dst": 7, "bytes": "40*B"}
      ]
    }
  ]
})json";

TEST(ManifestTest, DocumentedExampleParses) {
  Expected<Manifest> m = Manifest::parse(kDocExample);
  ASSERT_TRUE(m.ok()) << m.status().message();
  EXPECT_EQ(m->model, "FashionMLP");
  EXPECT_TRUE(m->isCuda());
  EXPECT_EQ(m->arch, "sm_90");
  ASSERT_EQ(m->params.size(), 2u);
  EXPECT_EQ(m->params[0].bytes, 802816u);
  EXPECT_EQ(m->params[0].init.kind, InitKind::KaimingUniform);
  EXPECT_EQ(m->params[0].init.fanIn, 784);
  EXPECT_EQ(m->kernels[0].smem, 16384);
  EXPECT_EQ(m->kernels[0].block[0], 128);
  const Entry &e = m->entries[0];
  EXPECT_EQ(e.name, "forward");
  ASSERT_EQ(e.buffers.size(), 6u);
  EXPECT_EQ(e.buffers[4].kind, BufferKind::View);
  EXPECT_EQ(e.buffers[4].viewOf, 3u); // id 4 is the fourth buffer
  EXPECT_EQ(e.inputs[0].typeString(), "f32[B, 784]");
  EXPECT_EQ(e.outputs[0].buffer, 5u);
  ASSERT_EQ(e.steps.size(), 2u);
  EXPECT_EQ(e.steps[0].args[2].buffer, 2u);
  EXPECT_FALSE(e.steps[0].args[4].isBuffer);
  EXPECT_EQ(e.steps[0].grid[0].text(), "ceildiv(B, 32)");
  EXPECT_EQ(e.steps[1].op, Step::Op::Copy);
  EXPECT_EQ(e.steps[1].src, 4u);
  EXPECT_EQ(e.usedDims, std::vector<size_t>{0});
  EXPECT_EQ(m->findDim("B"), 0);
  EXPECT_EQ(m->findDim("T"), -1);
}

TEST(ManifestTest, TestModelParses) {
  Expected<Manifest> m =
      Manifest::parse(addRowSumManifest(R"({"kind": "cpu"})", "k.so"));
  ASSERT_TRUE(m.ok()) << m.status().message();
  EXPECT_FALSE(m->isCuda());
  EXPECT_EQ(m->params[0].init.kind, InitKind::Uniform);
  EXPECT_EQ(m->params[0].init.args, (std::vector<double>{-1, 1}));
}

struct Malformed {
  const char *name;
  std::function<void(json &)> mutate;
  const char *message;
};

json &entry(json &j) { return j["entries"][0]; }
json &buffer(json &j, size_t i) { return entry(j)["buffers"][i]; }
json &step(json &j, size_t i) { return entry(j)["steps"][i]; }

const std::vector<Malformed> &malformedCases() {
  static const std::vector<Malformed> cases = {
      {"root not an object", [](json &j) { j = json::array(); },
       "the manifest: expected an object, given an array of 0 elements"},
      {"format missing", [](json &j) { j.erase("format"); },
       "missing required key 'format'"},
      {"format wrong", [](json &j) { j["format"] = "onnx"; },
       "format: expected \"tensorc-artifact\", given \"onnx\""},
      {"version as string", [](json &j) { j["version"] = "1"; },
       "version: expected an integer, given the string \"1\""},
      {"version 2", [](json &j) { j["version"] = 2; },
       "version: this runtime reads version 1, given 2"},
      {"compiler not a string", [](json &j) { j["compiler"] = 3; },
       "compiler: expected a string, given the number 3"},
      {"target kind", [](json &j) { j["target"]["kind"] = "tpu"; },
       "target.kind: expected \"cuda\" or \"cpu\", given \"tpu\""},
      {"target backend", [](json &j) { j["target"]["backend"] = "llvm"; },
       "target.backend: expected \"nvptx\" or \"nvrtc\""},
      {"target arch", [](json &j) { j["target"]["arch"] = "hopper"; },
       "target.arch: expected \"sm_NN\", given \"hopper\""},
      {"target missing", [](json &j) { j.erase("target"); },
       "missing required key 'target'"},
      {"module absolute", [](json &j) { j["module"] = "/etc/passwd"; },
       "module: expected a file name relative to the manifest"},
      {"index_bits 16", [](json &j) { j["index_bits"] = 16; },
       "index_bits: expected 32 or 64, given 16"},
      {"dims not array", [](json &j) { j["dims"] = "B"; },
       "dims: expected an array, given the string \"B\""},
      {"dim keyword", [](json &j) { j["dims"] = {"min"}; },
       "dims[0]: expected an identifier other than ceildiv, min and max"},
      {"dim duplicate", [](json &j) { j["dims"] = {"B", "B"}; },
       "dims[1]: duplicate dim 'B'"},
      {"param duplicate",
       [](json &j) { j["params"].push_back(j["params"][0]); },
       "params[2].name: duplicate param 'w1'"},
      {"param dtype", [](json &j) { j["params"][0]["dtype"] = "f8"; },
       "params[0] ('w1').dtype: unknown element type 'f8'"},
      {"param shape zero", [](json &j) { j["params"][0]["shape"][1] = 0; },
       "params[0] ('w1').shape[1]: expected a positive integer, given 0"},
      {"param shape float", [](json &j) { j["params"][0]["shape"][1] = 2.5; },
       "params[0] ('w1').shape[1]: expected an integer, given the number 2.5"},
      {"param shape overflow",
       [](json &j) { j["params"][0]["shape"] = {4611686018427387904LL, 4}; },
       "params[0] ('w1').shape: [4611686018427387904, 4] is too large"},
      {"init kind", [](json &j) { j["params"][0]["init"]["kind"] = "he"; },
       "params[0] ('w1').init.kind: unknown initializer \"he\""},
      {"init args count",
       [](json &j) {
         j["params"][0]["init"] = {{"kind", "normal"}, {"args", {1}}};
       },
       "init.args: normal takes 2 arguments, given 1"},
      {"init std negative",
       [](json &j) {
         j["params"][0]["init"] = {{"kind", "normal"}, {"args", {0, -1}}};
       },
       "init.args: normal needs std >= 0, given -1"},
      {"init lo >= hi",
       [](json &j) {
         j["params"][0]["init"] = {{"kind", "uniform"}, {"args", {1, 1}}};
       },
       "init.args: uniform needs lo < hi, given [1, 1]"},
      {"init full count",
       [](json &j) {
         j["params"][0]["init"] = {{"kind", "full"}, {"args", json::array()}};
       },
       "init.args: full takes 1 arguments, given 0"},
      {"init full integer param",
       [](json &j) {
         j["params"][0]["dtype"] = "i32";
         j["params"][0]["init"] = {{"kind", "full"}, {"args", {3}}};
       },
       "init.kind: full needs a floating-point param, given i32"},
      {"init args not numbers",
       [](json &j) {
         j["params"][0]["init"] = {{"kind", "normal"}, {"args", {"0", 1}}};
       },
       "init.args[0]: expected a number, given the string \"0\""},
      {"param name empty", [](json &j) { j["params"][0]["name"] = ""; },
       "params[0].name: expected a non-empty param name"},
      {"init fan missing",
       [](json &j) { j["params"][0]["init"].erase("fan_in"); },
       "params[0] ('w1').init: missing required key 'fan_in'"},
      {"init fan zero", [](json &j) { j["params"][0]["init"]["fan_out"] = 0; },
       "init.fan_out: expected a positive integer, given 0"},
      {"init random integer param",
       [](json &j) { j["params"][0]["dtype"] = "i32"; },
       "kaiming_uniform needs a floating-point param, given i32"},
      {"kernel block size",
       [](json &j) { j["kernels"][0]["block"] = {128, 1}; },
       "kernels[0] ('forward_k0').block: expected 3 sizes, given 2"},
      {"kernel block zero", [](json &j) { j["kernels"][0]["block"][2] = 0; },
       "kernels[0] ('forward_k0').block[2]: expected an integer in [1, "},
      {"kernel smem negative", [](json &j) { j["kernels"][0]["smem"] = -1; },
       "kernels[0] ('forward_k0').smem: expected an integer in [0, "},
      {"kernel arg kind", [](json &j) { j["kernels"][0]["args"][4] = "f32"; },
       "kernels[0] ('forward_k0').args[4]: expected \"ptr\" or \"i64\", "
       "given \"f32\""},
      {"no entries", [](json &j) { j["entries"] = json::array(); },
       "entries: expected at least one entry point"},
      {"entry name empty", [](json &j) { entry(j)["name"] = ""; },
       "entries[0].name: expected a non-empty name"},
      {"entry duplicate",
       [](json &j) { j["entries"].push_back(j["entries"][0]); },
       "entries[1].name: duplicate entry 'forward'"},
      {"buffer id duplicate", [](json &j) { buffer(j, 3)["id"] = 0; },
       "entries[0] ('forward').buffers[3].id: duplicate buffer id 0"},
      {"buffer kind", [](json &j) { buffer(j, 3)["kind"] = "scratch"; },
       "buffers[3] (id 4).kind: expected input, param, output, temp or view, "
       "given \"scratch\""},
      {"buffer bytes int", [](json &j) { buffer(j, 0)["bytes"] = 3136; },
       "buffers[0] (id 0).bytes: expected a size expression (a string), "
       "given the number 3136"},
      {"buffer bytes syntax", [](json &j) { buffer(j, 0)["bytes"] = "3136*"; },
       "buffers[0] (id 0).bytes: bad expression '3136*': expected a number"},
      {"buffer bytes unknown dim",
       [](json &j) { buffer(j, 0)["bytes"] = "3136*N"; },
       "bad expression '3136*N': unknown dim 'N' (the model's dims: B)"},
      {"temp without slot", [](json &j) { buffer(j, 3).erase("slot"); },
       "buffers[3] (id 4): missing required key 'slot'"},
      {"slot out of range", [](json &j) { buffer(j, 3)["slot"] = 2; },
       "buffers[3] (id 4).slot: expected a slot in [0, 2), given 2"},
      {"input with slot", [](json &j) { buffer(j, 0)["slot"] = 0; },
       "buffers[0] (id 0): input buffers have no slot (only temp and output "
       "buffers live in slots)"},
      {"too many slots", [](json &j) { entry(j)["slots"] = 100000; },
       "entries[0] ('forward').slots: 100000 slots for 6 buffers"},
      {"view without of", [](json &j) { buffer(j, 4).erase("of"); },
       "buffers[4] (id 5): missing required key 'of'"},
      {"view of unknown", [](json &j) { buffer(j, 4)["of"] = 99; },
       "buffers[4] (id 5).of: no buffer has id 99"},
      {"view cycle", [](json &j) { buffer(j, 4)["of"] = 5; },
       "buffer 5 is a view of itself (a cycle of views)"},
      {"of on a temp", [](json &j) { buffer(j, 3)["of"] = 0; },
       "buffers[3] (id 4): only a view has 'of', this is a temp buffer"},
      {"input unknown buffer",
       [](json &j) { entry(j)["inputs"][0]["buffer"] = 3; },
       "inputs[0] ('x').buffer: no buffer has id 3"},
      {"input on a temp buffer",
       [](json &j) { entry(j)["inputs"][0]["buffer"] = 4; },
       "inputs[0] ('x').buffer: expected an input buffer, given buffer 4 "
       "(temp)"},
      {"input shape zero",
       [](json &j) { entry(j)["inputs"][0]["shape"][1] = 0; },
       "inputs[0] ('x').shape[1]: expected a positive integer, given 0"},
      {"input shape bad expr",
       [](json &j) { entry(j)["inputs"][0]["shape"][0] = "B +"; },
       "inputs[0] ('x').shape[0]: bad expression 'B +'"},
      {"input dtype", [](json &j) { entry(j)["inputs"][0]["dtype"] = "int"; },
       "inputs[0] ('x').dtype: unknown element type 'int'"},
      {"input name empty", [](json &j) { entry(j)["inputs"][0]["name"] = ""; },
       "inputs[0].name: expected a non-empty name"},
      {"duplicate input",
       [](json &j) { entry(j)["inputs"].push_back(entry(j)["inputs"][0]); },
       "inputs[1].name: duplicate name 'x'"},
      {"input buffer unnamed",
       [](json &j) { entry(j)["inputs"] = json::array(); },
       "buffer 0 (input) must be named by exactly one of the entry's inputs, "
       "but none names it"},
      {"output named twice",
       [](json &j) {
         json o = entry(j)["outputs"][0];
         o["name"] = "again";
         entry(j)["outputs"].push_back(o);
       },
       "buffer 7 (output) must be named by exactly one of the entry's "
       "outputs, but 2 name it"},
      {"entry param unknown",
       [](json &j) { entry(j)["params"][0]["name"] = "w9"; },
       "params[0].name: no param is named 'w9'"},
      {"entry param twice",
       [](json &j) { entry(j)["params"][1]["name"] = "w1"; },
       "params[1].name: param 'w1' is listed twice"},
      {"entry param size", [](json &j) { buffer(j, 1)["bytes"] = "802812"; },
       "param 'w1' (f32[784, 256]) has 802816 bytes, but buffer 1 has "
       "'802812'"},
      {"entry param symbolic size",
       [](json &j) { buffer(j, 1)["bytes"] = "802816*B"; },
       "but buffer 1 has '802816*B'"},
      {"entry param on input buffer",
       [](json &j) { entry(j)["params"][0]["buffer"] = 0; },
       "params[0].buffer: expected a param buffer, given buffer 0 (input)"},
      {"step op", [](json &j) { step(j, 0)["op"] = "call"; },
       "steps[0].op: expected \"launch\" or \"copy\", given \"call\""},
      {"launch unknown kernel", [](json &j) { step(j, 0)["kernel"] = "k9"; },
       "steps[0].kernel: no kernel is named 'k9'"},
      {"launch grid size", [](json &j) { step(j, 0)["grid"] = {"1", "1"}; },
       "steps[0] (launch of 'forward_k0').grid: expected 3 expressions, "
       "given 2"},
      {"launch grid int", [](json &j) { step(j, 0)["grid"][1] = 2; },
       "grid[1]: expected a size expression (a string), given the number 2"},
      {"launch arg count", [](json &j) { step(j, 0)["args"].erase(4); },
       "args: kernel 'forward_k0' takes 5 arguments, given 4"},
      {"launch arg kind",
       [](json &j) { step(j, 0)["args"][4] = {{"buffer", 0}}; },
       "args[4]: parameter 4 of kernel 'forward_k0' is an i64, given a "
       "buffer"},
      {"launch arg ptr given dim",
       [](json &j) { step(j, 0)["args"][0] = {{"dim", "B"}}; },
       "args[0]: parameter 0 of kernel 'forward_k0' is a pointer, given a dim"},
      {"launch arg both", [](json &j) { step(j, 0)["args"][0]["dim"] = "B"; },
       "args[0]: expected exactly one of 'buffer' and 'dim'"},
      {"launch arg unknown buffer",
       [](json &j) { step(j, 0)["args"][3]["buffer"] = 6; },
       "args[3].buffer: no buffer has id 6"},
      {"launch arg bad dim",
       [](json &j) { step(j, 0)["args"][4]["dim"] = "ceildiv(B)"; },
       "args[4].dim: bad expression 'ceildiv(B)'"},
      {"copy onto itself", [](json &j) { step(j, 1)["dst"] = 5; },
       "steps[1]: copies buffer 5 (view) onto itself"},
      {"copy unknown src", [](json &j) { step(j, 1)["src"] = -1; },
       "steps[1].src: expected a non-negative integer, given -1"},
      {"copy bytes missing", [](json &j) { step(j, 1).erase("bytes"); },
       "steps[1]: missing required key 'bytes'"},
      {"train precision",
       [](json &j) {
         j["train"] = {{"fn", "loss"},
                       {"optimizer", "sgd"},
                       {"lr", 0.1},
                       {"precision", "fp8"}};
       },
       "train.precision: expected \"f32\", \"bf16\" or \"f16\", given "
       "\"fp8\""},
  };
  return cases;
}

TEST(ManifestTest, TrainPrecisionDefaultsToF32) {
  json j = json::parse(kDocExample);
  j["train"] = {{"fn", "loss"}, {"optimizer", "sgd"}, {"lr", 0.1}};
  Expected<Manifest> m = Manifest::parse(j.dump(), "m.json");
  ASSERT_TRUE(m.ok()) << m.status().message();
  ASSERT_TRUE(m->train.has_value());
  EXPECT_EQ(m->train->precision, "f32");
  j["train"]["precision"] = "f16";
  m = Manifest::parse(j.dump(), "m.json");
  ASSERT_TRUE(m.ok()) << m.status().message();
  EXPECT_EQ(m->train->precision, "f16");
}

TEST(ManifestTest, MalformedManifestsSayWhatIsWrong) {
  json valid = json::parse(kDocExample);
  for (const Malformed &c : malformedCases()) {
    json j = valid;
    c.mutate(j);
    Expected<Manifest> m = Manifest::parse(j.dump(), "manifest 'm.json'");
    ASSERT_FALSE(m.ok()) << c.name;
    const std::string &msg = m.status().message();
    if (std::getenv("TENSORC_TEST_VERBOSE"))
      std::printf("%-28s %s\n", c.name, msg.c_str());
    EXPECT_EQ(msg.rfind("manifest 'm.json': ", 0), 0u) << c.name << ": " << msg;
    EXPECT_NE(msg.find(c.message), std::string::npos)
        << c.name << "\n  expected: " << c.message << "\n  given:    " << msg;
  }
}

TEST(ManifestTest, UnknownKeysAreIgnored) {
  json j = json::parse(kDocExample);
  j["future"] = {1, 2};
  buffer(j, 0)["note"] = "hi";
  Expected<Manifest> m = Manifest::parse(j.dump());
  EXPECT_TRUE(m.ok()) << m.status().message();
}

TEST(ManifestTest, CpuTargetNeedsNoBackendOrArch) {
  json j = json::parse(kDocExample);
  j["target"] = {{"kind", "cpu"}};
  Expected<Manifest> m = Manifest::parse(j.dump());
  ASSERT_TRUE(m.ok()) << m.status().message();
  EXPECT_TRUE(m->arch.empty());
}

TEST(ManifestTest, InvalidJsonSaysWhere) {
  Expected<Manifest> m = Manifest::parse("{\n  \"format\": \"x\",,\n}", "m");
  ASSERT_FALSE(m.ok());
  EXPECT_NE(m.status().message().find("m: not valid JSON"), std::string::npos)
      << m.status().message();
  EXPECT_NE(m.status().message().find("line 2"), std::string::npos)
      << m.status().message();
  EXPECT_FALSE(Manifest::parse("").ok());
  EXPECT_FALSE(Manifest::parse("\xff\xfe").ok());
  EXPECT_FALSE(Manifest::parse("{\"format\": \"\xc3\x28\"}").ok());
  // Deep nesting: nothing may recurse on the JSON (no stack overflow).
  std::string deep(100000, '[');
  EXPECT_FALSE(Manifest::parse(deep).ok());
  EXPECT_EQ(errorOf(Manifest::parse(deep + std::string(100000, ']'))),
            "manifest: the manifest: expected an object, given an array of 1 "
            "elements");
  std::string text = kDocExample;
  text.replace(text.find("[\"B\"]"), 5, deep + std::string(100000, ']'));
  EXPECT_EQ(errorOf(Manifest::parse(text)),
            "manifest: dims[0]: expected a string, given an array of 1 "
            "elements");
}

// Random byte edits of a valid manifest: every result is a clean error or a
// valid manifest, never a crash (the runtime has no exceptions to catch).
TEST(ManifestTest, RandomCorruptionNeverCrashes) {
  TC_TRACE_SEED();
  std::mt19937_64 rng(testSeed());
  std::string valid = json::parse(kDocExample).dump();
  const char alphabet[] = "{}[],:\"0123456789-.eE Btruefalsnl\\";
  int errors = 0;
  for (int i = 0; i < 3000; ++i) {
    std::string s = valid;
    int edits = 1 + static_cast<int>(rng() % 4);
    for (int k = 0; k < edits; ++k) {
      size_t at = rng() % s.size();
      switch (rng() % 3) {
      case 0:
        s[at] = alphabet[rng() % (sizeof(alphabet) - 1)];
        break;
      case 1:
        s.erase(at, 1 + rng() % 8);
        break;
      default:
        s.insert(at, 1, alphabet[rng() % (sizeof(alphabet) - 1)]);
      }
      if (s.empty())
        s = "x";
    }
    Expected<Manifest> m = Manifest::parse(s);
    if (!m) {
      ++errors;
      EXPECT_FALSE(m.status().message().empty());
    }
  }
  EXPECT_GT(errors, 2000);
}

} // namespace
