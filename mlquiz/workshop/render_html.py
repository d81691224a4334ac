"""The report as one self-contained HTML page, through a Jinja2 template with autoescaping.

>>> page = render_html(report)          # doctest: +SKIP

Learner names, answers, question and exercise ids and anything imported are
untrusted: every value reaches the page through the template, so it is escaped
(autoescape on, no `|safe` anywhere) and cleaned of control characters and bidi
overrides (`terminal_text.clean`); the page holds no script and loads nothing:
its style is inline.
"""
from __future__ import annotations

from functools import lru_cache

from mlquiz.workshop import peer_render
from mlquiz.workshop.peer import SWITCH_KEYS
from mlquiz.workshop.report import ModuleReport, QuestionRow, Report

CSS = """
body{font-family:system-ui,sans-serif;margin:2rem auto;max-width:70rem;color:#1d2330;font-size:18px}
h1{font-size:2rem}h2{margin-top:2.5rem;border-bottom:2px solid #d0d6e2}
table{border-collapse:collapse;width:100%}td,th{padding:.35rem .6rem;text-align:left;border-bottom:1px solid #e3e7ef}
th{background:#f2f4f8}.flag{color:#b3261e;font-weight:600}.muted{color:#667}
.bar{fill:#3b6fd8}.bar.low{fill:#d8703b}svg text{font-size:13px;fill:#1d2330}
.q{border:1px solid #d0d6e2;border-radius:6px;padding:.6rem 1rem;margin:1rem 0}
.q h3{margin:.2rem 0 .4rem;font-size:1.15rem}.q .id{color:#667;font-size:.85rem;font-weight:400}
.figs{color:#333;margin:.2rem 0 .5rem}.opt{display:grid;grid-template-columns:2rem 1fr 12rem 4rem;
gap:.5rem;align-items:center;padding:.15rem 0}.opt .track{background:#eef0f4;height:1rem;border-radius:3px}
.opt .fill{height:1rem;border-radius:3px;background:#d84b3b}.opt.right .fill{background:#2e9d57}
.opt.weak .fill{background:#c9ccd3}.opt.right .text{font-weight:600}
"""

TEMPLATE = """{% macro table(t) %}<table><thead><tr>{% for h in t.headers %}<th>{{ h }}</th>{% endfor %}</tr></thead><tbody>{% for row in t.rows %}<tr>{% for c in row %}<td>{{ c }}</td>{% endfor %}</tr>{% endfor %}</tbody></table>{% endmacro -%}
<!doctype html>
<html lang="en"><head><meta charset="utf-8"><title>mlquiz report</title>
<style>{{ css }}</style></head><body>
<h1>What the room found hard</h1><p>{{ summary }}</p>
{% if warnings %}<p class="flag">{% for w in warnings %}{{ w }}{% if not loop.last %}<br>{% endif %}{% endfor %}</p>{% endif %}
{% for m in modules %}
<h2>{{ m.title }}</h2><p>{{ m.line }}</p>
{% if m.unfinished %}<p class="muted">{{ m.unfinished }}</p>{% endif %}
{% if not m.questions %}<p class="muted">No finished test yet.</p>{% else %}
<h3>Share of the room right, per question</h3>
<p class="muted">Orange: under 35% right. Moodle calls 35–64% about right.</p>
<svg role="img" aria-label="facility per question" width="880" height="{{ m.chart_height }}">
{% for bar in m.bars %}<text x="0" y="{{ bar.y + 16 }}"><title>{{ bar.title }}</title>{{ bar.label }}</text><rect class="{{ bar.cls }}" x="280" y="{{ bar.y }}" width="{{ '%.1f' % bar.width }}" height="20"/><text x="{{ '%.1f' % (288 + bar.width) }}" y="{{ bar.y + 16 }}">{{ bar.text }}</text>
{% endfor %}</svg>
<h3>Questions, hardest first</h3>
<p class="muted">Green: the right answer. Red: a distractor. Grey: a distractor picked by under 5% (not working, when n is large enough to tell).</p>
{% for q in m.questions %}<div class="q"><h3>{{ q.stem }} <span class="id">{{ q.id }}</span></h3>
<div class="figs">{{ q.figures }}</div><div class="figs">{% for f in q.flags %}<span class="flag">{{ f }}</span>; {% endfor %}{{ q.remarks }}</div>
{% for o in q.options %}<div class="opt {{ o.cls }}"><b>{{ o.letter }}</b><span class="text">{{ o.text }}{% if o.right %} ✓{% endif %}</span><div class="track"><div class="fill" style="width:{{ '%.1f' % o.width }}%"></div></div><span>{{ o.share }}</span></div>
{% endfor %}</div>
{% endfor %}{% endif %}
{% endfor %}
<h2>Learners</h2>{{ table(learners) }}
{% if exercises %}<h2>Exercises</h2>{{ table(exercises) }}{% endif %}
{% if peer %}<h2>{{ peer.title }}</h2><p class="muted">{{ peer.explain }}.</p>
{% for r in peer.results %}<div class="q"><h3>{{ r.title }} <span class="id">{{ r.item }} · {{ r.module }}</span></h3>
<svg width="420" height="56" role="img" aria-label="share right before and after">{% for b in r.bars %}<text x="0" y="{{ b.y + 15 }}">{{ b.label }}</text><rect x="80" y="{{ b.y }}" width="260" height="20" fill="#eef0f4"/><rect class="bar" x="80" y="{{ b.y }}" width="{{ b.width }}" height="20"/><text x="348" y="{{ b.y + 15 }}">{{ b.text }}</text>{% endfor %}</svg>
<p class="figs">gain {{ r.gain }} · {{ r.switches }}</p></div>
{% endfor %}{{ table(peer.table) }}{% endif %}
</body></html>
"""


@lru_cache(maxsize=1)
def _template():
    from jinja2 import Environment, StrictUndefined

    from markupsafe import Markup

    from mlquiz.terminal_text import clean

    def finalize(value):
        # Escaped by autoescape after this; control characters and bidi overrides go first,
        # so a name cannot make the line around it read backwards.
        return clean(value) if isinstance(value, str) and not isinstance(value, Markup) else value

    env = Environment(autoescape=True, undefined=StrictUndefined, keep_trailing_newline=True,
                      finalize=finalize)
    return env.from_string(TEMPLATE)


def render_html(report: Report) -> str:
    from markupsafe import Markup

    from mlquiz.workshop import render

    learners = render._learner_cells(report)
    exercises = render._exercise_cells(report)
    return _template().render(
        css=Markup(CSS),  # our own constant, the one value not escaped
        summary=render._summary_line(report),
        warnings=report.warnings,
        modules=[_module(m, report.first_attempts_only) for m in report.modules],
        learners={"headers": learners[0], "rows": learners[1]},
        exercises={"headers": exercises[0], "rows": exercises[1]} if report.exercises else None,
        peer=_peer(report),
    )


def _module(m: ModuleReport, first_only: bool) -> dict:
    from mlquiz.workshop import render

    return {"title": m.title, "line": render.module_line(m, first_only, title=False),
            "unfinished": render.unfinished_line(m.unfinished),
            "chart_height": 26 * len(m.questions) + 10,
            "bars": [_bar(i, q) for i, q in enumerate(m.questions)],
            "questions": [_card(q) for q in m.questions]}


def _bar(index: int, q: QuestionRow) -> dict:
    from mlquiz.workshop import render

    facility = q.facility or 0
    return {"y": 5 + 26 * index, "width": facility * 500, "cls": "bar low" if facility < 0.35 else "bar",
            "title": f"{q.stem} ({q.id})", "label": render._cut(q.stem, 36),
            "text": f"{render.facility_text(q.facility)} (n={q.attempts})"}


def _card(q: QuestionRow) -> dict:
    from mlquiz.workshop import render

    flags, remarks = render.question_notes(q)
    figures = (f"n={q.attempts} · facility {render.facility_text(q.facility)} · discrimination "
               f"{render.discrimination_text(q.discrimination)} · discriminative efficiency "
               f"{render.efficiency_text(q.efficiency)}")
    options = [{"letter": letter, "text": q.options.get(letter, ""), "right": letter == q.answer,
                "cls": "right" if letter == q.answer else ("weak" if letter in q.weak_distractors else ""),
                "width": share * 100, "share": render._pct(share)}
               for letter, share in q.option_shares.items()]
    return {"stem": q.stem, "id": q.id, "figures": figures, "flags": flags,
            "remarks": "; ".join(remarks), "options": options}


def _peer(report: Report) -> dict | None:
    if not report.peer:
        return None
    from mlquiz.workshop import render

    stems = render._stems(report)
    results = []
    for r in report.peer:
        bars = []
        for n, (label, value, count) in enumerate((("first vote", r.first_right, r.first_n),
                                                   ("revote", r.second_right, r.second_n))):
            bars.append({"y": 4 + n * 26, "label": label,
                         "width": 0 if value is None else round(260 * value),
                         "text": f"{peer_render._pct(value)} of {count}"})
        results.append({"title": stems.get(r.item, r.item), "item": r.item, "module": r.module,
                        "bars": bars, "gain": peer_render._gain(r.gain),
                        "switches": " · ".join(f"{k} {r.switches[k]}" for k in SWITCH_KEYS)})
    return {"title": peer_render.TITLE, "explain": peer_render.EXPLAIN, "results": results,
            "table": {"headers": peer_render.HEADERS, "rows": peer_render.rows(report.peer)}}
