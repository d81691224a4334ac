"""Four versions of a small review-sentiment model, as the model registry keeps them.

    predict = MODELS["v3"]
    predict("Great service, thanks Maria.")   # -> probability the review is positive
    label(0.73)                                # -> "positive"

You do not need to change this file: your suite in behaviour.py tests these models.
"""
import math
import re

LEXICON = {
    "great": 1.0, "good": 0.8, "clean": 0.6, "friendly": 0.8, "lovely": 0.9,
    "delicious": 1.0, "fast": 0.5, "thanks": 0.3,
    "bad": -0.8, "rude": -1.0, "dirty": -0.8, "slow": -0.5, "cold": -0.4,
    "awful": -1.0, "terrible": -1.0,
}
NEGATORS = {"not", "never", "no", "wasnt", "isnt", "werent"}


def sigmoid(z):
    return 1.0 / (1.0 + math.exp(-z))


def label(probability):
    return "positive" if probability > 0.5 else "negative"


def words(text):
    return re.findall(r"[a-z]+", text.lower().replace("'", ""))


def sentences(text):
    return max(1, len([part for part in re.split(r"[.!?]+", text) if part.strip()]))


def polarity(tokens, lexicon, handle_negation=True):
    total, flip_left = 0.0, 0
    for token in tokens:
        if handle_negation and token in NEGATORS:
            flip_left = 3  # a negator flips the next sentiment word within three words
            continue
        weight = lexicon.get(token, 0.0)
        if weight and flip_left:
            weight, flip_left = -weight, 0
        elif flip_left:
            flip_left -= 1
        total += weight
    return total


def v1(text):
    """The first release: word weights only, no idea what 'not' means."""
    return sigmoid(polarity(words(text), LEXICON, handle_negation=False))


def v2(text):
    """Retrained on data that included a spam campaign signed 'Ahmed'."""
    return sigmoid(polarity(words(text), {**LEXICON, "ahmed": -1.5}))


def v3(text):
    """The current model: word weights with negation."""
    return sigmoid(polarity(words(text), LEXICON))


def v4(text):
    """Retrained on a sample where long reviews were mostly five-star ones."""
    return sigmoid(polarity(words(text), LEXICON) + 1.2 * (sentences(text) - 1))


MODELS = {"v1": v1, "v2": v2, "v3": v3, "v4": v4}
