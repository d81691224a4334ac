"""The progress plot fits 80 columns however many answers a learner has given."""
from mlquiz.tui.screens.progress import plot_lines


def test_a_long_history_still_fits_80_columns_and_says_older_runs_scrolled_off():
    lines = plot_lines("Flashcards", [(4, 5)] * 120)
    assert all(len(line) + 4 <= 80 for line in lines), lines   # the screen pads 2 a side
    assert lines[-1].strip() == "last 5: 4 of 5 right (older runs scrolled off)"
