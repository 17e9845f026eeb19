//===- Train.h - tensorc train ----------------------------------*- C++ -*-===//

#ifndef TENSORC_TOOLS_TENSORC_TRAIN_H
#define TENSORC_TOOLS_TENSORC_TRAIN_H

#include "llvm/Support/CommandLine.h"

namespace tensorc::driver {
extern llvm::cl::SubCommand trainCommand;
/// `tensorc train`; returns the exit status.
int trainMain();
} // namespace tensorc::driver

#endif // TENSORC_TOOLS_TENSORC_TRAIN_H
