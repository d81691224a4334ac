"""The outcome of one exercise check: ✓/✗ per hidden test with its message, or a syntax error.

>>> results = CheckResults(id="results")        # doctest: +SKIP
>>> results.show(outcome.result)                 # a mlquiz.grading CheckResult  # doctest: +SKIP
>>> results.plain                                # what the learner reads, as plain text  # doctest: +SKIP
'✗ 1 of 6 checks pass\\n✓ Offline scores still match ...'
"""
from __future__ import annotations

from rich.table import Table
from rich.text import Text
from textual.widgets import Static

IDLE = "Save and check with ctrl+s: the hidden tests run on your files."


def results_table(result) -> Table:
    """A CheckResult as a two-column grid (mark, words), so long messages wrap under the words."""
    grid = Table.grid(padding=(0, 1))
    grid.add_column(width=1, no_wrap=True)
    grid.add_column(ratio=1)
    if result.passed:
        grid.add_row(Text("✓", style="bold green"),
                     Text(f"All {len(result.tests)} checks pass.", style="bold green"))
    else:
        grid.add_row(Text("✗", style="bold red"), Text(result.summary, style="bold red"))
    problem = result.syntax_error
    if problem is not None:
        lines = Text("Python cannot read this file, so no check ran.\n")
        if problem.source_line:
            lines.append(f"    {problem.source_line}\n", style="bold")
            lines.append(f"    {problem.caret}", style="bold red")
        grid.add_row("", lines)
        return grid
    for test in result.tests:
        if test.passed:
            grid.add_row(Text("✓", style="green"), Text(test.name))
            continue
        words = Text(test.name, style="bold")
        where = f" ({test.location})" if test.location else ""
        words.append(f"\n{test.message}{where}", style="not bold")
        grid.add_row(Text("✗", style="bold red"), words)
    if result.output.strip() and not result.passed:
        printed = "\n".join(result.output.rstrip("\n").splitlines()[-8:])
        grid.add_row("", Text(f"Your code printed:\n{printed}", style="dim"))
    return grid


def results_plain(result) -> str:
    """The same words without styling (tests and screen readers)."""
    lines = [f"✓ All {len(result.tests)} checks pass." if result.passed else f"✗ {result.summary}"]
    if result.syntax_error is not None:
        lines.append(result.syntax_error.render())
        return "\n".join(lines)
    for test in result.tests:
        lines.append(f"{'✓' if test.passed else '✗'} {test.name}")
        if not test.passed:
            lines.append(f"  {test.message}")
    return "\n".join(lines)


class CheckResults(Static):
    """Where the latest check's verdict is shown; a hint of what to do until the first check."""

    def __init__(self, **kwargs) -> None:
        super().__init__(IDLE, markup=False, **kwargs)
        self.result = None
        self.plain = IDLE

    def _set(self, renderable, plain: str, passed: bool | None) -> None:
        self.plain = plain
        self.set_class(passed is True, "-passed")
        self.set_class(passed is False, "-failed")
        self.update(renderable)

    def idle(self, message: str = IDLE) -> None:
        self.result = None
        self._set(message, message, None)

    def checking(self) -> None:
        message = "Checking… the hidden tests are running on your files."
        self._set(Text(message, style="italic"), message, None)

    def rechecking(self, done: int, total: int) -> None:
        """The learner's check passed and was the last: every other exercise runs again."""
        message = (f"✓ That was the last one. Checking every other exercise again, to be sure "
                   f"they still pass: {done} of {total}…")
        self._set(Text(message, style="italic"), message, None)

    def show(self, result) -> None:
        self.result = result
        self._set(results_table(result), results_plain(result), result.passed)

    def show_error(self, message: str) -> None:
        self._set(Text(f"✗ {message}", style="bold red"), f"✗ {message}", False)
