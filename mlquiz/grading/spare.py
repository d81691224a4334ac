"""One check's folder and its two sandboxes, started before the check (in the warm worker).

    spare = Spare.start(Limits(), sandboxed=True, tests="/tmp/mlquiz-check-.../tests-<digest>")
    spare.take(spec)            # a CheckSpec: the learner's files in, the judge its tests
    raw = spare.run(spec)       # RawRun; then spare.discard()

A spare owns one folder, named for the worker that made it (safe_fs.owned_prefix):

    check/       bound at /check in the subject (read-write) and in the judge (read-write)
    submitted/   the files as handed in: the judge's /submitted, read-only
    judge/       the hidden tests and pytest.ini: the judge's /judge, read-only

The subject (sandbox.start_subject) waits for `go`; the judge (runner.PreparedJudge)
has pytest started and, when the tests of the next check were known, collected. A
judge that collected other tests is replaced at `take`, on the check's clock.
"""
from __future__ import annotations

import os
import shutil
import tempfile
from dataclasses import dataclass
from pathlib import Path

from mlquiz.grading import cgroups, safe_fs
from mlquiz.grading.results import RawRun
from mlquiz.grading.runner import PreparedJudge
from mlquiz.grading.sandbox import SubjectProcess, copy_tests, digest_tree, start_subject
from mlquiz.grading.spec import GRADER_INI, CheckSpec, Limits

SPARE_PREFIX = "mlquiz-spare-"


@dataclass
class Spare:
    base: Path
    subject: SubjectProcess
    limits: Limits
    sandboxed: bool
    judge: PreparedJudge | None = None
    tests_digest: str | None = None  # the tests that judge collected (None: it waits for them)

    @classmethod
    def start(cls, limits: Limits, sandboxed: bool, *, tests: str | None = None) -> "Spare":
        safe_fs.sweep_stale(SPARE_PREFIX)  # folders of a worker that was killed
        base = Path(tempfile.mkdtemp(prefix=safe_fs.owned_prefix(SPARE_PREFIX)))
        try:
            for name in ("check", "submitted", "judge", "judge/tests"):
                (base / name).mkdir()
            (base / "judge" / "pytest.ini").write_text(GRADER_INI)
            subject = start_subject(base / "check", limits, sandboxed=sandboxed)
        except BaseException:
            safe_fs.remove_tree(base)
            raise
        spare = cls(base, subject, limits, sandboxed)
        try:
            spare.expect(tests)
        except BaseException:
            spare.discard()
            raise
        return spare

    @property
    def check(self) -> Path:
        return self.base / "check"

    @property
    def tests_dir(self) -> Path:
        return self.base / "judge" / "tests"

    def expect(self, tests: str | None) -> None:
        """(Re)start the waiting judge, for these hidden tests (collected now) or for
        tests that come with the check (None)."""
        if self.judge is not None:
            self.judge.discard()
            self.judge = None
        safe_fs.remove_tree(self.tests_dir)
        self.tests_digest = None
        if tests is not None and os.path.isdir(tests):
            copy_tests(tests, self.tests_dir)
            self.tests_digest = digest_tree(self.tests_dir)
        else:
            self.tests_dir.mkdir()
        self.judge = PreparedJudge.start(self.base, self.subject.sock, self.limits, self.sandboxed,
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
            fd = os.open(self.base / name, os.O_RDONLY | os.O_DIRECTORY | os.O_NOFOLLOW)
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
        """Stop both sandboxes, then delete the folder (nothing in it runs any more)."""
        if self.judge is not None:
            self.judge.discard()
            self.judge = None
        self.subject.stop()
        cgroups.sweep()
        try:
            safe_fs.remove_tree(self.base)
        except OSError:
            pass  # swept by the next worker of this user
