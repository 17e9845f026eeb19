//===- Diagnostics.cpp - Located errors for the frontend ------------------===//

#include "compiler/Frontend/Diagnostics.h"

#include "llvm/Support/ConvertUTF.h"
#include "llvm/Support/MemoryBuffer.h"
#include "llvm/Support/SourceMgr.h"
#include "llvm/Support/Unicode.h"
#include "llvm/Support/raw_ostream.h"

using namespace tensorc;

namespace {
/// How much of a source line is shown around the caret. A minified or
/// generated file can have a multi-megabyte line; printing it whole for every
/// error would flood the terminal.
constexpr size_t kMaxShownLine = 160;

/// Makes a source line safe to print: control bytes and invalid UTF-8 become
/// one printable byte each, so that the caret column is unchanged.
std::string sanitizeLine(llvm::StringRef line) {
  std::string out;
  out.reserve(line.size());
  const auto *p = reinterpret_cast<const llvm::UTF8 *>(line.data());
  size_t n = line.size();
  for (size_t i = 0; i < n;) {
    unsigned char c = p[i];
    if (c < 0x80) {
      out += (c < 0x20 && c != '\t') || c == 0x7f ? ' ' : char(c);
      ++i;
      continue;
    }
    unsigned len = llvm::getNumBytesForUTF8(c);
    if (i + len <= n && llvm::isLegalUTF8Sequence(p + i, p + i + len)) {
      out.append(line.data() + i, len);
      i += len;
    } else {
      out += '?';
      ++i;
    }
  }
  return out;
}
/// Prints `line` and a caret under byte `col`, expanding tabs to 8-column
/// stops and measuring wide characters by their display width.
void printSourceLine(llvm::raw_ostream &os, llvm::StringRef line, size_t col) {
  std::string text, caret;
  size_t width = 0, caretCol = std::string::npos;
  for (size_t i = 0; i < line.size();) {
    if (i >= col && caretCol == std::string::npos)
      caretCol = width;
    if (line[i] == '\t') {
      size_t next = (width / 8 + 1) * 8;
      text.append(next - width, ' ');
      width = next;
      ++i;
      continue;
    }
    unsigned len = (line[i] & 0x80) ? llvm::getNumBytesForUTF8(line[i]) : 1;
    len = std::max(1u, std::min<unsigned>(len, line.size() - i));
    llvm::StringRef ch = line.substr(i, len);
    int w = llvm::sys::unicode::columnWidthUTF8(ch);
    text += ch;
    width += w >= 0 ? w : 1;
    i += len;
  }
  if (caretCol == std::string::npos)
    caretCol = width;
  os << text << '\n';
  os.indent(caretCol);
  if (os.has_colors())
    os.changeColor(llvm::raw_ostream::GREEN, /*Bold=*/true);
  os << '^';
  if (os.has_colors())
    os.resetColor();
  os << '\n';
}
} // namespace

void DiagnosticEngine::error(llvm::SMLoc loc, const llvm::Twine &message) {
  ++numErrors;
  if (numErrors > maxErrors) {
    lastErrorPrinted = false;
    if (numErrors == maxErrors + 1)
      os << "error: too many errors emitted (" << maxErrors
         << "), stopping now\n";
    return;
  }
  emit(loc, /*isNote=*/false, message);
  lastErrorPrinted = true;
}

void DiagnosticEngine::note(llvm::SMLoc loc, const llvm::Twine &message) {
  if (lastErrorPrinted)
    emit(loc, /*isNote=*/true, message);
}

void DiagnosticEngine::emit(llvm::SMLoc loc, bool isNote,
                            const llvm::Twine &message) {
  auto kind = isNote ? llvm::SourceMgr::DK_Note : llvm::SourceMgr::DK_Error;
  if (!loc.isValid() || !sourceMgr.FindBufferContainingLoc(loc)) {
    llvm::StringRef file = "<unknown>";
    if (sourceMgr.getNumBuffers())
      file = sourceMgr.getMemoryBuffer(sourceMgr.getMainFileID())
                 ->getBufferIdentifier();
    llvm::SMDiagnostic(file, kind, message.str()).print(nullptr, os);
    return;
  }
  llvm::SMDiagnostic d = sourceMgr.GetMessage(loc, kind, message);
  llvm::StringRef line = d.getLineContents();
  size_t col = d.getColumnNo();
  // Show a window of a long line around the caret, marked with "...".
  std::string shown;
  size_t shownCol = col;
  if (line.size() > kMaxShownLine) {
    size_t start = col > kMaxShownLine / 2 ? col - kMaxShownLine / 2 : 0;
    // Do not start or end in the middle of a UTF-8 sequence.
    while (start > 0 && (line[start] & 0xC0) == 0x80)
      --start;
    size_t end = std::min(line.size(), start + kMaxShownLine);
    while (end < line.size() && (line[end] & 0xC0) == 0x80)
      ++end;
    shown = (start ? "..." : "") + sanitizeLine(line.slice(start, end)) +
            (end < line.size() ? "..." : "");
    shownCol = col - start + (start ? 3 : 0);
  } else {
    shown = sanitizeLine(line);
  }
  os << d.getFilename() << ':' << d.getLineNo() << ':' << col + 1 << ": ";
  // The message through SMDiagnostic (kind label and colors), then the line
  // and caret here: SMDiagnostic omits the caret on any line with non-ASCII
  // text, and a caret is the point of a located error.
  llvm::SMDiagnostic(sourceMgr, loc, d.getFilename(), d.getLineNo(),
                     /*Col=*/-1, kind, d.getMessage(), "", {})
      .print(nullptr, os, /*ShowColors=*/true, /*ShowKindLabel=*/true,
             /*ShowLocation=*/false);
  printSourceLine(os, shown, shownCol);
}
