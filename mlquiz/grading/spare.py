"""The worker's check area, and one check's two sandboxes started before the check.

    area = CheckArea.create(sandboxed=True)        # once per worker: folders + the judge's zygote
    spare = Spare.start(area, Limits(), tests="/tmp/mlquiz-check-.../tests-<digest>")
    spare.take(spec)            # a CheckSpec: the learner's files in, the judge its tests
    raw = spare.run(spec)       # RawRun; then spare.discard() (the area is emptied)

The area is one folder, named for the worker that made it (safe_fs.owned_prefix),
reused check after check (a check starts only once the last one's processes are
all gone and the area is emptied):

    check/       bound at /check in the subject (read-write) and in the judge (read-write)
    submitted/   the files as handed in: the judge's /submitted, read-only
    judge/       the hidden tests and pytest.ini: the judge's /judge, read-only

The judge's zygote (runner.JudgeZygote) runs for the worker's life with pytest
imported and forks each check's judge; the subject (sandbox.start_subject) is
started per check and waits for `go`. A judge that collected other tests than the
check's is replaced at `take`, on the check's clock (a fork: milliseconds).
"""
from __future__ import annotations

import os
import shutil
import tempfile
from dataclasses import dataclass
from pathlib import Path

from mlquiz.grading import cgroups, safe_fs
from mlquiz.grading.results import RawRun
from mlquiz.grading.runner import JudgeZygote, PreparedJudge
from mlquiz.grading.sandbox import SubjectProcess, digest_tree, start_subject
from mlquiz.grading.spec import GRADER_INI, CheckSpec, Limits

SPARE_PREFIX = "mlquiz-spare-"


class CheckArea:
    """The worker's check folders and the judge's zygote bound to them."""

    def __init__(self, base: Path, sandboxed: bool) -> None:
        self.base, self.sandboxed = base, sandboxed
        self._zygote: JudgeZygote | None = None

    @classmethod
    def create(cls, sandboxed: bool) -> "CheckArea":
        safe_fs.sweep_stale(SPARE_PREFIX)  # areas of a worker that was killed
        base = Path(tempfile.mkdtemp(prefix=safe_fs.owned_prefix(SPARE_PREFIX)))
        for name in ("check", "submitted", "judge", "judge/tests"):
            (base / name).mkdir()
        (base / "judge" / "pytest.ini").write_text(GRADER_INI)
        return cls(base, sandboxed)

    @property
    def check(self) -> Path:
        return self.base / "check"

    @property
    def tests_dir(self) -> Path:
        return self.base / "judge" / "tests"

    def zygote(self) -> JudgeZygote:
        """The judge's zygote, started on first use and again if it ended."""
        if self._zygote is None or not self._zygote.running():
            if self._zygote is not None:
                self._zygote.stop()
            self._zygote = JudgeZygote.start(self.base, self.sandboxed)
        return self._zygote

    def empty(self, *names: str) -> None:
        """Empty these folders of the area (no process of a check runs any more)."""
        for name in names:
            fd = safe_fs.open_dir(str(self.base / name))
            try:
                safe_fs.clear_folder(fd)
            finally:
                os.close(fd)

    def close(self) -> None:
        if self._zygote is not None:
            self._zygote.stop()
            self._zygote = None
        try:
            safe_fs.remove_tree(self.base)
        except OSError:
            pass  # swept by the next worker of this user


@dataclass
class Spare:
    area: CheckArea
    subject: SubjectProcess
    limits: Limits
    sandboxed: bool
    judge: PreparedJudge | None = None
    tests_digest: str | None = None  # the tests that judge collected (None: it waits for them)

    @classmethod
    def start(cls, area: CheckArea, limits: Limits, *, tests: str | None = None) -> "Spare":
        """Start a subject on the (empty) area and fork its judge."""
        area.empty("check", "submitted")
        subject = start_subject(area.check, limits, sandboxed=area.sandboxed)
        spare = cls(area, subject, limits, area.sandboxed)
        try:
            spare.expect(tests)
        except BaseException:
            spare.discard()
            raise
        return spare

    @property
    def check(self) -> Path:
        return self.area.check

    @property
    def tests_dir(self) -> Path:
        return self.area.tests_dir

    def expect(self, tests: str | None) -> None:
        """(Re)fork the waiting judge, for these hidden tests (collected now) or for
        tests that come with the check (None)."""
        if self.judge is not None:
            self.judge.discard()
            self.judge = None
        self.area.empty("judge/tests")
        self.tests_digest = None
        if tests is not None and os.path.isdir(tests):
            shutil.copytree(tests, self.tests_dir, dirs_exist_ok=True,
                            ignore=shutil.ignore_patterns("__pycache__"))
            self.tests_digest = digest_tree(self.tests_dir)
        self.judge = self.area.zygote().fork(self.subject.sock, self.limits,
                                             collected_early=self.tests_digest is not None)

    def expects(self, tests: str | None) -> bool:
        """Whether the waiting judge has collected exactly these tests."""
        return (self.judge is not None and self.tests_digest is not None and tests is not None
                and os.path.isdir(tests) and digest_tree(tests) == self.tests_digest)

    def suits(self, limits: Limits, sandboxed: bool) -> bool:
        """Whether a check with these limits can use this spare (its subject still waits)."""
        return self.limits == limits and self.sandboxed == sandboxed and self.subject.running()

    def fits(self, spec: CheckSpec) -> bool:
        return self.suits(spec.limits, not spec.unsandboxed) and self.judge is not None

    def take(self, spec: CheckSpec) -> None:
        """The check's files into check/ and submitted/ (no learner code has run here yet:
        the subject waits for `go`), and the hidden tests to the judge."""
        for name in ("check", "submitted"):
            fd = os.open(self.area.base / name, os.O_RDONLY | os.O_DIRECTORY | os.O_NOFOLLOW)
            try:
                safe_fs.copy_files(spec.submitted, fd)
            finally:
                os.close(fd)
        if self.tests_digest is not None and digest_tree(spec.tests) != self.tests_digest:
            self.expect(None)  # it collected other tests: a fresh judge for these
        if self.tests_digest is None:
            shutil.copytree(spec.tests, self.tests_dir, dirs_exist_ok=True,
                            ignore=shutil.ignore_patterns("__pycache__"))

    def run(self, spec: CheckSpec, stop_fd: int | None = None) -> RawRun:
        """The check through the waiting judge, watched until the deadline (or until
        `stop_fd` says the app is gone)."""
        judge, self.judge = self.judge, None
        return judge.run(str(self.check), spec.deadline, spec.token, self.subject.pid, stop_fd)

    def discard(self) -> None:
        """Stop the judge and the subject, then empty the area (nothing in it runs any more)."""
        if self.judge is not None:
            self.judge.discard()
            self.judge = None
        self.subject.stop()
        cgroups.sweep()
        try:
            self.area.empty("check", "submitted")
        except OSError:
            pass  # the next spare tries again, and refuses to start on a folder it cannot empty
