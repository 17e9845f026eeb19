//===- BufferizableOpInterfaceImpl.h - tc ops and bufferization -*- C++ -*-===//

#ifndef TENSORC_DIALECTS_TC_IR_BUFFERIZABLEOPINTERFACEIMPL_H
#define TENSORC_DIALECTS_TC_IR_BUFFERIZABLEOPINTERFACEIMPL_H

namespace mlir {
class DialectRegistry;
}

namespace tensorc::tc {
/// Lets one-shot bufferization handle tc.launch.
void registerBufferizableOpInterfaceExternalModels(
    mlir::DialectRegistry &registry);
} // namespace tensorc::tc

#endif // TENSORC_DIALECTS_TC_IR_BUFFERIZABLEOPINTERFACEIMPL_H
