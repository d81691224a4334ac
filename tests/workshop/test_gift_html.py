"""Moodle editor HTML as markdown: what survives, and what is named as lost."""
from __future__ import annotations

from markdown_it import MarkdownIt

from mlquiz.workshop.gift_html import to_markdown


def rendered(markdown: str) -> str:
    """The HTML mlquiz's markdown renderer makes of it (markdown-it, as the app uses)."""
    return MarkdownIt("commonmark").render(markdown)


def test_editor_markup_becomes_markdown_that_renders_the_same_way():
    html = ('<p dir="ltr" style="text-align: left;">A <strong>silent</strong> failure in '
            '<em>feature_store</em>:<br>the log says <code>dtype=object</code> &amp; 3 &lt; 4.</p>'
            '<ul><li>one</li><li>two</li></ul>')
    converted = to_markdown(html, "html")
    assert converted.lost == ()
    out = rendered(converted.text)
    assert "<strong>silent</strong>" in out and "<em>feature_store</em>" in out
    assert "<br />" in out, "a line break stays a line break"
    assert "<code>dtype=object</code>" in out and "&amp; 3 &lt; 4." in out
    assert "<li>one</li>" in out and "<li>two</li>" in out


def test_a_code_block_keeps_its_lines_and_language():
    html = '<pre><code class="language-python">if a &lt; b:\n    x_y = {1: 2}</code></pre>'
    assert to_markdown(html, "html").text == "```python\nif a < b:\n    x_y = {1: 2}\n```"


def test_what_markdown_cannot_hold_is_named():
    html = ('<p>Watch <video src="@@PLUGINFILE@@/a.mp4"></video> then read '
            '<a href="@@PLUGINFILE@@/notes%20week%201.pdf">the notes</a> and '
            '<a href="https://example.org/psi">this</a>.</p><iframe src="x"></iframe>')
    converted = to_markdown(html, "html")
    assert converted.lost == ("a video", "an embedded file (notes week 1.pdf)", "an embedded frame")
    assert "the notes" in converted.text and "[this](https://example.org/psi)" in converted.text


def test_moodle_format_is_converted_only_when_it_holds_markup():
    assert to_markdown("3 < 4 and *not* emphasis", "moodle").text == "3 < 4 and *not* emphasis"
    assert to_markdown("<p>two</p><p>paragraphs</p>", "moodle").text == "two\n\nparagraphs"
    assert to_markdown("**kept** as written", "markdown").text == "**kept** as written"
    plain = rendered(to_markdown("<b>literal</b> 2 * 3 * 4\n# not a heading", "plain").text)
    assert "<b>" not in plain and "&lt;b&gt;literal" in plain and "2 * 3 * 4" in plain
    assert "<h1>" not in plain and "# not a heading" in plain
