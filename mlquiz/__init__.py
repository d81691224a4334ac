"""mlquiz: a terminal course and quiz engine.

Importing `mlquiz` imports nothing else: each part (content, progress, quiz,
grading, workshop, tui) is imported only when it is used, so
`mlquiz validate` never pays for the UI.
"""
__version__ = "0.1.0"
