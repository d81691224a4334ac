"""A lesson's "where it fits" links: the modules to take first and to go on to.

Each link takes focus, so a keyboard reaches it with tab (shift+tab back) and
opens that module's page with enter; a click opens it too.

>>> yield ModuleLinks([("Take first", [("1. Debt", "debt")]),
...                    ("Go on to", [("3. Drift", "drift")])])  # doctest: +SKIP
"""
from __future__ import annotations

from textual.app import ComposeResult
from textual.containers import Horizontal, Vertical
from textual.widgets import Label, Link

from mlquiz.tui import keys
from mlquiz.tui.lesson_sections import MODULE_LINK, LinkGroups


class ModuleLink(Link):
    """One module of the course, opened on its module page."""

    BINDINGS = [keys.binding("open", "open_link", "Open module")]

    def __init__(self, text: str, module_id: str, **kwargs) -> None:
        super().__init__(text, url=f"{MODULE_LINK}{module_id}", **kwargs)
        self.module_id = module_id

    def action_open_link(self) -> None:
        self.app.open_screen(self.module_id, "module")  # type: ignore[attr-defined]


class ModuleLinks(Vertical):
    """One line per linked module, its group's label ("Take first:") before the first."""

    DEFAULT_CSS = """
    ModuleLinks { height: auto; padding: 0 1; }
    ModuleLinks > Horizontal { height: auto; }
    ModuleLinks .fits-label { width: 12; text-style: italic; }
    ModuleLinks ModuleLink { width: auto; max-width: 1fr; }
    """

    def __init__(self, groups: LinkGroups, **kwargs) -> None:
        super().__init__(**kwargs)
        self.groups = groups

    def compose(self) -> ComposeResult:
        for label, links in self.groups:
            for number, (text, module_id) in enumerate(links):
                with Horizontal():
                    yield Label(f"{label}:" if number == 0 else "", classes="fits-label")
                    yield ModuleLink(text, module_id)

    @property
    def plain_text(self) -> str:
        return "\n".join(f"{label}: " + ", ".join(text for text, _id in links)
                         for label, links in self.groups)
