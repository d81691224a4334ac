"""The grader's host side is hostile ground: one test per class of attack on it.

Each asserts that nothing outside the check changed and that the check ended with a
reason a learner understands. Real processes and the real sandbox, short limits.
"""
from __future__ import annotations

import os
import signal
import stat
import subprocess
import sys
import tempfile
import textwrap
import time
from dataclasses import replace
from pathlib import Path

import pytest

from mlquiz.grading import safe_fs
from mlquiz.grading.grader import Grader
from mlquiz.grading.sandbox import sandbox_problem
from tests.grading.conftest import CALC_FIXED, FAST, make_exercise, submission

pytestmark = pytest.mark.skipif(bool(sandbox_problem()),
                                reason=f"bwrap cannot run here: {sandbox_problem()}")
TMP = Path(tempfile.gettempdir())


@pytest.fixture(scope="module")
def grader():
    with Grader(FAST) as shared:
        yield shared


def _tree_snapshot(root: Path) -> dict[str, tuple[int, bytes | None]]:
    found = {}
    for path in sorted(root.rglob("*")):
        info = path.lstat()
        found[str(path.relative_to(root))] = (info.st_mode, path.read_bytes() if path.is_file() else None)
    return found


def test_a_link_raced_into_the_check_folder_during_the_reset_writes_nothing_outside(grader, tmp_path):
    """A setsid() grandchild keeps swapping the learner's files for links to a host path
    while the judge puts the folder back between tests."""
    victim = tmp_path / "victim"
    victim.mkdir()
    (victim / "calc.py").write_text("# host file\n")
    racer = textwrap.dedent(f'''\
        import os, time
        TARGET = {str(victim)!r}
        def double(x):
            if os.fork() == 0:
                os.setsid()
                if os.fork() == 0:
                    end = time.time() + 4
                    while time.time() < end:
                        for name in ("calc.py", "planted", "deep"):
                            try:
                                os.unlink(name)
                            except OSError:
                                pass
                            try:
                                os.symlink(TARGET if name != "calc.py" else TARGET + "/calc.py", name)
                            except OSError:
                                pass
                    os._exit(0)
                os._exit(0)
            time.sleep(0.05)
            return 2 * x
        ''')
    before = _tree_snapshot(victim)
    exercise, learner = submission(tmp_path / "ex", {"calc.py": racer})
    result = grader.check(exercise, learner)
    assert result.passed, [(t.name, t.message) for t in result.tests] or result.reason
    assert _tree_snapshot(victim) == before, "a file outside the check folder changed"
    assert grader.check(*submission(tmp_path / "after", {"calc.py": CALC_FIXED})).passed


SURVIVOR = textwrap.dedent('''\
    import os, time
    def start():
        read, write = os.pipe()
        if os.fork() == 0:
            os.setsid()
            if os.fork() == 0:
                os.write(write, str(os.getpid()).encode())
                time.sleep(30)
            os._exit(0)
        os.close(write)
        return int(os.read(read, 32))
    def alive(pid):
        try:
            with open(f"/proc/{pid}/stat") as handle:
                return handle.read().rsplit(")", 1)[1].split()[0] != "Z"
        except OSError:
            return False
    ''')
SURVIVOR_TESTS = {"test_survivor.py": '''\
    STARTED = []

    def test_a_starts_a_grandchild_in_a_session_of_its_own(subject):
        STARTED.append(subject.call("survivor.start"))
        assert subject.call("survivor.alive", STARTED[0]), "the grandchild did not start"

    def test_b_finds_it_gone(subject):
        assert not subject.call("survivor.alive", STARTED[0]), "the last test's grandchild still runs"
    '''}


def test_a_setsid_grandchild_ends_with_its_test(grader, tmp_path):
    exercise, learner = submission(tmp_path, {"calc.py": CALC_FIXED, "survivor.py": SURVIVOR},
                                   tests=SURVIVOR_TESTS)
    result = grader.check(exercise, learner)
    assert result.passed, [(t.name, t.message) for t in result.tests] or result.reason


JUDGE_SPY_TESTS = '''\
    import os, socket

    def test_the_judge_cannot_write_its_tests(subject):
        here = os.path.dirname(os.path.abspath(__file__))
        try:
            with open(os.path.join(here, "test_planted.py"), "w") as handle:
                handle.write("def test_planted(): pass\\n")
        except OSError:
            pass
        else:
            raise AssertionError("the judge wrote a test beside the hidden tests")

    def test_the_judge_sees_no_course_home_or_database(subject):
        for path in {seen!r}:
            assert not os.path.exists(path), f"the judge can see {{path}}"
        home = {home!r}
        shown = set(os.listdir(home)) if os.path.isdir(home) else set()
        assert shown <= {on_the_way!r}, f"the judge sees {{shown}} in the home folder"

    def test_the_judge_has_no_network(subject):
        try:
            socket.create_connection(("127.0.0.1", 9), timeout=0.5)
        except OSError:
            return
        raise AssertionError("the judge opened a connection")

    def test_a_link_written_through_stays_in_the_check_folder(subject):
        assert subject.call("calc.double", 2) == 4
        subject.write_text("planted.py", "# an input file\\n")
        assert subject.read_text("planted.py") == "# an input file\\n"
    '''


def test_the_judge_runs_in_a_sandbox_of_its_own(grader, tmp_path, monkeypatch):
    """A planted test can never reach the hidden tests, and the judge sees none of the host."""
    database = tmp_path / "progress.db"
    database.write_bytes(b"SQLite format 3\x00")
    monkeypatch.setenv("MLQUIZ_DB", str(database))
    exercise = make_exercise(tmp_path / "ex")
    seen = [str(exercise.path), str(database), str(Path(__file__).parents[2])]
    home = str(Path.home())
    # the interpreter may live under the home folder: the judge sees that path and no more
    on_the_way = {Path(p).relative_to(home).parts[0] for p in (sys.base_prefix, sys.prefix)
                  if Path(p).is_relative_to(home)}
    tests = {"test_calc.py": JUDGE_SPY_TESTS.format(seen=seen, home=home, on_the_way=on_the_way)}
    exercise = make_exercise(tmp_path / "ex2", tests=tests)
    # the learner's links aim at the judge's tests, by the judge's path and relatively
    links = ("import os\n"
             "for target, name in (('/judge/tests/test_evil.py', 'planted.py'),\n"
             "                     ('../judge/tests/test_evil.py', 'relative.py')):\n"
             "    try:\n        os.symlink(target, name)\n    except OSError:\n        pass\n")
    learner = tmp_path / "learner"
    learner.mkdir()
    (learner / "calc.py").write_text(links + CALC_FIXED)
    hidden_before = _tree_snapshot(exercise.tests_dir)
    result = grader.check(exercise, learner)
    assert result.passed, [(t.name, t.message) for t in result.tests] or result.reason
    assert len(result.tests) == 4  # nothing planted ran
    assert _tree_snapshot(exercise.tests_dir) == hidden_before


def test_a_planted_link_where_the_host_sweeps_changes_no_mode(tmp_path):
    """A link named like a dead worker's folder, and a link inside a folder being removed."""
    victim = tmp_path / "victim"
    (victim / "inner").mkdir(parents=True)
    victim.chmod(0o700)
    (victim / "inner").chmod(0o500)
    (victim / "secret").write_text("keep")
    (victim / "secret").chmod(0o600)
    tmp_mode = TMP.stat().st_mode
    planted = [TMP / f"mlquiz-spare-999999999-1-{os.getpid()}", TMP / f"mlquiz-check-999999999-1-{os.getpid()}"]
    for link in planted:
        link.symlink_to(victim)
    doomed = tmp_path / "doomed"
    (doomed / "sub").mkdir(parents=True)
    (doomed / "sub" / "to-victim").symlink_to(victim)
    (doomed / "sub" / "to-secret").symlink_to(victim / "secret")
    (doomed / "sub").chmod(0)
    try:
        safe_fs.sweep_stale("mlquiz-spare-")
        safe_fs.sweep_stale("mlquiz-check-")
        safe_fs.remove_tree(doomed)
        for link in planted:
            safe_fs.remove_tree(link)  # a link is removed as a link
        assert not doomed.exists()
        assert TMP.stat().st_mode == tmp_mode
        assert stat.S_IMODE(victim.stat().st_mode) == 0o700
        assert stat.S_IMODE((victim / "inner").stat().st_mode) == 0o500
        assert stat.S_IMODE((victim / "secret").stat().st_mode) == 0o600
        assert (victim / "secret").read_text() == "keep"
        assert not any(link.is_symlink() for link in planted)
    finally:
        for link in planted:
            if link.is_symlink():
                link.unlink()
        (victim / "inner").chmod(0o700)


DEEP = textwrap.dedent('''\
    import os
    def double(x):
        start = os.getcwd()
        for _ in range(1400):
            os.mkdir("d")
            os.chdir("d")
        os.chdir(start)
        return 2 * x
    ''')
WIDE = textwrap.dedent('''\
    import os
    def double(x):
        os.mkdir("wide")
        for n in range(600):
            open(f"wide/{n}", "w").close()
        return 2 * x
    ''')


def test_deep_and_wide_trees_are_named_and_the_next_check_passes(grader, tmp_path):
    deep = grader.check(*submission(tmp_path / "deep", {"calc.py": DEEP}))
    assert not deep.passed
    assert deep.reason in (
        "stopped: your code nested folders more than 64 deep in the check folder "
        "(a folder made inside itself in a loop?)",
        f"stopped: your code wrote more than {FAST.disk_bytes >> 20} MiB or {FAST.files} files "
        "in the check folder"), deep.reason
    assert grader.check(*submission(tmp_path / "after", {"calc.py": CALC_FIXED})).passed
    few_files = replace(FAST, files=300)
    with Grader(few_files) as small:
        wide = small.check(*submission(tmp_path / "wide", {"calc.py": WIDE}))
        assert not wide.passed
        assert wide.reason == (f"stopped: your code wrote more than {FAST.disk_bytes >> 20} MiB or "
                               "300 files in the check folder"), wide.reason
        assert small.check(*submission(tmp_path / "next", {"calc.py": CALC_FIXED})).passed


def test_a_deep_tree_is_removed_where_a_stopped_walk_left_its_hoisted_folders(tmp_path):
    """The judge killed with its check, mid-reset, leaves `.mlquiz-deep-N` folders behind;
    the next walk takes other names instead of failing on them."""
    root = tmp_path / "left"
    for left in (".mlquiz-deep-1", ".mlquiz-deep-2", "d"):  # each deeper than a walk holds open
        deep = root / left
        for _ in range(safe_fs.MAX_DEPTH * 2):
            deep = deep / "d"
        deep.mkdir(parents=True)
    safe_fs.remove_tree(root)
    assert not root.exists()


def test_a_deep_tree_is_removed_without_recursion(tmp_path):
    root = tmp_path / "deep"
    root.mkdir()
    fd = os.open(root, os.O_RDONLY | os.O_DIRECTORY)
    try:
        for _ in range(3000):  # far past Python's recursion limit
            os.mkdir("d", dir_fd=fd)
            next_fd = os.open("d", os.O_RDONLY | os.O_DIRECTORY, dir_fd=fd)
            os.close(fd)
            fd = next_fd
        os.fchmod(fd, 0)
    finally:
        os.close(fd)
    safe_fs.remove_tree(root)
    assert not root.exists()


APP = textwrap.dedent('''\
    import sys, time
    sys.path.insert(0, {root!r})
    from pathlib import Path
    from mlquiz.grading.grader import Grader
    from tests.grading.conftest import FAST, make_exercise
    exercise = make_exercise(Path({folder!r}))
    grader = Grader(FAST)
    grader.warm_up(exercise)
    assert grader.check(exercise, exercise.solution_dir).passed
    print(grader._worker._process.pid, grader._root, flush=True)
    time.sleep(60)
    ''')


def test_a_killed_apps_folders_are_swept_at_the_next_start(tmp_path):
    root = str(Path(__file__).parents[2])
    app = subprocess.Popen([sys.executable, "-c", APP.format(root=root, folder=str(tmp_path))],
                           stdout=subprocess.PIPE, text=True)
    try:
        worker, folder = app.stdout.readline().split()
        waited = time.monotonic() + 10
        while not (worker_folders := list(TMP.glob(f"mlquiz-spare-{worker}-*"))):
            assert time.monotonic() < waited, "the worker started no spare for the next check"
            time.sleep(0.05)
        assert Path(folder).is_dir()
        os.kill(int(worker), signal.SIGKILL)  # the worker dies with its spare folder left
        app.kill()
    finally:
        app.kill()
        app.wait()
    deadline = time.monotonic() + 5
    while time.monotonic() < deadline and any(_alive_below(int(worker))):
        time.sleep(0.05)
    with Grader(FAST) as grader:
        exercise = make_exercise(tmp_path / "next")
        assert grader.check(exercise, exercise.solution_dir).passed
    assert not Path(folder).exists(), "the killed app's folder was not swept"
    assert not any(p.exists() for p in worker_folders), "the killed worker's folder was not swept"


def _alive_below(pid: int) -> list[int]:
    """Processes still naming the dead worker as parent (none should: they die with it)."""
    found = []
    for name in os.listdir("/proc"):
        if name.isdigit():
            try:
                with open(f"/proc/{name}/stat", "rb") as handle:
                    fields = handle.read().rsplit(b")", 1)[1].split()
            except OSError:
                continue
            if int(fields[1]) == pid and fields[0] != b"Z":
                found.append(int(name))
    return found


SLOW = "import time\ndef double(x):\n    time.sleep(1.5)\n    return 2 * x\n"


@pytest.mark.skipif(os.geteuid() != 0, reason="only a root app has root to give up")
def test_a_check_started_as_root_runs_no_process_as_root(tmp_path):
    import threading

    exercise, learner = submission(tmp_path, {"calc.py": SLOW},
                                   tests={"test_slow.py": "def test_slow(subject):\n"
                                                          "    assert subject.call('calc.double', 1) == 2\n"})
    with Grader(FAST) as grader:
        grader.warm_up(exercise)
        results = []
        checking = threading.Thread(target=lambda: results.append(grader.check(exercise, learner)))
        checking.start()
        time.sleep(0.8)  # the learner's code sleeps in its test
        worker = grader._worker._process.pid
        below = _descendants(worker)
        checking.join()
    assert results and results[0].passed, results
    assert len(below) >= 4, below  # bwrap, the subject's processes, the judge
    as_root = [(pid, uid) for pid, uid in [(worker, _uid(worker))] + [(p, _uid(p)) for p in below]
               if uid == 0]
    assert not as_root, f"processes of the check run as host root: {as_root}"


def _descendants(root: int) -> list[int]:
    table = {}
    for name in os.listdir("/proc"):
        if name.isdigit():
            try:
                with open(f"/proc/{name}/stat", "rb") as handle:
                    table[int(name)] = int(handle.read().rsplit(b")", 1)[1].split()[1])
            except OSError:
                continue
    found, queue = [], [root]
    while queue:
        parent = queue.pop()
        for pid, ppid in table.items():
            if ppid == parent:
                found.append(pid)
                queue.append(pid)
    return found


def _uid(pid: int) -> int | None:
    try:
        with open(f"/proc/{pid}/status") as handle:
            for line in handle:
                if line.startswith("Uid:"):
                    return min(int(v) for v in line.split()[1:])
    except OSError:
        return None
    return None


def test_a_learner_message_that_reads_like_a_check_wide_reason_stays_its_own(grader, tmp_path):
    liar = ("def double(x):\n"
            "    raise RuntimeError(\"your code printed more than 1 KiB (a print inside a loop?)\")\n")
    result = grader.check(*submission(tmp_path, {"calc.py": liar}))
    assert not result.passed
    assert result.reason == "", result.reason  # one test's failure, not the check's
    assert result.tests[0].message == "RuntimeError: your code printed more than 1 KiB (a print inside a loop?)"


def test_a_hostile_check_through_the_service_records_one_run_and_the_next_works(grader, tmp_path):
    from mlquiz.content import load_course
    from mlquiz.grading.service import ExerciseService
    from mlquiz.progress import ProgressStore
    from tests.grading.conftest import make_course

    course = load_course(make_course(tmp_path))
    store = ProgressStore.open(tmp_path / "progress.db")
    try:
        service = ExerciseService(course, store, "ada", tmp_path / "ws", grader=grader)
        service.open("calc")
        (service.folder("calc") / "calc.py").write_text(DEEP)
        outcome = service.check("calc")
        assert not outcome.result.passed and outcome.result.reason.startswith("stopped: your code")
        runs = [e for e in store.events("ada") if e.kind == "exercise_run"]
        assert len(runs) == 1 and runs[0].detail["reason"] == outcome.result.reason
        (service.folder("calc") / "calc.py").write_text(CALC_FIXED)
        assert service.check("calc").result.passed
        assert len([e for e in store.events("ada") if e.kind == "exercise_run"]) == 2
    finally:
        store.close()


def test_the_sandbox_line_speaks_for_the_user_checks_run_as():
    done = subprocess.run([sys.executable, "-m", "mlquiz.grading.sandbox"], capture_output=True,
                          text=True, timeout=60, cwd=str(Path(__file__).parents[2]))
    assert done.returncode == 0, done.stdout + done.stderr
    expected = "sandbox: ok as nobody (" if os.geteuid() == 0 else "sandbox: ok ("
    assert done.stdout.startswith(expected), done.stdout
