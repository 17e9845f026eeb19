//===- Binding.h - Validate a run's inputs and bind the dims
//---------------===//

#ifndef TENSORC_RUNTIME_BINDING_H
#define TENSORC_RUNTIME_BINDING_H

#include "tensorc/runtime.h"

namespace tensorc {

/// Checks `inputs` against the entry (names, dtypes, ranks, static dims) and
/// binds the model's dims: `explicitDims` first, then each input whose shape
/// names a dim; every later use must agree. Shape entries that are compound
/// expressions are checked once every dim is bound. Errors name the input,
/// what was expected and what was given.
Expected<DimValues>
bindDims(const Manifest &manifest, const Entry &entry, const TensorMap &inputs,
         const std::map<std::string, int64_t> &explicitDims);

} // namespace tensorc

#endif // TENSORC_RUNTIME_BINDING_H
