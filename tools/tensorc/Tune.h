//===- Tune.h - tensorc tune ------------------------------------*- C++ -*-===//

#ifndef TENSORC_TOOLS_TENSORC_TUNE_H
#define TENSORC_TOOLS_TENSORC_TUNE_H

#include "llvm/Support/CommandLine.h"

namespace tensorc::driver {
extern llvm::cl::SubCommand tuneCommand;
/// `tensorc tune`; returns the exit status.
int tuneMain();
} // namespace tensorc::driver

#endif // TENSORC_TOOLS_TENSORC_TUNE_H
