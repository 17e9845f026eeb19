//===- GraphChecks.cpp - Graphs and staging, through the fake driver ------===//
//
// The fake libcuda.so.1 logs every call; these checks read the log to see
// what the runtime asked of the driver: a capture on the first run with new
// dims and a replay after, a new capture for other dims, direct launches
// with graphs off, copies through pinned memory, every graph call that
// fails leaving the session usable, and invalid inputs calling nothing. On
// a real driver (no log) they are skipped: the numerical checks of
// GpuTest.cpp cover graphs there.
//
//===----------------------------------------------------------------------===//

#include "GpuTestUtil.h"

#include <dlfcn.h>
#include <sstream>

namespace tensorc::testing {

namespace {

struct FakeDriver {
  const char *(*takeLog)() = nullptr;
  void (*failNext)(const char *, int) = nullptr;
  int (*live)(const char *) = nullptr;
};

/// The fake's hooks, where the driver the runtime loaded is the fake.
bool findFakeDriver(FakeDriver &fake) {
  void *lib = ::dlopen("libcuda.so.1", RTLD_NOW | RTLD_NOLOAD);
  if (!lib)
    return false;
  fake.takeLog =
      reinterpret_cast<decltype(fake.takeLog)>(::dlsym(lib, "fakeCudaTakeLog"));
  fake.failNext = reinterpret_cast<decltype(fake.failNext)>(
      ::dlsym(lib, "fakeCudaFailNext"));
  fake.live =
      reinterpret_cast<decltype(fake.live)>(::dlsym(lib, "fakeCudaLive"));
  return fake.takeLog && fake.failNext && fake.live;
}

using Log = std::vector<std::string>;

Log takeLog(const FakeDriver &fake) {
  Log lines;
  std::istringstream in(fake.takeLog());
  for (std::string line; std::getline(in, line);)
    lines.push_back(line);
  return lines;
}

std::string text(const Log &log) {
  std::string out;
  for (const std::string &l : log)
    out += "\n       " + l;
  return out;
}

bool startsWith(const std::string &s, const std::string &prefix) {
  return s.compare(0, prefix.size(), prefix) == 0;
}

size_t count(const Log &log, const std::string &prefix) {
  size_t n = 0;
  for (const std::string &l : log)
    n += startsWith(l, prefix);
  return n;
}

/// True when lines starting with each of `prefixes` appear in this order
/// (other lines may come between them).
bool inOrder(const Log &log, const std::vector<std::string> &prefixes) {
  size_t at = 0;
  for (const std::string &p : prefixes) {
    while (at < log.size() && !startsWith(log[at], p))
      ++at;
    if (at == log.size())
      return false;
    ++at;
  }
  return true;
}

std::unique_ptr<Session> newSession(const std::shared_ptr<const Artifact> &a,
                                    SessionOptions options) {
  Expected<std::unique_ptr<Session>> s = Session::create(a, options);
  CHECK(s.ok(), errorOf(s));
  return s ? std::move(*s) : nullptr;
}

Expected<TensorMap> runForward(Session &s, int64_t batch,
                               std::mt19937_64 &rng) {
  return s.run(
      "forward",
      {{"x", floats({batch, kCols}, randomFloats(batch * kCols, rng))},
       {"y", floats({batch, kCols}, randomFloats(batch * kCols, rng))}});
}

void checkCaptureAndReplay(const std::shared_ptr<const Artifact> &artifact,
                           const FakeDriver &fake, uint64_t seed,
                           std::mt19937_64 &rng) {
  SessionOptions options;
  options.seed = seed;
  std::unique_ptr<Session> s = newSession(artifact, options);
  if (!s)
    return;
  std::vector<float> w = values(*s->getParam("w"));
  takeLog(fake);

  // First run for B = 9: inputs through pinned memory, one capture of the
  // three steps, one graph launch, outputs back through pinned memory.
  checkForward(*s, 9, w, rng);
  Log log = takeLog(fake);
  CHECK(inOrder(log, {"htod pinned 576", "htod pinned 576", "begin capture",
                      "capture launch add3", "capture launch rowsum",
                      "capture dtod 576", "end capture: 3 nodes", "instantiate",
                      "destroy graph", "graph launch", "sync", "dtoh pinned",
                      "sync", "dtoh pinned", "sync"}),
        "first run:", text(log));
  CHECK(count(log, "launch ") == 0 && count(log, "htod pageable") == 0 &&
            count(log, "dtoh pageable") == 0,
        "direct launches or pageable copies:", text(log));
  CHECK(fake.live("execs") == 1 && fake.live("graphs") == 0, fake.live("execs"),
        " executable graphs, ", fake.live("graphs"), " graphs");

  // The same dims again: a replay, no capture.
  checkForward(*s, 9, w, rng);
  log = takeLog(fake);
  CHECK(count(log, "begin capture") == 0 && count(log, "graph launch") == 1 &&
            count(log, "launch ") == 0,
        "second run for B = 9:", text(log));

  // Other dims (a smaller arena: nothing moves): a second graph; then both
  // replay.
  checkForward(*s, 4, w, rng);
  log = takeLog(fake);
  CHECK(count(log, "begin capture") == 1 && fake.live("execs") == 2,
        "B = 4:", text(log));
  checkForward(*s, 9, w, rng);
  checkForward(*s, 4, w, rng);
  log = takeLog(fake);
  CHECK(count(log, "begin capture") == 0 && count(log, "graph launch") == 2,
        "B = 9, 4 again:", text(log));

  // A larger arena moves every buffer: the old graphs go.
  checkForward(*s, 50, w, rng);
  log = takeLog(fake);
  CHECK(count(log, "destroy exec") == 2 && count(log, "begin capture") == 1 &&
            fake.live("execs") == 1,
        "B = 50:", text(log));
  checkForward(*s, 4, w, rng);
  CHECK(count(takeLog(fake), "begin capture") == 1, "B = 4 after B = 50");

  // A graph reads the params' memory when it runs: new values show.
  w = randomFloats(kCols, rng);
  CHECK(s->setParam("w", floats({kCols}, w)).ok(), "setParam");
  takeLog(fake);
  checkForward(*s, 4, w, rng);
  CHECK(count(takeLog(fake), "begin capture") == 0, "setParam recaptured");

  // Staging larger than the first pinned buffer (1 MiB): it grows, and the
  // second input waits for the first one's copy before reusing it.
  checkForward(*s, 20000, w, rng);
  log = takeLog(fake);
  CHECK(inOrder(log, {"htod pinned 1280000", "sync", "htod pinned 1280000",
                      "begin capture"}) &&
            count(log, "hostalloc") >= 1,
        "B = 20000:", text(log));
  std::printf("ok   graphs: captured once per dims, replayed, dropped when "
              "the arena moves\n");
}

void checkDirectLaunches(const std::shared_ptr<const Artifact> &artifact,
                         const FakeDriver &fake, uint64_t seed,
                         std::mt19937_64 &rng) {
  for (bool syncEachLaunch : {false, true}) {
    SessionOptions options;
    options.seed = seed;
    options.cudaGraphs = syncEachLaunch; // syncEachLaunch overrides graphs
    options.syncEachLaunch = syncEachLaunch;
    std::unique_ptr<Session> s = newSession(artifact, options);
    if (!s)
      return;
    std::vector<float> w = values(*s->getParam("w"));
    takeLog(fake);
    for (int64_t batch : {5, 5, 12}) {
      checkForward(*s, batch, w, rng);
      Log log = takeLog(fake);
      std::vector<std::string> order =
          syncEachLaunch
              ? std::vector<std::string>{"launch add3", "sync", "launch rowsum",
                                         "sync", "dtod"}
              : std::vector<std::string>{"htod pinned", "launch add3",
                                         "launch rowsum", "dtod", "sync"};
      CHECK(count(log, "begin capture") == 0 &&
                count(log, "graph launch") == 0 && inOrder(log, order),
            syncEachLaunch ? "syncEachLaunch" : "cudaGraphs = false",
            ", B = ", batch, ":", text(log));
    }
  }
  std::printf("ok   graphs off and syncEachLaunch launch directly\n");
}

void checkGraphErrors(const std::shared_ptr<const Artifact> &artifact,
                      const FakeDriver &fake, uint64_t seed,
                      std::mt19937_64 &rng) {
  SessionOptions options;
  options.seed = seed;
  std::unique_ptr<Session> s = newSession(artifact, options);
  if (!s)
    return;
  std::vector<float> w = values(*s->getParam("w"));

  // Each failing call is reported with the call and the entry; the session
  // stays usable and the next run captures (or replays) as it should.
  struct Case {
    const char *symbol;
    int64_t batch;
    std::vector<std::string> parts;
  };
  const Case cases[] = {
      {"cuStreamBeginCapture_v2",
       3,
       {"entry 'forward' (capturing a CUDA graph for B = 3)",
        "cuStreamBeginCapture failed with CUDA_ERROR_FAKE (1)"}},
      {"cuLaunchKernel",
       6,
       {"capturing a CUDA graph for B = 6: entry 'forward' step 0 (launch of "
        "'add3')",
        "cuLaunchKernel failed"}},
      {"cuStreamEndCapture",
       7,
       {"entry 'forward' (capturing a CUDA graph for B = 7)",
        "cuStreamEndCapture failed"}},
      {"cuGraphInstantiateWithFlags",
       8,
       {"entry 'forward' (capturing a CUDA graph for B = 8)",
        "cuGraphInstantiate failed"}},
  };
  for (const Case &c : cases) {
    takeLog(fake);
    fake.failNext(c.symbol, 1);
    std::string msg = errorOf(runForward(*s, c.batch, rng));
    for (const std::string &part : c.parts)
      CHECK(contains(msg, part), c.symbol, ": ", msg);
    Log log = takeLog(fake);
    CHECK(fake.live("graphs") == 0, c.symbol, ": a graph leaked:", text(log));
    if (std::string(c.symbol) == "cuLaunchKernel")
      CHECK(count(log, "end capture: invalidated") == 1,
            "the capture was not ended:", text(log));
    checkForward(*s, c.batch, w, rng);
    CHECK(count(takeLog(fake), "begin capture") == 1, c.symbol,
          ": no capture after the failure");
  }

  // A failed graph launch leaves the graph cached: the next run replays it.
  fake.failNext("cuGraphLaunch", 1);
  std::string msg = errorOf(runForward(*s, 8, rng));
  CHECK(contains(msg, "entry 'forward' (launching its CUDA graph for B = 8): "
                      "cuGraphLaunch failed"),
        msg);
  takeLog(fake);
  checkForward(*s, 8, w, rng);
  Log log = takeLog(fake);
  CHECK(count(log, "begin capture") == 0 && count(log, "graph launch") == 1,
        "after a failed cuGraphLaunch:", text(log));
  std::printf("ok   graph errors name the call and the entry; the session "
              "goes on\n");

  // No pinned memory: copies go from pageable memory, and still work.
  fake.failNext("cuMemHostAlloc", 2);
  std::unique_ptr<Session> pageable = newSession(artifact, options);
  if (!pageable)
    return;
  std::vector<float> w2 = values(*pageable->getParam("w"));
  takeLog(fake);
  checkForward(*pageable, 10, w2, rng);
  log = takeLog(fake);
  CHECK(count(log, "htod pageable") == 2 && count(log, "htod pinned") == 0 &&
            count(log, "dtoh pageable") == 2,
        "without pinned memory:", text(log));
  std::printf("ok   without pinned memory, copies are direct\n");
}

/// Invalid inputs are refused before the driver is asked for anything: no
/// copy, no capture, no launch.
void checkValidationBeforeLaunch(const std::shared_ptr<const Artifact> &a,
                                 const FakeDriver &fake, uint64_t seed,
                                 std::mt19937_64 &rng) {
  SessionOptions options;
  options.seed = seed;
  std::unique_ptr<Session> s = newSession(a, options);
  if (!s)
    return;
  std::vector<float> w = values(*s->getParam("w"));
  HostTensor x = floats({6, kCols}, randomFloats(6 * kCols, rng));
  struct Case {
    TensorMap inputs;
    std::map<std::string, int64_t> dims;
    std::string message;
  } cases[] = {
      {{{"x", x}}, {}, "entry 'forward': missing input 'y' (f32[B, 16])"},
      {{{"x", x}, {"y", x}, {"q", x}}, {}, "unknown input 'q'"},
      {{{"x", x}, {"y", *HostTensor::zeros(DType::F64, {6, kCols})}},
       {},
       "input 'y': expected dtype f32, given f64 (f64[6, 16])"},
      {{{"x", x}, {"y", floats({6 * kCols}, randomFloats(6 * kCols, rng))}},
       {},
       "input 'y': expected rank 2 (f32[B, 16]), given rank 1 (f32[96])"},
      {{{"x", x}, {"y", floats({6, 8}, randomFloats(48, rng))}},
       {},
       "input 'y': dim 1 expected 16 (f32[B, 16]), given 8 (f32[6, 8])"},
      {{{"x", x}, {"y", floats({7, kCols}, randomFloats(7 * kCols, rng))}},
       {},
       "input 'y': dim 0 is 'B' = 7 (f32[7, 16]), but input 'x' dim 0 bound "
       "B = 6"},
      {{{"x", x}, {"y", x}},
       {{"B", 5}},
       "input 'x': dim 0 is 'B' = 6 (f32[6, 16]), but the explicit binding "
       "bound B = 5"},
  };
  takeLog(fake);
  for (const Case &c : cases) {
    std::string msg = errorOf(s->run("forward", c.inputs, c.dims));
    CHECK(contains(msg, c.message), "expected: ", c.message,
          "\n     given: ", msg);
    Log log = takeLog(fake);
    CHECK(log.empty(), c.message, ": the driver was called:", text(log));
  }
  checkForward(*s, 6, w, rng); // still usable
  std::printf("ok   invalid inputs are refused before any driver call\n");
}

} // namespace

void checkGraphsWithFakeDriver(const std::shared_ptr<const Artifact> &artifact,
                               uint64_t seed, std::mt19937_64 &rng) {
  FakeDriver fake;
  if (!findFakeDriver(fake)) {
    std::printf("skip graph log checks: not the fake driver\n");
    return;
  }
  checkCaptureAndReplay(artifact, fake, seed, rng);
  checkDirectLaunches(artifact, fake, seed, rng);
  checkGraphErrors(artifact, fake, seed, rng);
  checkValidationBeforeLaunch(artifact, fake, seed, rng);
  // Every session is gone: so are its graphs and pinned buffers.
  CHECK(fake.live("execs") == 0 && fake.live("graphs") == 0 &&
            fake.live("pinned") == 0,
        fake.live("execs"), " executable graphs, ", fake.live("graphs"),
        " graphs, ", fake.live("pinned"), " pinned buffers left");
}

} // namespace tensorc::testing
