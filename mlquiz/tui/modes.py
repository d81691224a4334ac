"""The ten ways to study a module, and where each screen class lives.

Screens are imported only when a mode is opened, so startup pays for the home
screen alone.

>>> [m.key for m in MODES][:3]
['deep_dive', 'buildup', 'myths']
>>> mode("test").recommended
True
>>> cls = load_screen("practice")  # doctest: +SKIP
>>> app.push_screen(cls(ctx, "ml-technical-debt"))  # doctest: +SKIP

Every screen class takes `(ctx: AppContext, module_id: str, item: str | None = None)`;
`item` is the step/question/card to resume on.
"""
from __future__ import annotations

import importlib
from dataclasses import dataclass


@dataclass(frozen=True)
class Mode:
    key: str            # also the `screen` name saved in the position
    title: str
    description: str    # one line, shown on the module page
    target: str         # "package.module:ClassName", imported on first use
    recommended: bool = False
    shortcut: str = ""  # key that opens it on the module page


_SCREENS = "mlquiz.tui.screens"

MODES: tuple[Mode, ...] = (
    Mode("deep_dive", "Deep dive", "The whole lesson in order, with a table of contents.",
         f"{_SCREENS}.deep_dive:DeepDiveScreen", shortcut="1"),
    Mode("buildup", "Build-up", "Seven steps one at a time; predict before each reveal.",
         f"{_SCREENS}.buildup:BuildupScreen", shortcut="2"),
    Mode("myths", "Myth busters", "Say yes or no, then see the reality.",
         f"{_SCREENS}.myths:MythsScreen", shortcut="3"),
    Mode("practice", "Practice", "No test required: one question, hints, worked solutions.",
         f"{_SCREENS}.practice:PracticeScreen", shortcut="4"),
    Mode("test", "Test this pattern", "Ten questions, no hints, a verdict per difficulty.",
         f"{_SCREENS}.test:TestScreen", recommended=True, shortcut="5"),
    Mode("flashcards", "Flashcards", "Flip a card, rate how well you knew it.",
         f"{_SCREENS}.flashcards:FlashcardsScreen", shortcut="6"),
    Mode("review", "Review", "What is due today, across modes.",
         f"{_SCREENS}.review:ReviewScreen", shortcut="7"),
    Mode("pitfalls", "Pitfall clinic", "See the wrong approach, name its root cause.",
         f"{_SCREENS}.pitfalls:PitfallsScreen", shortcut="8"),
    Mode("cheat_sheet", "Cheat sheet", "Core idea, diagram and takeaways on one screen.",
         f"{_SCREENS}.cheat_sheet:CheatSheetScreen", shortcut="9"),
    Mode("exercises", "Hands-on exercises", "Fix debt-ridden code until the hidden tests pass.",
         f"{_SCREENS}.exercises:ExercisesScreen", shortcut="0"),
)

# Screens that are not study modes but can be resumed or named by `--start`.
OTHER_SCREENS: dict[str, str] = {
    "progress": f"{_SCREENS}.progress:ProgressScreen",
    "instructor": f"{_SCREENS}.instructor:InstructorScreen",
}

_BY_KEY = {m.key: m for m in MODES}


def mode(key: str) -> Mode:
    """The mode with that key; KeyError if there is none."""
    return _BY_KEY[key]


def is_mode(key: str) -> bool:
    return key in _BY_KEY


def target_of(screen: str) -> str:
    """The import path of a mode or other named screen; KeyError if unknown."""
    if screen in _BY_KEY:
        return _BY_KEY[screen].target
    return OTHER_SCREENS[screen]


def load_screen(screen: str) -> type:
    """Import and return the screen class for a mode key or other screen name
    (every one exists: tests/tui import them all)."""
    module_name, _, class_name = target_of(screen).partition(":")
    return getattr(importlib.import_module(module_name), class_name)
