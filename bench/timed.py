#!/usr/bin/env python3
"""Runs a command with stdout discarded; prints "WALL CPU" seconds (CPU = user + sys of the
command and its children). Usage: bench/timed.py COMMAND [ARGS...]"""
import resource
import subprocess
import sys
import time

before = resource.getrusage(resource.RUSAGE_CHILDREN)
start = time.monotonic()
rc = subprocess.call(sys.argv[1:], stdout=subprocess.DEVNULL)
wall = time.monotonic() - start
after = resource.getrusage(resource.RUSAGE_CHILDREN)
cpu = (after.ru_utime - before.ru_utime) + (after.ru_stime - before.ru_stime)
if rc != 0:
    sys.exit(f"timed.py: {sys.argv[1]} exited with {rc}")
print(f"{wall:.3f} {cpu:.3f}")
