//===- PythonUtil.h - Run Python's safetensors from a test -------*- C++
//-*-===//
//
// The interoperability tests check tensorc's files against the reference
// implementation: Python's `safetensors` package with numpy. Where it is
// missing they are skipped with a message that says how to install it.
//
//===----------------------------------------------------------------------===//

#ifndef TENSORC_UNITTESTS_RUNTIME_PYTHONUTIL_H
#define TENSORC_UNITTESTS_RUNTIME_PYTHONUTIL_H

#include "gtest/gtest.h"

#include <cstdio>
#include <cstdlib>
#include <fstream>
#include <string>
#include <sys/wait.h>
#include <vector>

#ifndef TENSORC_TEST_PYTHON
#define TENSORC_TEST_PYTHON "/usr/bin/python3"
#endif

namespace tensorc::testing {

/// The interpreter: TENSORC_TEST_PYTHON in the environment, else the one
/// CMake found.
inline std::string pythonPath() {
  const char *env = std::getenv("TENSORC_TEST_PYTHON");
  return env && *env ? env : TENSORC_TEST_PYTHON;
}

inline std::string shellQuote(const std::string &s) {
  std::string out = "'";
  for (char c : s)
    out += c == '\'' ? std::string("'\\''") : std::string(1, c);
  return out + "'";
}

/// Runs `script` (written to DIR/NAME.py) with `args`; returns its exit
/// status, with stdout and stderr in `output`.
inline int runPython(const std::string &dir, const std::string &name,
                     const std::string &script,
                     const std::vector<std::string> &args,
                     std::string &output) {
  std::string file = dir + "/" + name + ".py";
  std::ofstream(file) << script;
  std::string command = shellQuote(pythonPath()) + " " + shellQuote(file);
  for (const std::string &a : args)
    command += " " + shellQuote(a);
  output.clear();
  FILE *pipe = ::popen((command + " 2>&1").c_str(), "r");
  if (!pipe)
    return -1;
  char buffer[4096];
  while (size_t n = std::fread(buffer, 1, sizeof(buffer), pipe))
    output.append(buffer, n);
  int status = ::pclose(pipe);
  std::remove(file.c_str());
  return WIFEXITED(status) ? WEXITSTATUS(status) : -1;
}

/// True when the interpreter imports `modules` (say "safetensors.numpy").
inline bool pythonHas(const std::string &modules) {
  std::string command = shellQuote(pythonPath()) + " -c " +
                        shellQuote("import " + modules) + " >/dev/null 2>&1";
  return std::system(command.c_str()) == 0;
}

/// Skips the test where Python's safetensors is missing.
#define TC_REQUIRE_PYTHON_SAFETENSORS()                                        \
  do {                                                                         \
    if (!::tensorc::testing::pythonHas("numpy, safetensors.numpy"))            \
      GTEST_SKIP() << "skipped: " << ::tensorc::testing::pythonPath()          \
                   << " cannot import numpy and safetensors (install them "    \
                      "with scripts/setup.sh, or: pip install safetensors; "   \
                      "TENSORC_TEST_PYTHON picks another interpreter)";        \
  } while (0)

} // namespace tensorc::testing

#endif // TENSORC_UNITTESTS_RUNTIME_PYTHONUTIL_H
