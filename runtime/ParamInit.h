//===- ParamInit.h - Parameter initializers
//--------------------------------===//

#ifndef TENSORC_RUNTIME_PARAMINIT_H
#define TENSORC_RUNTIME_PARAMINIT_H

#include "tensorc/manifest.h"

namespace tensorc {

/// The initial value of a param (docs/runtime.md): PyTorch's initializers,
/// drawn from Philox4x32-10 keyed by `seed` and the param's name, so that a
/// param's values depend only on the seed, its name, shape and initializer.
Expected<HostTensor> initialParamValue(const ParamInfo &param, uint64_t seed);

} // namespace tensorc

#endif // TENSORC_RUNTIME_PARAMINIT_H
