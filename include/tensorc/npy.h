//===- npy.h - NumPy .npy files
//---------------------------------------------===//
//
// Format versions 1.0, 2.0 and 3.0; little-endian, C order; dtypes f32 f16 f64
// i32 i64 bool. Everything in a file is checked: magic, header, dtype, shape
// and that the data has exactly the size the header announces.
//
//===----------------------------------------------------------------------===//

#ifndef TENSORC_NPY_H
#define TENSORC_NPY_H

#include "tensorc/status.h"
#include "tensorc/tensor.h"

#include <string>

namespace tensorc {

/// Decodes the bytes of a .npy file; `source` names it in messages.
Expected<HostTensor> decodeNpy(const std::string &bytes,
                               const std::string &source = "npy data");
/// Encodes a tensor as a version 1.0 file (2.0 when the header needs it).
Expected<std::string> encodeNpy(const HostTensor &tensor);

Expected<HostTensor> readNpy(const std::string &path);
/// Writes atomically: a temporary file beside `path`, then a rename.
Status writeNpy(const std::string &path, const HostTensor &tensor);

} // namespace tensorc

#endif // TENSORC_NPY_H
