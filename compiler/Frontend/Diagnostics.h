//===- Diagnostics.h - Located errors for the frontend ----------*- C++ -*-===//
//
// Prints `file:line:col: error: message`, the source line and a caret, through
// llvm::SourceMgr, and stops reporting after a cap so one bad file cannot
// flood the terminal. Notes attach to the error printed just before them.
//
//===----------------------------------------------------------------------===//

#ifndef TENSORC_FRONTEND_DIAGNOSTICS_H
#define TENSORC_FRONTEND_DIAGNOSTICS_H

#include "llvm/ADT/Twine.h"
#include "llvm/Support/SMLoc.h"

namespace llvm {
class SourceMgr;
class raw_ostream;
} // namespace llvm

namespace tensorc {

class DiagnosticEngine {
public:
  DiagnosticEngine(llvm::SourceMgr &sourceMgr, llvm::raw_ostream &os,
                   unsigned maxErrors = 20)
      : sourceMgr(sourceMgr), os(os), maxErrors(maxErrors) {}

  /// Reports an error at `loc`. Once `maxErrors` errors have been reported,
  /// prints a single "too many errors" line and ignores the rest.
  void error(llvm::SMLoc loc, const llvm::Twine &message);
  /// A note for the error reported last (dropped if that error was).
  void note(llvm::SMLoc loc, const llvm::Twine &message);

  unsigned errorCount() const { return numErrors; }
  bool hasErrors() const { return numErrors != 0; }
  /// True once an error past the cap was reported (and the "too many errors"
  /// line printed): callers should stop early. Stopping at exactly the cap
  /// would hide whether anything was cut.
  bool shouldStop() const { return numErrors > maxErrors; }

  llvm::SourceMgr &getSourceMgr() { return sourceMgr; }

private:
  /// Prints one message with its location, source line and caret.
  void emit(llvm::SMLoc loc, bool isNote, const llvm::Twine &message);

  llvm::SourceMgr &sourceMgr;
  llvm::raw_ostream &os;
  unsigned maxErrors;
  unsigned numErrors = 0;
  bool lastErrorPrinted = false;
};

} // namespace tensorc

#endif // TENSORC_FRONTEND_DIAGNOSTICS_H
