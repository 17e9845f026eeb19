//===- Init.h - tensorc init ------------------------------------*- C++ -*-===//

#ifndef TENSORC_TOOLS_TENSORC_INIT_H
#define TENSORC_TOOLS_TENSORC_INIT_H

#include "llvm/Support/CommandLine.h"

namespace tensorc::driver {
extern llvm::cl::SubCommand initCommand;
/// `tensorc init`; returns the exit status.
int initMain();
} // namespace tensorc::driver

#endif // TENSORC_TOOLS_TENSORC_INIT_H
