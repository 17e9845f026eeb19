#!/usr/bin/env python3
"""Runs a command and checks how it ended: for hostile-input tests.

usage: check_exit.py EXPECTED_STATUS TIMEOUT_SECONDS COMMAND...

Copies the command's stdout and stderr to stdout (for FileCheck) and exits
0 only if the command exited with EXPECTED_STATUS within TIMEOUT_SECONDS;
a crash (a signal), a different status or a hang fails the test.
"""
import subprocess
import sys

expected, timeout, cmd = int(sys.argv[1]), float(sys.argv[2]), sys.argv[3:]
try:
    proc = subprocess.run(cmd, stdout=subprocess.PIPE, stderr=subprocess.STDOUT,
                          timeout=timeout)
except subprocess.TimeoutExpired:
    sys.stderr.write(f"check_exit: '{cmd[0]}' ran longer than {timeout} s\n")
    sys.exit(1)
sys.stdout.buffer.write(proc.stdout)
if proc.returncode != expected:
    sys.stderr.write(f"check_exit: '{cmd[0]}' exited with {proc.returncode}, "
                     f"expected {expected}\n")
    sys.exit(1)
