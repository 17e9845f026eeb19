//===- Run.h - tensorc run --------------------------------------*- C++ -*-===//

#ifndef TENSORC_TOOLS_TENSORC_RUN_H
#define TENSORC_TOOLS_TENSORC_RUN_H

#include "llvm/Support/CommandLine.h"

namespace tensorc::driver {
extern llvm::cl::SubCommand runCommand;
/// `tensorc run`; returns the exit status.
int runMain();
} // namespace tensorc::driver

#endif // TENSORC_TOOLS_TENSORC_RUN_H
