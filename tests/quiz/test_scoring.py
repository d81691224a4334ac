import pytest

from mlquiz.quiz.scoring import cbm_mark, verdict


@pytest.mark.parametrize("certainty, right, wrong", [(1, 1, 0), (2, 2, -2), (3, 3, -6)])
def test_cbm_marks_reward_right_certainty_and_punish_wrong_certainty(certainty, right, wrong):
    assert cbm_mark(True, certainty) == right
    assert cbm_mark(False, certainty) == wrong


@pytest.mark.parametrize("certainty", [0, 4, None, "2"])
def test_cbm_refuses_a_certainty_outside_1_to_3(certainty):
    with pytest.raises(ValueError):
        cbm_mark(True, certainty)


@pytest.mark.parametrize("fraction, expected", [
    (0.0, "weak"), (0.49, "weak"), (0.5, "developing"), (0.7, "developing"),
    (0.79, "developing"), (0.8, "strong"), (1.0, "strong"), (8 / 10, "strong"), (2 / 4, "developing"),
])
def test_verdict_bands(fraction, expected):
    assert verdict(fraction) == expected
