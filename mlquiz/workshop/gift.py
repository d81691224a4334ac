"""Read Moodle GIFT: multiple-choice and true/false questions, texts as markdown.

>>> parsed = parse_gift("::Q1:: What is CACE? {=Changing anything changes everything#Yes ~A cache#No}")
>>> parsed.questions[0].options, parsed.questions[0].answer
(('Changing anything changes everything', 'A cache'), 'A')

The rules are Moodle's importer's (question/format/gift/format.php): blocks
are separated by blank lines; `//` lines are comments; `\\: \\# \\= \\{ \\} \\~
\\n \\\\` are escapes; a text may start with a format marker `[html]`,
`[moodle]`, `[plain]` or `[markdown]` (options and feedback inherit the
question's); the type is told by the answers in Moodle's order: empty is an
essay, `#` numerical, any `~` multiple choice (so a `->` in a feedback does
not make it matching), `=` with `->` matching, T/F true-false, else short
answer. HTML becomes markdown (gift_html).

Numerical questions (`{#0.0875:0.001}`, `{#min..max}`, several answers with
`=` and weights) become numeric questions: the 100% answer is the right value,
0% answers are common wrong values with their feedback.

Nothing is dropped silently: a question mlquiz cannot hold (essay,
matching, short answer, several right answers, broken braces, bytes that are
not UTF-8) is named in `warnings` with its line and counted in `skipped`;
what an imported question loses (an image, partial credit) is warned about too.
"""
from __future__ import annotations

import re
from dataclasses import dataclass, field

from mlquiz.content.models import LETTERS, letter
from mlquiz.workshop.gift_html import FORMATS, to_markdown

# Escapes -> private-use placeholders while the structure is read (as Moodle does).
_BACKSLASH = "\ue000"
_PLACEHOLDERS = {"\\:": "\ue001", "\\#": "\ue002", "\\=": "\ue003", "\\{": "\ue004",
                 "\\}": "\ue005", "\\~": "\ue006", "\\n": "\ue007", "-\\>": "\ue008"}
_RESTORE = {"\ue001": ":", "\ue002": "#", "\ue003": "=", "\ue004": "{", "\ue005": "}",
            "\ue006": "~", "\ue007": "\n", "\ue008": "->", _BACKSLASH: "\\"}
_WEIGHT = re.compile(r"%(-?\d{1,3}(?:\.\d*)?)%")
_HINT_COMMENT = re.compile(r"//\s*question:\s*(\S+)\s+hint:\s*(.*)$")
_LINE_BREAK = re.compile(r"\r\n|\r|\n")
_FORMAT = re.compile(r"\[(" + "|".join(FORMATS) + r")\]")


@dataclass(frozen=True)
class GiftQuestion:
    """One question as read from GIFT: enough to write a content YAML entry."""

    name: str
    stem: str
    options: tuple[str, ...]
    answer: str
    feedback: tuple[tuple[str, str], ...]
    general_feedback: str
    category: str
    line: int
    hint: str = ""  # from the `// question: ID  hint: ...` comment an mlquiz export writes
    number: GiftNumber | None = None  # a numerical question: options and answer stay empty


@dataclass(frozen=True)
class GiftNumber:
    """A numerical question's right value and margin, and its 0% answers as wrong values
    ((value, margin, feedback) each)."""

    value: float
    margin: float
    wrong_values: tuple[tuple[float, float, str], ...] = ()
    feedback: str = ""  # the right answer's own feedback


@dataclass
class GiftParse:
    questions: list[GiftQuestion] = field(default_factory=list)
    warnings: list[str] = field(default_factory=list)
    skipped: int = 0  # questions named in a warning and not imported


class _Skip(Exception):
    """This question cannot be imported; the message says why and what to do."""


def _hide_escapes(text: str) -> str:
    text = text.replace("\\\\", _BACKSLASH)
    for escape, placeholder in _PLACEHOLDERS.items():
        text = text.replace(escape, placeholder)
    return text


def _restore(text: str) -> str:
    return text.translate(str.maketrans(_RESTORE))


def unescape(text: str) -> str:
    """'a \\= b' -> 'a = b'."""
    return _restore(_hide_escapes(text)).strip()


@dataclass
class _Block:
    line: int                  # first line of the block
    lines: list[str]           # comment lines blanked, so offsets map to lines
    bad_bytes: list[tuple[int, int, int]] = field(default_factory=list)  # (line, col, byte)
    comments: list[str] = field(default_factory=list)  # right before it and inside it

    def line_of(self, offset: int, text: str) -> int:
        return self.line + text.count("\n", 0, offset)


def _decode(source: bytes | str) -> tuple[list[str], dict[int, tuple[int, int]]]:
    """Lines of the file and, per line number, (column, byte) of its first non-UTF-8 byte."""
    if isinstance(source, str):
        return _LINE_BREAK.split(source.lstrip("\ufeff")), {}
    if source.startswith((b"\xff\xfe", b"\xfe\xff")):  # UTF-16 with its byte order mark
        try:
            return _decode(source.decode("utf-16"))
        except UnicodeDecodeError:
            pass
    if source.startswith(b"\xef\xbb\xbf"):
        source = source[3:]
    lines, bad = [], {}
    for number, raw in enumerate(re.split(rb"\r\n|\r|\n", source), start=1):
        try:
            lines.append(raw.decode("utf-8"))
        except UnicodeDecodeError as error:
            bad[number] = (len(raw[: error.start].decode("utf-8", "replace")) + 1, raw[error.start])
            lines.append(raw.decode("utf-8", "replace"))
    return lines, bad


def _blocks(lines: list[str], bad: dict[int, tuple[int, int]]) -> list[_Block]:
    blocks: list[_Block] = []
    current: _Block | None = None
    comments: list[str] = []
    for number, raw in enumerate(lines, start=1):
        line = raw.rstrip()
        if not line.strip():
            current, comments = None, []
            continue
        is_comment = line.lstrip().startswith("//")
        if current is None:
            if is_comment:
                comments.append(line.strip())  # a comment before a question is not part of it
                continue
            current = _Block(number, [], comments=comments)
            comments = []
            blocks.append(current)
        elif is_comment:
            current.comments.append(line.strip())
        current.lines.append("" if is_comment else line)
        if number in bad:
            current.bad_bytes.append((number, *bad[number]))
    return blocks


def _label(name: str) -> str:
    return f"'{name}'" if name else "a question"


def _split_format(text: str, default: str) -> tuple[str, str]:
    """('[html]<p>x</p>', 'moodle') -> ('<p>x</p>', 'html'); markers never stay in the text."""
    stripped = text.lstrip()
    marker = _FORMAT.match(stripped)
    if marker:
        return stripped[marker.end():], marker.group(1)
    return text, default


class _Reader:
    """Reads one block; collects the warnings about what an imported question loses."""

    def __init__(self, where: str, label: str, notes: list[str]):
        self.where, self.label, self.notes = where, label, notes

    def text(self, raw: str, fmt: str, part: str, *, inline: bool = False) -> str:
        """One text (stem, option, feedback) as markdown, its own format marker removed;
        `inline` for an option, which is one line (no markdown line break)."""
        body, fmt = _split_format(raw, fmt)
        try:
            converted = to_markdown(_restore(body), fmt, inline=inline)
        except ValueError as error:
            raise _Skip(f"has {part} HTML that cannot be converted ({error}); "
                        "simplify it in Moodle's editor and export again") from None
        for lost in converted.lost:
            self.notes.append(f"{self.where}: {self.label} {part}: {lost} cannot be carried "
                              "into mlquiz and was left out; add it to the question by hand")
        return converted.text


def _answers_type(answers: str) -> str:
    """Moodle's order of tests on the text between the braces."""
    if not answers:
        return "essay"
    if answers.startswith("#"):
        return "numerical"
    if "~" in answers:
        return "multichoice"
    if "=" in answers and "->" in answers:
        return "matching"
    truth = answers.split("#", 1)[0].strip().upper()
    if truth in ("T", "TRUE", "F", "FALSE"):
        return "truefalse"
    return "shortanswer"


_UNSUPPORTED = {
    "essay": "is an essay question; mlquiz has no free-text answers",
    "matching": "is a matching question; mlquiz has no matching",
    "shortanswer": "is a short-answer question (every answer is right); "
                   "mlquiz needs wrong options too",
}


def _read_block(block: _Block, filename: str, category: str, notes: list[str]) -> GiftQuestion:
    hidden = _hide_escapes("\n".join(block.lines)).strip()
    text = hidden
    where = f"{filename}:{block.line}"
    name = ""
    if text.startswith("::"):
        end = text.find("::", 2)
        if end > 0:
            name, text = _restore(text[2:end]).strip(), text[end + 2:].lstrip()
    label = _label(name)
    if block.bad_bytes:
        line, col, byte = block.bad_bytes[0]
        raise _Skip(f"has byte 0x{byte:02X} at line {line} col {col}, which is not UTF-8 "
                    "(the file was saved in another encoding); save it as UTF-8 and import again")
    open_at, close_at = text.find("{"), text.find("}")
    offset = len(hidden) - len(text)  # where `text` starts in the block
    line_at = lambda i: block.line_of(offset + i, hidden)
    if open_at < 0 and close_at < 0:
        raise _Skip("has no answer block {...} (a description, or answers left out)")
    if close_at < 0:
        raise _Skip(f"opens its answers with '{{' on line {line_at(open_at)} but never closes "
                    "them with '}'; add the '}', or escape a literal brace as \\{")
    if open_at < 0 or close_at < open_at:
        raise _Skip(f"has a '}}' on line {line_at(close_at)} with no '{{' before it; "
                    "escape a literal brace as \\}")
    inner = text.find("{", open_at + 1)
    if 0 <= inner < close_at:
        raise _Skip(f"has a second '{{' on line {line_at(inner)} inside its answers; "
                    "escape a literal brace as \\{")
    after = text[close_at + 1:]
    if "{" in after or "}" in after:
        at = close_at + 1 + min(i for i in (after.find("{"), after.find("}")) if i >= 0)
        raise _Skip(f"has a second answer block or a stray brace on line {line_at(at)}; "
                    "mlquiz takes one answer block per question (escape literal braces)")
    answers, general_raw = text[open_at + 1:close_at].strip(), None
    gf_at = answers.rfind("####")  # the general feedback goes first, as in Moodle
    if gf_at >= 0:
        answers, general_raw = answers[:gf_at].strip(), answers[gf_at + 4:]
    kind = _answers_type(answers)
    if kind in _UNSUPPORTED:
        raise _Skip(_UNSUPPORTED[kind])

    reader = _Reader(where, label, notes)
    stem_raw, fmt = _split_format(text[:open_at], "moodle")
    stem = reader.text(stem_raw, fmt, "stem")
    if after.strip():
        stem = f"{stem} _____ {reader.text(after, fmt, 'stem')}"
    general = reader.text(general_raw, fmt, "general feedback") if general_raw else ""
    if kind == "numerical":
        number = _numerical(answers[1:], fmt, reader)
        if not stem and (stem_raw.strip() or not name):
            raise _Skip("has no question text left (an image alone cannot be carried); "
                        "add a sentence to its text")
        return GiftQuestion(name=name, stem=stem or name, options=(), answer="", feedback=(),
                            general_feedback=general, category=category, line=block.line,
                            hint=_exported_hint(block, name), number=number)
    if kind == "truefalse":
        options, right, feedback = _true_false(answers, fmt, reader)
    else:
        options, right, feedback = _multiple_choice(answers, fmt, reader)
    if not stem and (stem_raw.strip() or not name):
        raise _Skip("has no question text left (an image alone cannot be carried); "
                    "add a sentence to its text")
    empty = [letter(i) for i, option in enumerate(options) if not option]
    if empty:
        raise _Skip(f"has option {', '.join(empty)} with no text left (an image alone cannot be "
                    "carried); give it words")
    return GiftQuestion(name=name, stem=stem or name, options=tuple(options),
                        answer=letter(right), feedback=tuple(feedback), general_feedback=general,
                        category=category, line=block.line, hint=_exported_hint(block, name))


def _exported_hint(block: _Block, name: str) -> str:
    """The hint an mlquiz export keeps in `// question: ID  hint: TEXT` (Moodle ignores it)."""
    for comment in block.comments:
        found = _HINT_COMMENT.match(comment)
        if found and found.group(1) == name:
            return re.sub(r"\\([\\n])", lambda m: "\n" if m.group(1) == "n" else "\\",
                          found.group(2)).strip()
    return ""


def _true_false(answers: str, fmt: str, reader: _Reader):
    value, *rest = answers.split("#", 2)
    truth = value.strip().upper() in ("T", "TRUE")
    # GIFT: the first feedback is shown for a wrong answer, the second for a right one.
    wrong_fb = reader.text(rest[0], fmt, "feedback") if rest else ""
    right_fb = reader.text(rest[1], fmt, "feedback") if len(rest) > 1 else ""
    right_letter, wrong_letter = ("A", "B") if truth else ("B", "A")
    feedback = sorted((k, v) for k, v in ((right_letter, right_fb), (wrong_letter, wrong_fb)) if v)
    return ["True", "False"], (0 if truth else 1), feedback


_NUMBER = r"[+-]?(?:\d+\.?\d*|\.\d+)(?:[eE][+-]?\d+)?"
_NUMERIC_ANSWER = re.compile(rf"\s*({_NUMBER})\s*(?:(\.\.)\s*({_NUMBER})|:\s*({_NUMBER}))?\s*$")


def _number_spec(text: str) -> tuple[float, float]:
    """'0.0875:0.001' -> (0.0875, 0.001); '1..3' -> (2.0, 1.0); '5' -> (5.0, 0.0)."""
    found = _NUMERIC_ANSWER.match(_restore(text))
    if not found:
        raise _Skip(f"has a numerical answer '{_restore(text).strip()}' that is not value, "
                    "value:margin or min..max")
    first = float(found.group(1))
    if found.group(2):
        low, high = sorted((first, float(found.group(3))))
        return (low + high) / 2, (high - low) / 2
    margin = abs(float(found.group(4))) if found.group(4) else 0.0
    return first, margin


def _numerical(answers: str, fmt: str, reader: _Reader) -> GiftNumber:
    """Moodle's numerical forms: `#value:margin`, `#min..max`, or `#=value:margin#fb
    =%0%wrong:margin#fb ...`: the 100% answer is the right one, 0% ones are common wrong
    values with their feedback; partial credit cannot be kept (a note says so)."""
    body = answers.strip()
    pieces = [body] if not body.startswith("=") else [p for p in body.split("=")[1:]]
    right: tuple[float, float, str] | None = None
    wrong: list[tuple[float, float, str]] = []
    for piece in pieces:
        piece = piece.strip()
        weight = _WEIGHT.match(piece)
        value_weight = 100.0
        if weight:
            piece, value_weight = piece[weight.end():], float(weight.group(1))
        spec, _, fb = piece.partition("#")
        value, margin = _number_spec(spec)
        feedback = reader.text(fb, fmt, "answer feedback") if fb.strip() else ""
        if value_weight >= 100 and right is None:
            right = (value, margin, feedback)
            continue
        if 0 < value_weight < 100:
            reader.notes.append(f"{reader.where}: {reader.label} gives {value:g} partial credit "
                                f"({weight.group(1)}%); mlquiz has one right value, so it counts "
                                "as a common wrong value")
        wrong.append((value, margin, feedback))
    if right is None:
        raise _Skip("has no numerical answer worth 100%; mark the right value with = or %100%")
    return GiftNumber(right[0], right[1], tuple(wrong), right[2])


def _multiple_choice(answers: str, fmt: str, reader: _Reader):
    pieces = answers.replace("=", "~=").split("~")
    if pieces[0].strip():
        raise _Skip("has text before its first answer (~ or =); start each answer with ~ or =")
    options, feedback, right, partial = [], [], [], []
    for piece in pieces[1:]:
        piece = piece.strip()
        is_right = piece.startswith("=")
        if is_right:
            piece = piece[1:]
        else:
            weight = _WEIGHT.match(piece)
            if weight:
                piece = piece[weight.end():]
                value = float(weight.group(1))
                if value >= 100:
                    is_right = True
                elif value != 0:
                    partial.append((letter(len(options)), weight.group(1)))
        text, _, fb = piece.partition("#")
        part = f"option {letter(len(options))}" if len(options) < len(LETTERS) else "an option"
        if is_right:
            right.append(len(options))
        options.append(reader.text(text, fmt, part, inline=True))
        if fb.strip():
            feedback.append((letter(len(options) - 1), reader.text(fb, fmt, f"{part} feedback")))
    if not right and any(float(value) > 0 for _, value in partial):
        raise _Skip("is a multiple-answer question (options give partial credit and none is "
                    "marked =); mlquiz has exactly one right answer")
    if not right:
        raise _Skip("has no right answer (=); mark the right option with =")
    if len(right) > 1:
        raise _Skip(f"has {len(right)} right answers (=); mlquiz keeps exactly one")
    if len(options) > len(LETTERS):
        raise _Skip(f"has {len(options)} options; mlquiz takes at most {len(LETTERS)}")
    for option_letter, value in partial:
        what = "partial credit" if float(value) > 0 else "a penalty"
        reader.notes.append(f"{reader.where}: {reader.label} gives option {option_letter} {what} "
                            f"({value}%); mlquiz has one right answer and takes no marks away, "
                            "so it counts as plainly wrong")
    return options, right[0], feedback


def parse_gift(source: str | bytes, *, filename: str = "<gift>") -> GiftParse:
    """Every question of a GIFT text (or the raw bytes of a file), or a warning naming it."""
    lines, bad = _decode(source)
    result = GiftParse()
    category = ""
    for block in _blocks(lines, bad):
        first = block.lines[0].lstrip()
        if first.startswith("$CATEGORY:"):
            category = unescape(first[len("$CATEGORY:"):])
            rest, start = block.lines[1:], block.line + 1
            while rest and not rest[0].strip():  # comment lines between them
                rest, start = rest[1:], start + 1
            if not rest:
                continue
            block = _Block(start, rest, [b for b in block.bad_bytes if b[0] >= start])
            result.warnings.append(
                f"{filename}:{block.line}: the question right under $CATEGORY was imported; "
                "Moodle reads it as part of the category name, so put a blank line between them")
        notes: list[str] = []
        try:
            question = _read_block(block, filename, category, notes)
        except _Skip as why:
            name = _question_name(block)
            result.warnings.append(f"{filename}:{block.line}: {_label(name)} {why}; skipped")
            result.skipped += 1
            continue
        result.warnings.extend(notes)
        result.questions.append(question)
    return result


def _question_name(block: _Block) -> str:
    text = _hide_escapes("\n".join(block.lines)).strip()
    if text.startswith("::"):
        end = text.find("::", 2)
        if end > 0:
            return _restore(text[2:end]).strip()
    return ""
