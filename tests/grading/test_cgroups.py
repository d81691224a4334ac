"""Where the machine delegates a cgroup, the kernel holds a subject's tasks and memory."""
from __future__ import annotations

import subprocess
import sys

import pytest

from mlquiz.grading import cgroups

found = cgroups.delegation()
pytestmark = pytest.mark.skipif(isinstance(found, str), reason=f"no delegated cgroup here: {found}")

FORKS = """
import os, sys, time
made = 0
for _ in range(20):
    try:
        if os.fork() == 0:
            time.sleep(0.3)
            os._exit(0)
        made += 1
    except OSError:
        pass
print(made, flush=True)
for _ in range(made):
    os.wait()
"""


def test_a_group_refuses_tasks_past_its_limit_and_leaves_nothing_behind():
    group = cgroups.CheckGroup.create(256 << 20, 6)
    assert group is not None
    try:
        done = subprocess.run([sys.executable, "-S", "-c", FORKS], capture_output=True, text=True,
                              timeout=30, preexec_fn=group.enter)
        assert int(done.stdout) == 5, done  # the parent is the sixth task
    finally:
        group.remove()
    assert not any(folder.exists() for folder in group.folders)


def test_a_group_stops_a_process_that_eats_more_memory_than_allowed():
    group = cgroups.CheckGroup.create(64 << 20, 8)
    assert group is not None
    try:
        done = subprocess.run([sys.executable, "-S", "-c", "x = bytearray(400 << 20); x[::4096] = b'x' * len(x[::4096])"],
                              capture_output=True, timeout=30, preexec_fn=group.enter)
    finally:
        group.remove()
    assert done.returncode != 0
