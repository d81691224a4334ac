"""Texts of a GIFT file, in any of Moodle's four formats, as mlquiz markdown.

>>> to_markdown("<p>Which <b>file</b> is it?</p>", "html").text
'Which **file** is it?'
>>> to_markdown('<p>See <img src="@@PLUGINFILE@@/chart.png" alt="PSI chart"></p>', "html").lost
('an image (chart.png)',)

Moodle's editor exports HTML ([html]); the default [moodle] format may hold
HTML too; [markdown] is kept as written, and [plain] is escaped so it shows
as typed. The HTML is parsed by
BeautifulSoup and turned into markdown by markdownify; what markdown cannot
hold (images, embedded files, audio, video, frames, forms, scripts) is left
out and named in `lost`, so the importer can warn about it.
"""
from __future__ import annotations

from dataclasses import dataclass
from html.parser import HTMLParser
from urllib.parse import unquote

FORMATS = ("moodle", "html", "plain", "markdown")
# Elements whose content markdown cannot carry, and how a warning names them.
_MEDIA = {"video": "a video", "audio": "an audio clip", "iframe": "an embedded frame",
          "object": "an embedded object", "embed": "an embedded object",
          "form": "a form", "input": "a form field", "select": "a form field",
          "textarea": "a form field", "button": "a button", "canvas": "a drawing",
          "script": "a script", "svg": "a drawing"}
_EMBEDDED = "@@PLUGINFILE@@"


@dataclass(frozen=True)
class Converted:
    text: str
    lost: tuple[str, ...] = ()


def _converter_class():
    from markdownify import MarkdownConverter

    class _Converter(MarkdownConverter):
        """markdownify, noting what it cannot keep instead of keeping it silently."""

        def __init__(self, lost: list[str], *, inline: bool = False, **options):
            super().__init__(**options)
            self.lost, self.inline = lost, inline

        def convert_br(self, el, text, parent_tags):
            # An option is one line: its <br> is a space, not markdown's "\\" line break.
            return " " if self.inline else super().convert_br(el, text, parent_tags)

        def convert_img(self, el, text, parent_tags):
            source = el.get("src") or ""
            name = unquote(source.rsplit("/", 1)[-1]) if source else "no file"
            self.lost.append(f"an image ({name})")
            alt = (el.get("alt") or "").strip()
            return f"[image: {alt}]" if alt else ""

        def convert_a(self, el, text, parent_tags):
            href = el.get("href") or ""
            if href.startswith(_EMBEDDED):
                self.lost.append(f"an embedded file ({unquote(href.rsplit('/', 1)[-1])})")
                return text
            return super().convert_a(el, text, parent_tags)

        def escape(self, text, parent_tags):
            # '<' in prose must stay a character, not start an HTML tag in markdown.
            return super().escape(text, parent_tags).replace("<", "\\<")

    for tag, label in _MEDIA.items():
        def convert(self, el, text, parent_tags, label=label):
            self.lost.append(label)
            return ""
        setattr(_Converter, f"convert_{tag}", convert)
    return _Converter


_CONVERTER = None


def _language(el) -> str | None:
    """`<pre><code class="language-python">` (or the pre's own class) -> 'python'."""
    for node in (el, el.find("code")):
        for cls in (node.get("class") or []) if node is not None else []:
            if cls.startswith(("language-", "lang-")):
                return cls.split("-", 1)[1]
    return None


def html_to_markdown(html: str, *, inline: bool = False) -> Converted:
    """Raises ValueError when the HTML cannot be converted at all; `inline` gives one line
    (an option's text), its line breaks and paragraphs joined by spaces."""
    global _CONVERTER
    if _CONVERTER is None:
        _CONVERTER = _converter_class()
    lost: list[str] = []
    try:
        text = _CONVERTER(lost, inline=inline, heading_style="ATX", bullets="-", newline_style="BACKSLASH",
                          code_language_callback=_language,
                          escape_underscores=True, escape_asterisks=True).convert(html)
    except Exception as error:  # markdownify or bs4 failing on malformed input
        raise ValueError(f"{type(error).__name__}: {error}") from None
    text = text.replace("\xa0", " ")
    lines = [line.rstrip() for line in text.strip().splitlines()]
    text = one_line(lines) if inline else "\n".join(lines)
    return Converted(text, tuple(dict.fromkeys(lost)))


def one_line(lines: list[str]) -> str:
    """Lines joined by spaces, unless they hold a code block (whose lines must stay).

    >>> one_line(["Glue", "", "code"])
    'Glue code'
    """
    if any(line.lstrip().startswith(("```", "~~~")) for line in lines):
        return "\n".join(lines)
    return " ".join(line.strip() for line in lines if line.strip())


class _TagFinder(HTMLParser):
    found = False

    def handle_starttag(self, tag, attrs):
        self.found = True

    handle_startendtag = handle_starttag


def has_markup(text: str) -> bool:
    """True when the text holds at least one HTML element (parsed, not guessed).

    >>> has_markup("3 < 4"), has_markup("a<br>b")
    (False, True)
    """
    if "<" not in text:
        return False
    finder = _TagFinder()
    finder.feed(text)
    finder.close()
    return finder.found


_PLAIN_SPECIALS = str.maketrans({ch: "\\" + ch for ch in "\\`*_[]<"})


def plain_to_markdown(text: str) -> str:
    r"""Plain text shown as typed: the characters markdown would act on are escaped.

    >>> print(plain_to_markdown("# 2 * 3 <b>"))
    \# 2 \* 3 \<b>
    """
    lines = []
    for line in text.strip().split("\n"):
        line = line.translate(_PLAIN_SPECIALS)
        if line.lstrip().startswith(("#", ">", "- ", "+ ")):
            indent = len(line) - len(line.lstrip())
            line = line[:indent] + "\\" + line[indent:]
        lines.append(line)
    return "\n".join(lines)


def to_markdown(text: str, fmt: str, *, inline: bool = False) -> Converted:
    """`text` in GIFT format `fmt` (one of FORMATS) as markdown; `inline` (an option's
    text) turns HTML into one line: a <br> or a paragraph is a space, not a line break.

    >>> to_markdown("Glue<br>code", "html", inline=True).text
    'Glue code'
    """
    if fmt == "html" or (fmt == "moodle" and has_markup(text)):
        return html_to_markdown(text, inline=inline)
    if fmt == "plain":
        return Converted(plain_to_markdown(text))
    return Converted(text.strip())
