"""A cgroup per subject, where the machine delegates one: total memory and tasks, held by the kernel.

    found = delegation()                 # Delegation(version, memory_dir, pids_dir) or a str: why not
    group = CheckGroup.create(memory_bytes, tasks)   # or None; preexec_fn=group.enter
    group.remove()                       # kills what is left, deletes the group

Detected honestly: a group is created, limited and read back once; any refusal
(read-only cgroup fs, no controller, not ours to write) means no cgroup, and
the rlimits plus the runner's thread-counting watchdog are the caps. cgroup v1
(memory + pids hierarchies) and v2 (a delegated subtree with both controllers)
are both understood. The pids controller counts threads as well as processes.
"""
from __future__ import annotations

import functools
import itertools
import os
import signal
from dataclasses import dataclass
from pathlib import Path

PREFIX = "mlquiz-check-"
_counter = itertools.count()


@dataclass(frozen=True, slots=True)
class Delegation:
    version: int
    memory_dir: Path  # where our groups go (v2: the same folder for both)
    pids_dir: Path


def _own_groups() -> dict[str, str]:
    """controller (or "" for v2) -> our cgroup path, from /proc/self/cgroup."""
    found = {}
    try:
        for line in Path("/proc/self/cgroup").read_text().splitlines():
            _id, controllers, path = line.split(":", 2)
            for name in controllers.split(",") if controllers else [""]:
                found[name] = path
    except (OSError, ValueError):
        pass
    return found


def _mounts() -> dict[str, Path]:
    """controller (or "" for cgroup2) -> its mount point, from /proc/self/mountinfo."""
    found: dict[str, Path] = {}
    try:
        for line in Path("/proc/self/mountinfo").read_text().splitlines():
            left, _, right = line.partition(" - ")
            fields, tail = left.split(), right.split()
            if len(fields) < 5 or len(tail) < 3:
                continue
            if tail[0] == "cgroup2":
                found.setdefault("", Path(fields[4]))
            elif tail[0] == "cgroup":
                for option in tail[2].split(","):
                    if option in ("memory", "pids"):
                        found.setdefault(option, Path(fields[4]))
    except (OSError, ValueError):
        pass
    return found


def _probe(parent_memory: Path, parent_pids: Path, version: int) -> str:
    probe = f"{PREFIX}probe-{os.getpid()}-{next(_counter)}"
    made = []
    try:
        for parent in dict.fromkeys([parent_memory, parent_pids]):
            (parent / probe).mkdir()
            made.append(parent / probe)
        memory_file = "memory.max" if version == 2 else "memory.limit_in_bytes"
        (parent_memory / probe / memory_file).write_text(str(256 << 20))
        (parent_pids / probe / "pids.max").write_text("16")
        if (parent_pids / probe / "pids.max").read_text().strip() != "16":
            return "the pids limit did not hold"
        return ""
    except OSError as error:
        return f"cannot create a cgroup there ({error.strerror or error})"
    finally:
        for folder in reversed(made):
            try:
                folder.rmdir()
            except OSError:
                pass


@functools.lru_cache(maxsize=1)
def delegation() -> Delegation | str:
    """Where this process may create limited cgroups, or why it may not (one line)."""
    if os.environ.get("MLQUIZ_NO_CGROUP") == "1":
        return "turned off (MLQUIZ_NO_CGROUP=1)"
    groups, mounts = _own_groups(), _mounts()
    if "memory" in mounts and "pids" in mounts and "memory" in groups and "pids" in groups:
        memory = mounts["memory"] / groups["memory"].lstrip("/")
        pids = mounts["pids"] / groups["pids"].lstrip("/")
        problem = _probe(memory, pids, 1)
        return Delegation(1, memory, pids) if not problem else f"cgroup v1: {problem}"
    if "" in mounts and "" in groups:
        own = mounts[""] / groups[""].lstrip("/")
        try:
            enabled = (own / "cgroup.subtree_control").read_text().split()
        except OSError:
            enabled = []
        if not {"memory", "pids"} <= set(enabled):
            return "cgroup v2: memory and pids are not delegated to this process's group"
        problem = _probe(own, own, 2)
        return Delegation(2, own, own) if not problem else f"cgroup v2: {problem}"
    return "no memory and pids cgroup controllers are mounted"


@dataclass
class CheckGroup:
    """One subject's cgroup (one folder per hierarchy)."""

    folders: tuple[Path, ...]
    procs: tuple[Path, ...]

    @classmethod
    def create(cls, memory_bytes: int, tasks: int) -> "CheckGroup | None":
        found = delegation()
        if isinstance(found, str):
            return None
        name = f"{PREFIX}{os.getpid()}-{next(_counter)}"
        folders = tuple(dict.fromkeys([found.memory_dir / name, found.pids_dir / name]))
        try:
            for folder in folders:
                folder.mkdir()
            memory_file = "memory.max" if found.version == 2 else "memory.limit_in_bytes"
            (found.memory_dir / name / memory_file).write_text(str(memory_bytes))
            if found.version == 2 and (found.memory_dir / name / "memory.swap.max").exists():
                (found.memory_dir / name / "memory.swap.max").write_text("0")
            (found.pids_dir / name / "pids.max").write_text(str(tasks))
        except OSError:
            group = cls(folders, tuple(f / "cgroup.procs" for f in folders))
            group.remove()
            return None
        return cls(folders, tuple(f / "cgroup.procs" for f in folders))

    def enter(self) -> None:
        """In the child before exec (preexec_fn): this process joins the group."""
        me = str(os.getpid())
        for procs in self.procs:
            with open(procs, "w") as handle:
                handle.write(me)

    def pids(self) -> list[int]:
        found: set[int] = set()
        for procs in self.procs:
            try:
                found.update(int(p) for p in procs.read_text().split())
            except (OSError, ValueError):
                continue
        return sorted(found)

    def remove(self) -> None:
        """Kill whatever is still in the group, then delete it."""
        import time

        for _ in range(200):  # killed tasks leave the group once their parent reaps them
            left = self.pids()
            if not left:
                break
            for pid in left:
                try:
                    os.kill(pid, signal.SIGKILL)
                except (ProcessLookupError, PermissionError):
                    pass
            time.sleep(0.005)
        for folder in self.folders:
            try:
                folder.rmdir()
            except OSError:
                pass  # still busy: sweep() deletes it once it is empty


def sweep() -> None:
    """Delete empty groups left by processes that are gone (a judge killed at its deadline)."""
    found = delegation()
    if isinstance(found, str):
        return
    for parent in dict.fromkeys([found.memory_dir, found.pids_dir]):
        try:
            names = [p for p in parent.iterdir() if p.name.startswith(PREFIX)]
        except OSError:
            continue
        for folder in names:
            owner = folder.name[len(PREFIX):].split("-", 1)[0]
            try:
                os.kill(int(owner), 0)
                continue  # its creator still runs and removes it itself
            except (ValueError, ProcessLookupError):
                pass
            except PermissionError:
                continue
            try:
                folder.rmdir()
            except OSError:
                pass
