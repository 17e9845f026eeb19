//===- MemoryPlanTest.cpp - Slots, alignment and views
//---------------------===//

#include "runtime/MemoryPlan.h"
#include "TestUtil.h"
#include "runtime/Schedule.h"

using namespace tensorc;
using namespace tensorc::testing;

namespace {

// Buffers by index: 0 x (input), 1 w (param), 2 and 3 temps sharing slot 0,
// 4 a temp in slot 1, 5 a view of 2, 6 a view of 5, 7 y (output, own
// region), 8 z (output in slot 1), 9 a view of the param.
std::string planManifest(const std::string &viewBytes = "4*B*T",
                         const std::string &yShape = "[\"B\"]") {
  return R"json({
  "format": "tensorc-artifact", "version": 1,
  "target": {"kind": "cpu"}, "module": "m.so", "index_bits": 64,
  "dims": ["B", "T"],
  "params": [{"name": "w", "dtype": "f32", "shape": [3],
              "init": {"kind": "zeros", "args": []}}],
  "kernels": [{"name": "k", "block": [1, 1, 1], "smem": 0,
               "args": ["ptr", "ptr", "i64"]}],
  "entries": [{
    "name": "main",
    "inputs": [{"name": "x", "dtype": "f32", "shape": ["B", "T"], "buffer": 0}],
    "outputs": [{"name": "y", "dtype": "f32", "shape": )json" +
         yShape + R"json(, "buffer": 7},
                {"name": "z", "dtype": "f32", "shape": ["B"], "buffer": 8}],
    "params": [{"name": "w", "buffer": 1}],
    "buffers": [
      {"id": 0, "kind": "input", "bytes": "4*B*T"},
      {"id": 1, "kind": "param", "bytes": "12"},
      {"id": 2, "kind": "temp", "bytes": "4*B*T", "slot": 0},
      {"id": 3, "kind": "temp", "bytes": "8*B", "slot": 0},
      {"id": 4, "kind": "temp", "bytes": "100", "slot": 1},
      {"id": 5, "kind": "view", "of": 2, "bytes": ")json" +
         viewBytes + R"json("},
      {"id": 6, "kind": "view", "of": 5, "bytes": "4*B*T"},
      {"id": 7, "kind": "output", "bytes": "4*B"},
      {"id": 8, "kind": "output", "bytes": "4*B", "slot": 1},
      {"id": 9, "kind": "view", "of": 1, "bytes": "12"}
    ],
    "slots": 2,
    "steps": [
      {"op": "launch", "kernel": "k", "grid": ["ceildiv(B, 4)", "T", "1"],
       "args": [{"buffer": 6}, {"buffer": 8}, {"dim": "B*T"}]},
      {"op": "copy", "src": 4, "dst": 7, "bytes": "4*B"}
    ]
  }]
})json";
}

Expected<MemoryPlan> plan(const Manifest &m, int64_t b, int64_t t) {
  return planMemory(m.entries[0], DimValues{b, t});
}

TEST(MemoryPlanTest, SlotsShareMemoryAndRegionsAreAligned) {
  TC_ASSERT_OK_AND_ASSIGN(Manifest m, Manifest::parse(planManifest()));
  TC_ASSERT_OK_AND_ASSIGN(MemoryPlan p, plan(m, 5, 3));
  EXPECT_EQ(p.bufferBytes,
            (std::vector<uint64_t>{60, 12, 60, 40, 100, 60, 60, 20, 20, 12}));
  EXPECT_EQ(p.slotBytes, (std::vector<uint64_t>{60, 100}));
  EXPECT_EQ(p.slotOffset, (std::vector<uint64_t>{0, 256}));
  // Buffers of one slot share its offset; views share their base's.
  for (size_t i : {2, 3, 5, 6})
    EXPECT_EQ(p.location[i].offset, 0u) << "buffer " << i;
  EXPECT_EQ(p.location[4].offset, 256u);
  EXPECT_EQ(p.location[8].offset, 256u);
  // The input and the slotless output get their own regions after the slots.
  EXPECT_EQ(p.location[0].offset, 512u);
  EXPECT_EQ(p.location[7].offset, 768u);
  EXPECT_EQ(p.arenaBytes, 788u);
  for (size_t i : {1, 9}) {
    EXPECT_TRUE(p.location[i].inParam) << "buffer " << i;
    EXPECT_EQ(p.location[i].param, 0u);
  }
  for (const BufferLocation &loc : p.location)
    EXPECT_EQ(loc.offset % kArenaAlignment, 0u);
}

TEST(MemoryPlanTest, SlotSizeIsTheLargestBufferForTheseDims) {
  TC_ASSERT_OK_AND_ASSIGN(Manifest m, Manifest::parse(planManifest()));
  // With T = 1 the 8*B temp is the larger one of slot 0.
  TC_ASSERT_OK_AND_ASSIGN(MemoryPlan p, plan(m, 1000, 1));
  EXPECT_EQ(p.slotBytes[0], 8000u);
  EXPECT_EQ(p.slotOffset[1], 8192u);
  TC_ASSERT_OK_AND_ASSIGN(MemoryPlan q, plan(m, 1000, 5));
  EXPECT_EQ(q.slotBytes[0], 20000u);
  // Region ends never overlap the next region.
  EXPECT_LE(q.slotOffset[0] + q.slotBytes[0], q.slotOffset[1]);
  EXPECT_LE(q.slotOffset[1] + q.slotBytes[1], q.location[0].offset);
  EXPECT_LE(q.location[0].offset + q.bufferBytes[0], q.location[7].offset);
  EXPECT_EQ(q.arenaBytes, q.location[7].offset + q.bufferBytes[7]);
}

TEST(MemoryPlanTest, ViewLargerThanItsBaseIsAnError) {
  TC_ASSERT_OK_AND_ASSIGN(Manifest m,
                          Manifest::parse(planManifest("4*B*T + 4")));
  std::string msg = errorOf(plan(m, 5, 3));
  EXPECT_NE(msg.find("entry 'main': view 5 has 64 bytes ('4*B*T + 4'), more "
                     "than the 60 of buffer 2 that it views"),
            std::string::npos)
      << msg;
}

TEST(MemoryPlanTest, OutputBufferMustMatchItsShape) {
  TC_ASSERT_OK_AND_ASSIGN(Manifest m,
                          Manifest::parse(planManifest("4*B*T", "[\"B\", 2]")));
  std::string msg = errorOf(plan(m, 5, 3));
  EXPECT_NE(msg.find("'y' is f32[5, 2] (40 bytes), but its buffer 7 has 20 "
                     "bytes ('4*B')"),
            std::string::npos)
      << msg;
}

TEST(MemoryPlanTest, NegativeSizeIsAnError) {
  TC_ASSERT_OK_AND_ASSIGN(Manifest m,
                          Manifest::parse(planManifest("4*B*T - 100")));
  std::string msg = errorOf(plan(m, 5, 3));
  EXPECT_NE(msg.find("buffer 5 has a negative size: '4*B*T - 100' = -40"),
            std::string::npos)
      << msg;
}

TEST(MemoryPlanTest, ShapeMustBePositive) {
  TC_ASSERT_OK_AND_ASSIGN(
      Manifest m, Manifest::parse(planManifest("4*B*T", "[\"B - 5\"]")));
  std::string msg = errorOf(plan(m, 5, 3));
  EXPECT_NE(msg.find("shape of 'y': 'B - 5' = 0 is not a positive size"),
            std::string::npos)
      << msg;
}

TEST(MemoryPlanTest, ArenaLargerThan64BitsIsAnError) {
  // Each buffer fits in 64 bits; together they do not.
  TC_ASSERT_OK_AND_ASSIGN(Manifest m, Manifest::parse(planManifest()));
  std::string msg = errorOf(plan(m, int64_t(1) << 31, (int64_t(1) << 30) - 1));
  EXPECT_NE(msg.find("the arena size overflows 64 bits"), std::string::npos)
      << msg;
}

TEST(MemoryPlanTest, StepsAreEvaluatedAndChecked) {
  TC_ASSERT_OK_AND_ASSIGN(Manifest m, Manifest::parse(planManifest()));
  TC_ASSERT_OK_AND_ASSIGN(MemoryPlan p, plan(m, 5, 3));
  TC_ASSERT_OK_AND_ASSIGN(std::vector<PreparedStep> steps,
                          prepareSteps(m, m.entries[0], {5, 3}, p));
  ASSERT_EQ(steps.size(), 2u);
  EXPECT_EQ(steps[0].grid, (std::array<int64_t, 3>{2, 3, 1}));
  EXPECT_EQ(steps[0].args[0].buffer, 6u);
  EXPECT_EQ(steps[0].args[2].value, 15);
  EXPECT_EQ(steps[1].bytes, 20u);
  // Copying more than the destination holds is caught before any launch.
  Manifest bad = m;
  bad.entries[0].steps[1].bytes = *Expr::parse("4*B + 4", bad.dims);
  std::string msg = errorOf(prepareSteps(bad, bad.entries[0], {5, 3}, p));
  EXPECT_NE(msg.find("entry 'main' step 1 (copy of buffer 4 to buffer 7): "
                     "copies '4*B + 4' = 24 bytes; the buffers hold 100 and "
                     "20"),
            std::string::npos)
      << msg;
  // A grid of zero blocks is an error, not a silent no-op.
  bad = m;
  bad.entries[0].steps[0].grid[1] = *Expr::parse("T - 3", bad.dims);
  msg = errorOf(prepareSteps(bad, bad.entries[0], {5, 3}, p));
  EXPECT_NE(msg.find("step 0 (launch of 'k'): grid[1] 'T - 3' = 0 is not a "
                     "positive block count"),
            std::string::npos)
      << msg;
  // Grid sizes that each fit but whose product does not.
  bad = m;
  for (int j = 0; j < 3; ++j)
    bad.entries[0].steps[0].grid[j] = *Expr::parse("B*T*B", bad.dims);
  EXPECT_TRUE(prepareSteps(bad, bad.entries[0], {5, 3}, p).ok())
      << "small dims give a valid grid";
  msg = errorOf(prepareSteps(bad, bad.entries[0], {1 << 20, 1 << 20}, p));
  EXPECT_NE(msg.find("step 0 (launch of 'k'): the grid's block count "
                     "overflows"),
            std::string::npos)
      << msg;
  // 32-bit index arguments must fit.
  bad = m;
  bad.indexBits = 32;
  msg = errorOf(prepareSteps(bad, bad.entries[0], {100000, 100000}, p));
  EXPECT_NE(msg.find("argument 2 'B*T' = 10000000000 does not fit the 32-bit "
                     "index type"),
            std::string::npos)
      << msg;
}

} // namespace
