#!/usr/bin/env python3
"""Which error messages of tensorc no test triggers.

Extracts the user-facing error messages from the sources (the frontend's
diagnostics, emitError/emitOpError in dialects/ and compiler/, Status::error
in the runtime and the JIT, the drivers' fail()/usage()) and looks for each
one in the tests (test/, unittests/, fuzz/*.cpp).

A message is the string literals of one call of an error sink: in
`emitOpError("kernel ") << name << " not found"` they are "kernel " and
" not found". Its *fragments* are those literals, trimmed of spaces and
":;,", that hold at least 4 letters or digits; a message with none
(`emitError(loc) << err`) passes on another one's text and is not counted.

Where the tests are looked at: in a lit test (.mlir, .tdsl, .test) its
FileCheck lines (any --check-prefix) and expected-error lines; in a C++
test its string literals (adjacent ones joined); in a Python or shell
test its text. A fragment is found in a test that holds it whole, or any
run of its words of at least 24 characters. A message is covered by a test
that holds fragments with at least 16 of its letters and digits (all of
them, if it has fewer), or at least half of its fragments with 12: a test
need not spell out every detail, and some fragments are alternatives
(`a ? "x" : "y"`).

Messages that no test can trigger are listed, with the reason, in
test/error-coverage-allowlist.txt (its header gives the format).

  scripts/error-coverage.py            # uncovered messages, by file; figures
  scripts/error-coverage.py --all      # every message and where it is tested
  scripts/error-coverage.py --check    # exit 1 on an uncovered message that
                                       # is not allowlisted, or a stale entry
"""

import argparse
import collections
import os
import re
import sys

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))

SOURCE_DIRS = ["compiler", "dialects", "runtime", "include/tensorc", "tools"]
SOURCE_EXTS = (".cpp", ".h", ".td", ".def")
TEST_DIRS = ["test", "unittests", "fuzz"]
LIT_EXTS = (".mlir", ".tdsl", ".test", ".ll")
TEST_TEXT_EXTS = (".cpp", ".h", ".py", ".sh", ".txt")
# fuzz/corpus holds inputs, not assertions; the allowlist names messages.
TEST_SKIP = ("fuzz/corpus", "test/error-coverage-allowlist.txt")

# The calls whose string arguments, and whatever is streamed into their
# result (`<< "..."`), make up a message someone reads.
SINKS = re.compile(
    r"^(emitError|emitOpError|emitOptionalError|emitWarning|emitRemark|"
    r"error|errorExpected|internalError|fail|usage)$")
# Sinks whose own arguments are a prefix, not the message:
# WithColor::error(errs(), "tensorc run") << message.
PREFIX_SINKS = {"WithColor"}

ESCAPES = {"n": "\n", "t": "\t", "\\": "\\", '"': '"', "'": "'", "0": "\0",
           "r": "\r", "a": "\a", "e": "\x1b"}


def decode(body):
    out, i = [], 0
    while i < len(body):
        c = body[i]
        if c == "\\" and i + 1 < len(body):
            n = body[i + 1]
            if n == "x":
                m = re.match(r"[0-9a-fA-F]+", body[i + 2:])
                out.append(chr(int(m.group(0), 16)) if m else "x")
                i += 2 + (len(m.group(0)) if m else 0)
                continue
            out.append(ESCAPES.get(n, n))
            i += 2
            continue
        out.append(c)
        i += 1
    return "".join(out)


def tokenize(text):
    """C++ tokens as (kind, value, line): kind is 'str', 'id', 'num' or
    'punct'. Comments are dropped; string literals are decoded."""
    toks, i, line, n = [], 0, 1, len(text)
    while i < n:
        c = text[i]
        if c == "\n":
            line += 1
            i += 1
        elif c.isspace():
            i += 1
        elif text.startswith("//", i):
            j = text.find("\n", i)
            i = n if j < 0 else j
        elif text.startswith("/*", i):
            j = text.find("*/", i + 2)
            j = n if j < 0 else j + 2
            line += text.count("\n", i, j)
            i = j
        elif c == 'R' and text.startswith('R"', i):
            m = re.match(r'R"([^(\s]*)\(', text[i:])
            end = text.find(")" + m.group(1) + '"', i) if m else -1
            if not m or end < 0:
                toks.append(("id", "R", line))
                i += 1
                continue
            body = text[i + m.end():end]
            toks.append(("str", body, line))
            line += text.count("\n", i, end)
            i = end + len(m.group(1)) + 2
        elif c == '"':
            j = i + 1
            while j < n and text[j] != '"' and text[j] != "\n":
                j += 2 if text[j] == "\\" else 1
            toks.append(("str", decode(text[i + 1:j]), line))
            i = j + 1
        elif c == "'":
            j = i + 1
            while j < n and text[j] != "'" and text[j] != "\n":
                j += 2 if text[j] == "\\" else 1
            toks.append(("punct", "char", line))
            i = j + 1
        elif c.isdigit():
            m = re.match(r"[0-9][\w'.]*", text[i:])
            toks.append(("num", m.group(0), line))
            i += m.end()
        elif c.isalpha() or c == "_":
            m = re.match(r"\w+", text[i:])
            word = m.group(0)
            # u8"...", L"..." prefixes.
            if text.startswith('"', i + m.end()) and word in ("u8", "L", "u", "U"):
                i += m.end()
                continue
            toks.append(("id", word, line))
            i += m.end()
        else:
            toks.append(("punct", c, line))
            i += 1
    return toks


def significant(piece):
    return len(re.findall(r"[A-Za-z0-9]", piece)) >= 4


Message = collections.namedtuple("Message", "file line sink fragments text")


def extract_messages(path, rel):
    with open(path, encoding="utf-8", errors="replace") as f:
        toks = tokenize(f.read())
    messages, used = [], set()
    for k, (kind, value, line) in enumerate(toks):
        if kind != "id" or not SINKS.match(value):
            continue
        if k + 1 >= len(toks) or toks[k + 1][1] != "(":
            continue
        # Skip declarations and definitions of the sinks themselves:
        # `void error(llvm::SMLoc loc, ...)`, `int fail(const Twine &m) {`.
        prev = toks[k - 1] if k else ("punct", ";", 0)
        if prev[0] == "id" and prev[1] not in ("return", "else", "do"):
            continue
        if prev[1] in ("~",):
            continue
        prefix = k >= 2 and toks[k - 1][1] == ":" and toks[k - 2][1] == ":" \
            and k >= 3 and toks[k - 3][1] in PREFIX_SINKS
        # The statement: to ';' (or an unmatched closer) at depth 0.
        depth, j, strs, skip_depth = 0, k + 1, [], None
        while j < len(toks):
            kd, v, _ = toks[j]
            if kd == "punct" and v == "{" and depth == 0:
                break  # a function body: this was a definition
            if v in "([{" and kd == "punct":
                depth += 1
            elif v in ")]}" and kd == "punct":
                depth -= 1
                if depth < 0:
                    break
                if prefix and depth == 0 and skip_depth is None:
                    skip_depth = j  # end of WithColor::error(...)
            elif v == ";" and depth == 0:
                break
            if kd == "str" and j not in used:
                if not (prefix and skip_depth is None):
                    strs.append(j)
            j += 1
        # Adjacent literals are one literal.
        pieces, last = [], None
        for idx in strs:
            used.add(idx)
            if last is not None and idx == last + 1:
                pieces[-1] += toks[idx][1]
            else:
                pieces.append(toks[idx][1])
            last = idx
        frags = []
        for p in pieces:
            p = p.strip(" \t\n:;,")
            if significant(p) and p not in frags:
                frags.append(p)
        if not frags:
            continue
        text = " … ".join(p.strip() for p in pieces if p.strip())
        messages.append(Message(rel, line, value, tuple(frags), text))
    return messages


def source_files():
    for d in SOURCE_DIRS:
        for dirpath, _, files in os.walk(os.path.join(ROOT, d)):
            for name in sorted(files):
                if name.endswith(SOURCE_EXTS):
                    path = os.path.join(dirpath, name)
                    yield path, os.path.relpath(path, ROOT)


PREFIX_OPT = re.compile(r"--check-prefix(?:es)?[= ]([\w,-]+)")
DIRECTIVE = r"(?:-NEXT|-SAME|-DAG|-LABEL|-EMPTY|-COUNT-\d+)?:"
VERIFY_LINE = re.compile(r"expected-(error|warning|remark|note)")


def lit_check_lines(text):
    """The lines of a lit test that FileCheck or -verify-diagnostics match
    against (not RUN lines, not input, not -NOT lines)."""
    prefixes = {"CHECK"}
    for m in PREFIX_OPT.finditer(text):
        prefixes.update(p for p in m.group(1).split(",") if p)
    check = re.compile(r"(?<![\w-])(" + "|".join(map(re.escape, sorted(prefixes)))
                       + ")" + DIRECTIVE)
    return [l for l in text.splitlines()
            if check.search(l) or VERIFY_LINE.search(l)]


def cpp_literals(text):
    toks = tokenize(text)
    merged, last = [], None
    for idx, (kd, v, _) in enumerate(toks):
        if kd != "str":
            continue
        if last is not None and idx == last + 1:
            merged[-1] += v
        else:
            merged.append(v)
        last = idx
    return merged


def test_corpus():
    """(relative path, searchable text) of every test file."""
    out = []
    for d in TEST_DIRS:
        for dirpath, _, files in os.walk(os.path.join(ROOT, d)):
            for name in sorted(files):
                path = os.path.join(dirpath, name)
                rel = os.path.relpath(path, ROOT)
                if rel.startswith(TEST_SKIP):
                    continue
                try:
                    with open(path, encoding="utf-8", errors="replace") as f:
                        text = f.read()
                except OSError:
                    continue
                if name.endswith(LIT_EXTS):
                    out.append((rel, "\n".join(lit_check_lines(text))))
                elif name.endswith((".cpp", ".h")):
                    out.append((rel, "\n".join(cpp_literals(text))))
                elif name.endswith(TEST_TEXT_EXTS):
                    out.append((rel, text))
    return out


# A test may check part of a long literal: a fragment is found where its
# whole text is, or any run of its words of at least WINDOW characters.
WINDOW = 24


def windows(fragment):
    if len(fragment) <= WINDOW:
        return [fragment]
    starts = [0] + [m.end() for m in re.finditer(r"\s+", fragment)]
    ends = [m.start() for m in re.finditer(r"\s+", fragment)] + [len(fragment)]
    out = []
    for s in starts:
        e = next((e for e in ends if e - s >= WINDOW), None)
        if e is None:
            break
        # "is a truncated gzip file:" is checked as "... gzip file".
        out.append(fragment[s:e].rstrip(":;,."))
    return out or [fragment]


class Corpus:
    def __init__(self, files):
        self.files = [rel for rel, _ in files]
        self.offsets, parts, pos = [], [], 0
        for _, text in files:
            self.offsets.append(pos)
            parts.append(text)
            pos += len(text) + 1
        self.text = "\x00".join(parts)

    def files_with(self, fragment):
        import bisect
        found = set()
        for w in windows(fragment):
            i = self.text.find(w)
            while i >= 0:
                found.add(self.files[bisect.bisect_right(self.offsets, i) - 1])
                i = self.text.find(w, i + 1)
        return found


def alnum(text):
    return len(re.findall(r"[A-Za-z0-9]", text))


def find_tests(msg, corpus):
    """The test files that hold enough of the message's fragments: at least
    16 of their letters and digits (or all of them), or at least half of the
    fragments with 12 letters and digits (a test need not spell out every
    detail, and some fragments are alternatives: `a ? "x" : "y"`)."""
    sets = [corpus.files_with(f) for f in msg.fragments]
    total = sum(alnum(f) for f in msg.fragments)
    out = []
    for test in sorted(set().union(*sets)):
        hits = [f for f, s in zip(msg.fragments, sets) if test in s]
        chars = sum(alnum(f) for f in hits)
        if chars >= min(16, total) or (
                2 * len(hits) >= len(sets) and chars >= min(12, total)):
            out.append(test)
    return out


# Allowlist: one entry per line,
#   CATEGORY | FILE | FRAGMENT | REASON
# FRAGMENT is the message's first fragment as this script prints it.
CATEGORIES = {
    "internal": "internal invariant: a compiler bug, not a user error",
    "unreachable": "unreachable from user input: an earlier check rejects it first",
    "gpu": "needs a real GPU or NVRTC failing",
    "environment": "needs the machine to fail (disk, linker, LLVM target)",
    "todo": "reachable; the test is still to be written",
}


def read_allowlist(path):
    entries = []
    if not os.path.exists(path):
        return entries
    with open(path, encoding="utf-8") as f:
        for n, raw in enumerate(f, 1):
            line = raw.strip()
            if not line or line.startswith("#"):
                continue
            parts = [p.strip() for p in line.split("|", 3)]
            if len(parts) != 4 or parts[0] not in CATEGORIES or not parts[3]:
                sys.exit(f"{path}:{n}: expected 'CATEGORY | FILE | FRAGMENT | "
                         f"REASON' with CATEGORY one of {sorted(CATEGORIES)}")
            entries.append({"line": n, "category": parts[0], "file": parts[1],
                            "fragment": parts[2], "reason": parts[3]})
    return entries


def main():
    ap = argparse.ArgumentParser(description=__doc__,
                                 formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--check", action="store_true",
                    help="exit 1 on an uncovered message not in the allowlist, "
                         "or an allowlist entry that matches no uncovered message")
    ap.add_argument("--all", action="store_true",
                    help="list every message with the tests that hold it")
    ap.add_argument("--allowlist",
                    default=os.path.join(ROOT, "test", "error-coverage-allowlist.txt"))
    ap.add_argument("--quiet", action="store_true", help="figures only")
    args = ap.parse_args()

    messages = []
    for path, rel in source_files():
        messages.extend(extract_messages(path, rel))
    corpus = Corpus(test_corpus())
    allow = read_allowlist(args.allowlist)
    allow_keys = {(e["file"], e["fragment"]): e for e in allow}
    matched_allow = set()

    covered, allowed, missing = [], [], []
    for m in messages:
        tests = find_tests(m, corpus)
        if tests:
            covered.append((m, tests))
            continue
        e = allow_keys.get((m.file, m.fragments[0]))
        if e:
            matched_allow.add((m.file, m.fragments[0]))
            allowed.append((m, e))
        else:
            missing.append(m)
    stale = [e for k, e in allow_keys.items() if k not in matched_allow]

    if args.all:
        for m, tests in covered:
            print(f"covered  {m.file}:{m.line}: {m.text}\n         by {', '.join(tests[:3])}")
        for m, e in allowed:
            print(f"allowed  {m.file}:{m.line}: {m.text}\n         [{e['category']}] {e['reason']}")
    if not args.quiet and missing:
        print("Messages no test triggers:")
        by_file = collections.defaultdict(list)
        for m in missing:
            by_file[m.file].append(m)
        for f in sorted(by_file):
            print(f"\n{f}")
            for m in by_file[f]:
                print(f"  {m.line}: {m.sink}: {m.text}")
                print(f"      allowlist key: {m.fragments[0]}")
        print()
    for e in stale:
        print(f"{os.path.relpath(args.allowlist, ROOT)}:{e['line']}: stale entry: "
              f"no uncovered message of {e['file']} starts with fragment "
              f"'{e['fragment']}' (tested now, or changed): remove or update it")

    cats = collections.Counter(e["category"] for _, e in allowed)
    print(f"{len(messages)} messages: {len(covered)} covered by a test, "
          f"{len(allowed)} allowlisted ("
          + ", ".join(f"{cats[c]} {c}" for c in CATEGORIES if cats[c])
          + f"), {len(missing)} uncovered")
    if args.check and (missing or stale):
        print("error-coverage: FAILED: add a test that triggers each uncovered "
              "message (and checks its text), or list it with its reason in "
              + os.path.relpath(args.allowlist, ROOT))
        return 1
    return 0


if __name__ == "__main__":
    sys.exit(main())
