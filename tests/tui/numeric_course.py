"""A copy of the app's fixture course whose first module asks numeric questions."""
from __future__ import annotations

import shutil
from pathlib import Path

FIXTURE_COURSE = Path(__file__).parent / "fixtures" / "course"

NUMERIC_QUESTIONS = """\
questions:
- id: q-num-psi
  difficulty: easy
  kind: calculation
  answer_type: number
  stem: What is the PSI of the four bins?
  number:
    value: 0.2282
    tolerance: 0.005
    wrong_values:
    - value: -0.2282
      tolerance: 0.005
      feedback: Sign flipped feedback.
  hint: Numeric hint text.
  solution:
  - title: Sum the terms
    text: Numeric worked step.
  final_answer: About 0.23.
  quick_check: Numeric quick check.
  common_mistakes:
  - Numeric common mistake.
  tags:
  - step-1
- id: q-num-latency
  difficulty: medium
  kind: calculation
  answer_type: number
  stem: What is the latency threshold?
  number:
    value: 209.74
    relative_tolerance: 0.01
    units: ms
    wrong_values:
    - value: 196.01
      tolerance: 0.5
      feedback: One deviation feedback.
  hint: Latency hint.
  solution:
  - title: Mean plus three
    text: Latency worked step.
  final_answer: About 210 ms.
  quick_check: Latency quick check.
  common_mistakes:
  - Latency common mistake.
  tags:
  - step-2
- id: q-choice
  difficulty: hard
  kind: term
  stem: Lettered question stem?
  options:
  - Option A
  - Option B
  answer: A
  hint: Choice hint.
  solution:
  - title: Think
    text: Choice worked step.
  final_answer: Option A.
  quick_check: Choice quick check.
  common_mistakes:
  - Choice mistake.
  tags:
  - step-1
  feedback:
    B: Feedback for B.
"""


def numeric_course(tmp_path: Path) -> Path:
    """The fixture course, with tiny-debt's questions replaced by two numeric and one lettered."""
    course = tmp_path / "numeric-course"
    shutil.copytree(FIXTURE_COURSE, course)
    (course / "tiny-debt" / "questions.yaml").write_text(NUMERIC_QUESTIONS, encoding="utf-8")
    return course
