//===- FaultChecks.cpp - Fault injection through the fake driver ----------===//
//
// For each kind of driver call the runtime makes (context, allocation,
// module load, copies, launches, graph launches) and for every n, the n-th
// such call of a session's life fails: while it is created, runs `forward`
// for two batch sizes, reads and writes a param. Each failure must come back
// as an error naming the call (and the entry or kernel, where there is one),
// with nothing leaked once the session is gone (device memory, pinned
// buffers, graphs: the fake counts them; host memory: LeakSanitizer, in the
// sanitizer build). After the failure the session is either still usable,
// computing exact results, or, after an error that poisons a CUDA context,
// refuses every run with a message saying so. On a real driver the checks
// are skipped.
//
//===----------------------------------------------------------------------===//

#include "GpuTestUtil.h"

#include <dlfcn.h>

namespace tensorc::testing {

namespace {

struct FaultHooks {
  void (*failNth)(const char *, int, int) = nullptr;
  int (*calls)(const char *) = nullptr;
  int (*live)(const char *) = nullptr;
};

bool findFaultHooks(FaultHooks &hooks) {
  void *lib = ::dlopen("libcuda.so.1", RTLD_NOW | RTLD_NOLOAD);
  if (!lib)
    return false;
  hooks.failNth = reinterpret_cast<decltype(hooks.failNth)>(
      ::dlsym(lib, "fakeCudaFailNth"));
  hooks.calls =
      reinterpret_cast<decltype(hooks.calls)>(::dlsym(lib, "fakeCudaCalls"));
  hooks.live =
      reinterpret_cast<decltype(hooks.live)>(::dlsym(lib, "fakeCudaLive"));
  return hooks.failNth && hooks.calls && hooks.live;
}

constexpr int kOutOfMemory = 2, kInvalidValue = 1, kNotFound = 500,
              kInvalidPtx = 218, kOutOfResources = 701, kLaunchFailed = 719;

struct Fault {
  const char *symbol; // the driver's exported entry point
  const char *name;   // how the runtime's messages name it
  int result;
  bool sticky; // poisons the context: the session must refuse later runs
};

const Fault kFaults[] = {
    {"cuDevicePrimaryCtxRetain", "cuDevicePrimaryCtxRetain", kOutOfMemory,
     false},
    {"cuStreamCreate", "cuStreamCreate", kOutOfMemory, false},
    {"cuMemAlloc_v2", "cuMemAlloc", kOutOfMemory, false},
    {"cuModuleLoadDataEx", "cuModuleLoadDataEx", kInvalidPtx, false},
    {"cuModuleGetFunction", "cuModuleGetFunction", kNotFound, false},
    {"cuMemcpyHtoDAsync_v2", "cuMemcpyHtoDAsync", kInvalidValue, false},
    {"cuMemcpyDtoHAsync_v2", "cuMemcpyDtoHAsync", kInvalidValue, false},
    {"cuMemcpyDtoDAsync_v2", "cuMemcpyDtoDAsync", kInvalidValue, false},
    {"cuLaunchKernel", "cuLaunchKernel", kOutOfResources, false},
    {"cuLaunchKernel", "cuLaunchKernel", kLaunchFailed, true},
    {"cuGraphLaunch", "cuGraphLaunch", kOutOfResources, false},
    {"cuGraphLaunch", "cuGraphLaunch", kLaunchFailed, true},
    {"cuStreamSynchronize", "cuStreamSynchronize", kLaunchFailed, true},
};

struct Live {
  int allocations, pinned, graphs, execs;
  bool operator==(const Live &o) const {
    return allocations == o.allocations && pinned == o.pinned &&
           graphs == o.graphs && execs == o.execs;
  }
};

Live liveNow(const FaultHooks &hooks) {
  return {hooks.live("allocations"), hooks.live("pinned"), hooks.live("graphs"),
          hooks.live("execs")};
}

std::string describe(const Live &l) {
  return detail::concat(l.allocations, " allocations, ", l.pinned, " pinned, ",
                        l.graphs, " graphs, ", l.execs, " execs");
}

/// What a session's life did: the first error, if any, and where.
struct Outcome {
  bool failed = false;
  std::string step, message;
};

/// Runs `forward` and compares with the reference; the error, if any.
std::string forwardError(Session &s, int64_t batch, const std::vector<float> &w,
                         std::mt19937_64 &rng) {
  std::vector<float> x = randomFloats(batch * kCols, rng);
  std::vector<float> y = randomFloats(batch * kCols, rng);
  Expected<TensorMap> out =
      s.run("forward", {{"x", floats({batch, kCols}, x)},
                        {"y", floats({batch, kCols}, y)}});
  if (!out)
    return out.status().message();
  std::vector<float> wantT, wantSum;
  addRowSumReference(x, y, w, batch, wantT, wantSum);
  if (values(out->at("sum")) != wantSum || values(out->at("t")) != wantT)
    return "<wrong results>";
  return "";
}

/// One session's life with the `n`-th call of `fault` failing; checks the
/// error, the session after it and that nothing leaked. Returns false when
/// the n-th call never came (the sweep is over).
bool lifeWithFault(const std::shared_ptr<const Artifact> &artifact,
                   const FaultHooks &hooks, const Fault &fault, int n,
                   bool graphs, uint64_t seed, std::mt19937_64 &rng) {
  const Live before = liveNow(hooks);
  std::string what = detail::concat(
      fault.symbol, " (error ", fault.result, ") failing at call ", n,
      graphs ? " with graphs" : " without graphs");
  hooks.failNth(fault.symbol, n, fault.result);
  Outcome outcome;
  int calls = -1; // of fault.symbol, counted until the fault is disarmed
  auto disarm = [&] {
    if (calls < 0)
      calls = hooks.calls(fault.symbol);
    hooks.failNth(fault.symbol, 0, 0);
  };
  auto fail = [&](const char *step, const std::string &message) {
    if (!outcome.failed && !message.empty())
      outcome = {true, step, message};
  };
  {
    SessionOptions options;
    options.seed = seed;
    options.cudaGraphs = graphs;
    Expected<std::unique_ptr<Session>> created =
        Session::create(artifact, options);
    if (!created) {
      fail("Session::create", created.status().message());
    } else {
      Session &s = **created;
      std::vector<float> w;
      Expected<HostTensor> w0 = s.getParam("w");
      if (w0)
        w = values(*w0);
      fail("getParam", w0.ok() ? "" : w0.status().message());
      if (!outcome.failed) {
        fail("run B = 5", forwardError(s, 5, w, rng));
        fail("run B = 3", forwardError(s, 3, w, rng));
        std::vector<float> w2 = randomFloats(kCols, rng);
        Status set = s.setParam("w", floats({kCols}, w2));
        fail("setParam", set.message());
        if (set.ok())
          w = w2;
        fail("run B = 5 again", forwardError(s, 5, w, rng));
      }
      // After the failure, with no fault left to inject: the session goes
      // on, exactly, or it refuses because its context is gone.
      disarm();
      if (outcome.failed && outcome.step != std::string("getParam")) {
        Expected<HostTensor> current = s.getParam("w");
        std::string after = current ? forwardError(s, 4, values(*current), rng)
                                    : current.status().message();
        if (fault.sticky)
          CHECK(contains(after, "the CUDA device is unusable after an earlier "
                                "error"),
                what, ": after a sticky error, a run gave: ",
                after.empty() ? "success" : after);
        else
          CHECK(after.empty(), what, ": the session is not usable after ",
                outcome.step, " failed: ", after);
      }
    }
  } // the session is destroyed here
  disarm();
  bool reached = calls >= n;
  CHECK(!reached || outcome.failed, what,
        ": the call failed, but every step succeeded");
  if (outcome.failed) {
    CHECK(contains(outcome.message, fault.name), what, ": ", outcome.step,
          " failed without naming ", fault.name, ": ", outcome.message);
    if (std::string(fault.name) == "cuLaunchKernel")
      CHECK(contains(outcome.message, "entry 'forward'") &&
                (contains(outcome.message, "'add3'") ||
                 contains(outcome.message, "'rowsum'")),
            what, ": the error does not name the entry and kernel: ",
            outcome.message);
    if (std::string(fault.name) == "cuGraphLaunch")
      CHECK(contains(outcome.message, "entry 'forward'"), what,
            ": the error does not name the entry: ", outcome.message);
    if (std::string(fault.name) == "cuModuleGetFunction")
      CHECK(contains(outcome.message, "kernel '"), what,
            ": the error does not name the kernel: ", outcome.message);
  }
  if (outcome.failed && std::getenv("TENSORC_TEST_VERBOSE"))
    std::printf("     %s: %s: %s\n", what.c_str(), outcome.step.c_str(),
                outcome.message.c_str());
  Live after = liveNow(hooks);
  CHECK(after == before, what, ": leaked: before ", describe(before),
        ", after ", describe(after));
  return reached;
}

} // namespace

void checkFaultsWithFakeDriver(const std::shared_ptr<const Artifact> &artifact,
                               uint64_t seed, std::mt19937_64 &rng) {
  FaultHooks hooks;
  if (!findFaultHooks(hooks)) {
    std::printf("skip fault injection: not the fake driver\n");
    return;
  }
  int lives = 0;
  for (const Fault &fault : kFaults) {
    for (bool graphs : {true, false}) {
      int n = 1;
      while (n <= 64 &&
             lifeWithFault(artifact, hooks, fault, n, graphs, seed, rng)) {
        ++lives;
        ++n;
      }
      CHECK(n > 1 || (!graphs && std::string(fault.symbol) == "cuGraphLaunch"),
            fault.symbol, graphs ? " with" : " without",
            " graphs: never called, so never failed");
    }
  }
  std::printf("ok   fault injection: %d failed calls, each a clean error, "
              "nothing leaked\n",
              lives);
}

} // namespace tensorc::testing
