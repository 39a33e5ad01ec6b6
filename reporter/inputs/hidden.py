"""Characters a reader cannot see that change what they read: bidi controls and invisible marks.

A U+202E (right-to-left override) at the end of a label prints "1,416" as "614,1"; a zero-width
space or a soft hyphen inside a figure hides it from every check that reads digits. None of them
has a place in a financial report's figures, labels or settings, so they are refused where they
are read: every string of a YAML file (reporter.inputs.yamlfile), the commentary (bidi controls
anywhere, other invisible characters next to a digit), and figures.csv (not a number).
"""

from __future__ import annotations

import unicodedata

# Explicit directional formatting: embeddings, overrides, isolates and the marks.
BIDI_CONTROLS = frozenset("\u061c\u200e\u200f\u202a\u202b\u202c\u202d\u202e\u2066\u2067\u2068\u2069")
# Invisible characters that are not format characters (category Cf) but show nothing either:
# Hangul fillers, the combining grapheme joiner, the Mongolian vowel separator.
OTHER_INVISIBLE = frozenset("\u034f\u115f\u1160\u3164\uffa0\u180e")


def is_hidden(character: str) -> bool:
    """Say whether a character changes the text without showing: Cf (bidi, zero-width, soft hyphen...)."""
    return unicodedata.category(character) == "Cf" or character in OTHER_INVISIBLE


def first_hidden(text: str) -> int | None:
    """Return the index of the first hidden character of `text`, or None."""
    return next((index for index, character in enumerate(text) if is_hidden(character)), None)


def first_hidden_in_figure(text: str) -> int | None:
    """Return the index of the first bidi control anywhere, or hidden character next to a digit."""
    for index, character in enumerate(text):
        if character in BIDI_CONTROLS:
            return index
        if is_hidden(character):
            around = text[max(index - 1, 0):index] + text[index + 1:index + 2]
            if any(c.isdigit() for c in around):
                return index
    return None


def describe(character: str) -> str:
    """Name a character for a message: `U+202E (RIGHT-TO-LEFT OVERRIDE)`."""
    name = unicodedata.name(character, "unnamed")
    return f"U+{ord(character):04X} ({name})"


def refusal(character: str) -> str:
    """The message for a hidden character, the same wherever it is found."""
    kind = "a bidi control" if character in BIDI_CONTROLS else "an invisible character"
    return (f"{kind}, {describe(character)}, is not allowed: it changes what the reader sees "
            "without showing (delete it)")
