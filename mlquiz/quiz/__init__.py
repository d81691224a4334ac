"""Sessions, scoring, review scheduling and mastery: the rules of studying.

Nothing here imports Textual; each module is imported on its own
(`from mlquiz.quiz.scheduler import Scheduler`), so this package file stays empty
of imports and importing one part never drags in the others.
"""
