"""The app's key map, written once: each key has one meaning on every screen.

Screens build their bindings from it (`binding("next", "next")`), so the
Footer, the help screen (`?`) and the welcome screen show the same key and
the same words.

>>> KEY_MAP["next"].display, KEY_MAP["next"].label
('→', 'Next')
>>> binding("hint", "hint").description
'Hint'
"""
from __future__ import annotations

from dataclasses import dataclass

from textual.binding import Binding


@dataclass(frozen=True)
class Key:
    keys: str      # Textual key names, comma-separated ("" when the row only explains)
    display: str   # how the key is written on screen
    label: str     # the Footer's word for it
    meaning: str   # the sentence shown by help and welcome


_ROWS: tuple[tuple[str, Key], ...] = (
    ("open", Key("enter", "enter", "Open", "open, start or confirm the highlighted thing")),
    ("move", Key("", "tab ↑ ↓", "", "move between the things on a screen; tab also reaches "
                                  "a lesson's links to the modules before and after it")),
    ("choose", Key("a,b,c,d", "a-d", "Pick", "pick a choice")),
    ("yes_no", Key("y,n", "y / n", "Yes / No", "yes or no: a myth, or a question the app asks")),
    ("next", Key("right", "→", "Next", "next item; in Practice before answering, skip it "
                                       "(it comes back later)")),
    ("previous", Key("left", "←", "Previous", "previous item")),
    ("hint", Key("h", "h", "Hint", "a hint (Practice, Review)")),
    ("solution", Key("s", "s", "Solution", "the worked solution (Practice); the answer "
                     "without predicting (Build-up)")),
    ("flip", Key("space", "space", "Flip", "flip a flashcard")),
    ("rate", Key("1,2,3,4", "1-4", "Rate", "rate a card: 1 again, 2 hard, 3 good, 4 easy")),
    ("certainty", Key("1,2,3", "1-3", "How sure",
                      "how sure you are (a test with certainty marking): 1 not sure, "
                      "2 fairly sure, 3 certain")),
    ("marking", Key("m", "m", "Certainty marking", "certainty marking on or off (a test, before it starts)")),
    ("end_test", Key("e", "e", "End test", "end an unfinished test (recorded as abandoned)")),
    ("contents", Key("t", "t", "Contents", "the contents: Deep dive sections, Build-up steps")),
    ("back", Key("escape", "esc", "Back", "back")),
    ("continue", Key("c", "c", "Continue", "continue where you left off (home)")),
    ("review", Key("r", "r", "Review", "today's review (home)")),
    ("progress", Key("p", "p", "Progress", "your progress (home)")),
    ("palette", Key("ctrl+p", "ctrl+p", "Jump", "jump to any module, mode or step")),
    ("theme", Key("ctrl+t", "ctrl+t", "Theme", "light or dark theme")),
    ("help", Key("question_mark", "?", "Help", "help: this screen's keys and these")),
    ("quit", Key("q", "q", "Quit", "quit; everything is already saved")),
)
KEY_MAP: dict[str, Key] = dict(_ROWS)

EXERCISE_ROWS: tuple[tuple[str, str], ...] = (
    ("ctrl+s", "save and check: the hidden tests run on your files"),
    ("ctrl+g", "the next hint"),
    ("ctrl+n", "the next file"),
    ("ctrl+o", "open the file in your own editor"),
    ("ctrl+l", "the reference solution, after a pass (again: hide it)"),
    ("f2", "the task text, shown or hidden"),
    ("ctrl+r", "reset your files to the starter (asks first)"),
)

# Kept for callers that list the keys as (display, meaning) rows.
KEYS: tuple[tuple[str, str], ...] = tuple((k.display, k.meaning) for _role, k in _ROWS)


def binding(role: str, action: str, label: str | None = None, *, show: bool = True,
            priority: bool = False) -> Binding:
    """The binding of a key-map role to `action`; `label` overrides the Footer word."""
    key = KEY_MAP[role]
    return Binding(key.keys, action, label or key.label, show=show, key_display=key.display,
                   priority=priority)


def choice_bindings(count: int = 4) -> list[Binding]:
    """a, b, c... calling `action_choose(letter)`; one entry ("a-d Pick") shows in the Footer."""
    letters = "abcdefghij"[:count]
    bindings = [Binding(letters[0], "choose('A')", KEY_MAP["choose"].label,
                        key_display=f"a-{letters[-1]}")]
    bindings += [Binding(k, f"choose('{k.upper()}')", show=False) for k in letters[1:]]
    return bindings


def yes_no_bindings() -> list[Binding]:
    """y -> choose('A') (yes), n -> choose('B') (no); one Footer entry."""
    return [Binding("y", "choose('A')", KEY_MAP["yes_no"].label, key_display="y / n"),
            Binding("n", "choose('B')", show=False)]


def certainty_bindings() -> list[Binding]:
    """1-3 calling `action_certainty(n)`; one Footer entry."""
    return [Binding("1", "certainty(1)", KEY_MAP["certainty"].label, key_display="1-3"),
            Binding("2", "certainty(2)", show=False),
            Binding("3", "certainty(3)", show=False)]


def rating_bindings() -> list[Binding]:
    """1-4 calling `action_rate(n)`; one Footer entry."""
    return [Binding("1", "rate(1)", KEY_MAP["rate"].label, key_display="1-4"),
            *(Binding(str(n), f"rate({n})", show=False) for n in (2, 3, 4))]


def key_rows(*, exercises: bool = False) -> list[tuple[str, str]]:
    """(key as shown, meaning) for every key of the map (help and welcome list these)."""
    rows = [(k.display, k.meaning) for _role, k in _ROWS]
    return rows + list(EXERCISE_ROWS) if exercises else rows


def meaning_of(display: str, label: str) -> str:
    """The key map's sentence for a key shown as `display`, else the Footer `label`."""
    for _role, key in _ROWS:
        if key.display == display and (key.label == label or not label):
            return key.meaning
    for shown, meaning in EXERCISE_ROWS:
        if shown == display:
            return meaning
    return label


def keys_table(rows: list[tuple[str, str]]):
    """Rows as a two-column grid: keys right-aligned, meanings wrapping under themselves."""
    from rich.table import Table
    from rich.text import Text

    grid = Table.grid(padding=(0, 2))
    grid.add_column(justify="right", no_wrap=True, min_width=8)
    grid.add_column(ratio=1)
    for key, what in rows:
        grid.add_row(Text(key, style="bold"), Text(what))
    return grid


def keys_markup(*, exercises: bool = False) -> str:
    """The key map as Rich markup, two columns."""
    return "\n".join(f"[b]{key:>8}[/b]  {what}" for key, what in key_rows(exercises=exercises))


class KeysText:
    """Mixin for a Static showing `keys_table(rows)`: `.plain_text` is what it reads."""

    rows: list[tuple[str, str]]

    @property
    def plain_text(self) -> str:
        return "\n".join(f"{key}  {what}" for key, what in self.rows)
