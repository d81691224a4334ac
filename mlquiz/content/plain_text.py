"""Markdown as plain, linear text: for screen readers, pipes and one-line summaries.

Built on markdown-it-py's token stream (no regexes over the markdown), so
emphasis, backticks and fences disappear while their words stay:

>>> print(plain_text("## Why\\n\\nA **big** `fit()` call.\\n\\n```python\\nx = 1\\n```"))
Heading: Why
<BLANKLINE>
A big fit() call.
<BLANKLINE>
Code:
x = 1
End of code.

One-line summaries of items (`mlquiz.content.summaries`) are drawn from
`prose_paragraphs`.

Headings are announced as words ("Heading: ..."), code blocks and quotes are
set off by a line before and after, list items start with "- " or "1. ";
nothing else of the markdown syntax reaches the output. No textual import:
`mlquiz study --plain` and `mlquiz review --plain` use it, and so may a screen.
"""
from __future__ import annotations

from functools import lru_cache
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from markdown_it import MarkdownIt
    from markdown_it.token import Token

CODE_START = "Code:"
CODE_END = "End of code."
QUOTE_START = "Quote:"
QUOTE_END = "End of quote."


@lru_cache(maxsize=1)
def _parser() -> MarkdownIt:
    from markdown_it import MarkdownIt

    return MarkdownIt("commonmark").enable(["table", "strikethrough"])


def plain_text(markdown: str) -> str:
    """The markdown as labelled plain text, paragraphs separated by one blank line."""
    if not markdown or not markdown.strip():
        return ""
    blocks = _Renderer().render(_parser().parse(markdown))
    return "\n\n".join(blocks)


def inline_text(markdown: str) -> str:
    """One paragraph's words without markup, on one line: inline_text("*so* `x`") == "so x"."""
    return " ".join(plain_text(markdown).split())


def labelled(label: str, markdown: str) -> str:
    """The text after a label: labelled("Reality", "*Not* so.") == "Reality: Not so.";
    a body that starts with a code block, quote, list or heading starts on its own line."""
    body = plain_text(markdown)
    if not body:
        return ""
    if body.startswith((CODE_START, QUOTE_START, "Table:", "Heading:", "- ", "1. ")):
        return f"{label}:\n{body}"
    return f"{label}: {body}"


def prose_paragraphs(markdown: str) -> list[str]:
    """The words of each paragraph, heading and list item, in order, on one line each;
    code, quotes and tables left out (what a one-line summary is drawn from).

    >>> prose_paragraphs("```\\nlog line\\n```\\n\\nWhich *signal* is this?")
    ['Which signal is this?']
    """
    tokens = _parser().parse(markdown or "")
    paragraphs = []
    for index, token in enumerate(tokens):
        if (token.type == "inline" and index
                and tokens[index - 1].type in ("paragraph_open", "heading_open")
                and not _inside_quote(tokens, index)):
            text = " ".join(_inline(token).split())
            if text:
                paragraphs.append(text)
    return paragraphs


def _inside_quote(tokens: list[Token], index: int) -> bool:
    depth = 0
    for token in tokens[:index]:
        if token.type == "blockquote_open":
            depth += 1
        elif token.type == "blockquote_close":
            depth -= 1
    return depth > 0


def _inline(token: Token) -> str:
    """The words of an inline token: emphasis dropped, code spans bare, links 'text (url)'."""
    parts: list[str] = []
    links: list[str | None] = []
    for child in token.children or ():
        kind = child.type
        if kind in ("text", "code_inline", "html_inline"):
            parts.append(child.content)
        elif kind == "softbreak":
            parts.append(" ")
        elif kind == "hardbreak":
            parts.append("\n")
        elif kind == "image":
            parts.append(child.content or "image")
        elif kind == "link_open":
            links.append(str(child.attrs.get("href") or "") or None)
        elif kind == "link_close":
            href = links.pop() if links else None
            if href and not "".join(parts).endswith(href):
                parts.append(f" ({href})")
    return "".join(parts)


class _Renderer:
    """Walks the block tokens once and collects finished blocks of text."""

    def __init__(self) -> None:
        self.blocks: list[str] = []
        self.lists: list[_List] = []
        self.item_lines: list[list[str]] = []  # lines of each open list item or quote
        self.table_rows: list[list[str]] | None = None
        self.heading = False

    def emit(self, text: str) -> None:
        if self.item_lines:
            self.item_lines[-1].append(text)
        else:
            self.blocks.append(text)

    def render(self, tokens: list[Token]) -> list[str]:
        for token in tokens:
            handler = getattr(self, f"_{token.type}", None)
            if handler is not None:
                handler(token)
        return [block for block in self.blocks if block.strip()]

    # --- blocks ---------------------------------------------------------------

    def _heading_open(self, token: Token) -> None:
        self.heading = True

    def _heading_close(self, token: Token) -> None:
        self.heading = False

    def _inline(self, token: Token) -> None:
        text = _inline(token).strip()
        if self.table_rows is not None:
            self.table_rows[-1].append(" ".join(text.split()))
        elif self.heading:
            self.emit(f"Heading: {' '.join(text.split())}")
        elif text:
            self.emit(text)

    def _fence(self, token: Token) -> None:
        self.emit(_code_block(token.content))

    _code_block = _fence

    def _html_block(self, token: Token) -> None:
        self.emit(token.content.strip())

    def _hr(self, token: Token) -> None:
        pass  # a blank line already separates the blocks around it

    def _blockquote_open(self, token: Token) -> None:
        self.item_lines.append([])

    def _blockquote_close(self, token: Token) -> None:
        lines = self.item_lines.pop()
        self.emit("\n".join([QUOTE_START, *lines, QUOTE_END]))

    # --- lists ------------------------------------------------------------------

    def _bullet_list_open(self, token: Token) -> None:
        self.lists.append(_List(ordered=False, number=1))

    def _ordered_list_open(self, token: Token) -> None:
        start = token.attrs.get("start", 1)
        self.lists.append(_List(ordered=True, number=int(start) if start is not None else 1))

    def _bullet_list_close(self, token: Token) -> None:
        self.emit("\n".join(self.lists.pop().items))

    _ordered_list_close = _bullet_list_close

    def _list_item_open(self, token: Token) -> None:
        self.item_lines.append([])

    def _list_item_close(self, token: Token) -> None:
        lines = self.item_lines.pop()
        current = self.lists[-1]
        marker = f"{current.number}. " if current.ordered else "- "
        current.number += 1
        current.items.append(marker + "\n".join(lines).replace("\n", "\n" + " " * len(marker)))

    # --- tables -------------------------------------------------------------------

    def _table_open(self, token: Token) -> None:
        self.table_rows = []

    def _tr_open(self, token: Token) -> None:
        if self.table_rows is not None:
            self.table_rows.append([])

    def _table_close(self, token: Token) -> None:
        rows, self.table_rows = self.table_rows or [], None
        if not rows:
            return
        header, body = rows[0], rows[1:]
        lines = [f"Table: {', '.join(header)}"]
        for number, row in enumerate(body, 1):
            cells = "; ".join(f"{name}: {value}" if name else value
                              for name, value in zip(header, row))
            lines.append(f"Row {number}: {cells}")
        self.emit("\n".join(lines))


class _List:
    def __init__(self, *, ordered: bool, number: int) -> None:
        self.ordered = ordered
        self.number = number
        self.items: list[str] = []


def _code_block(code: str) -> str:
    return f"{CODE_START}\n{code.rstrip()}\n{CODE_END}"
