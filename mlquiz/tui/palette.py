"""Command palette (ctrl+p): jump to any module, any mode of a module, or any step.

>>> app.COMMANDS  # includes CoursePalette  # doctest: +SKIP
"""
from __future__ import annotations

from functools import partial

from textual.command import DiscoveryHit, Hit, Hits, Provider

from mlquiz.tui.modes import MODES


class ListedCommands(Provider):
    """A palette provider over a list of (text, help, command): `_commands()` gives it."""

    def _commands(self) -> list:
        raise NotImplementedError

    async def discover(self) -> Hits:
        for text, help_text, command in self._commands():
            yield DiscoveryHit(text, command, help=help_text)  # type: ignore[arg-type]

    async def search(self, query: str) -> Hits:
        matcher = self.matcher(query)
        for text, help_text, command in self._commands():
            score = matcher.match(text)
            if score > 0:
                yield Hit(score, matcher.highlight(text), command, text=text,  # type: ignore[arg-type]
                          help=help_text)


class CoursePalette(ListedCommands):
    """One command per module, per (module, mode) and per build-up step."""

    def _commands(self) -> list[tuple[str, str, object]]:
        app = self.app
        ctx = app.ctx  # type: ignore[attr-defined]
        commands: list[tuple[str, str, object]] = [
            ("Home", "the course's modules", app.action_go_home),  # type: ignore[attr-defined]
            ("Progress", "accuracy over time, test scores, streak", app.action_progress),  # type: ignore[attr-defined]
        ]
        for module in ctx.course.modules:
            commands.append((f"{module.title}", "open the module page",
                             partial(app.open_module, module.id)))  # type: ignore[attr-defined]
            for m in MODES:
                commands.append((f"{module.title}: {m.title}", m.description,
                                 partial(app.open_screen, module.id, m.key)))  # type: ignore[attr-defined]
            for number, step in enumerate(module.lesson.steps, start=1):
                commands.append((f"{module.title}: step {number} {step.title}",
                                 f"{step.level} build-up step",
                                 partial(app.open_screen, module.id, "buildup", step.id)))  # type: ignore[attr-defined]
        return commands

