//===- Registration.h - Dialects and interfaces tensorc uses ----*- C++ -*-===//

#ifndef TENSORC_PIPELINES_REGISTRATION_H
#define TENSORC_PIPELINES_REGISTRATION_H

namespace mlir {
class DialectRegistry;
}

namespace tensorc {
/// Every dialect the pipelines produce, and the external interface models
/// they rely on (inlining, bufferization).
void registerTensorcDialects(mlir::DialectRegistry &registry);
} // namespace tensorc

#endif // TENSORC_PIPELINES_REGISTRATION_H
