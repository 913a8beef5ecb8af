"""Which new passwords are refused, and the one reason a person is told.

A password is refused when it is shorter than 8 characters or when zxcvbn (Dropbox's
estimator of how many guesses a password takes, pinned in pyproject.toml) scores it below 3
of 4, "safely unguessable" (about 10^8 guesses or more). zxcvbn knows common passwords, English
words and names, keyboard patterns, dates, repeats and sequences; it is also given the words an
attacker would try for this user (their email, its parts, their name) and a few words common
in Danish and Swedish passwords that its English lists lack. Only the first 72 characters are
scored (zxcvbn's own limit; longer ones take it too long).

The reason is the first that applies, as a fixed string (a later change translates them):

    too short        fewer than 8 characters
    personal         scored low and contains the user's name or email (or a part of them)
    common           scored low and is, or is built on, a common password
    guessable        scored low otherwise (a pattern, a date, a short phrase)

Every path that sets a password goes through ``check_new_password`` (``auth.hash_password``);
the only exception is the fixed demo password (``auth.hash_demo_password``).
"""

from __future__ import annotations

import re

from zxcvbn import zxcvbn

from server.i18n import _l
from server.services.errors import InvalidInput

MIN_LENGTH = 8
MIN_SCORE = 3
SCORED_LENGTH = 72

SHORT_PASSWORD = _l("The password is too short.")
WEAK_PASSWORD = _l("The password is too easy to guess.")
TOO_SHORT = _l("Use at least 8 characters.")
PERSONAL = _l("Do not use your name or email address in the password.")
COMMON = _l("This is a commonly used password. Choose one that is not.")
GUESSABLE = _l("This password is easy to guess. Use a longer phrase of unusual words.")

# What a guesser tries first in Danish and Swedish that zxcvbn's English lists lack: the app,
# "password", "secret", seasons, "welcome", the employer.
NORDIC_COMMON_WORDS = (
    "folg",
    "følg",
    "kodeord",
    "adgangskode",
    "hemmelig",
    "lösenord",
    "losenord",
    "hemlig",
    "sommer",
    "sommar",
    "vinter",
    "efterår",
    "hösten",
    "foråret",
    "våren",
    "velkommen",
    "välkommen",
    "kommune",
    "kommun",
    "region",
)


def check_new_password(password: str, *, email: str, name: str) -> None:
    """Raise ``InvalidInput`` on ``password`` with the reason, if the password is refused."""
    reason = password_problem(password, email=email, name=name)
    if reason is not None:
        message = SHORT_PASSWORD if reason == TOO_SHORT else WEAK_PASSWORD
        raise InvalidInput(message, fields={"password": [reason]})


def password_problem(password: str, *, email: str, name: str) -> str | None:
    if len(password) < MIN_LENGTH:
        return TOO_SHORT
    personal = _personal_words(email, name)
    result = zxcvbn(
        password[:SCORED_LENGTH], user_inputs=[*personal, *NORDIC_COMMON_WORDS], max_length=72
    )
    if result["score"] >= MIN_SCORE:
        return None
    matches = result["sequence"]
    if any(_is_personal(match, personal) for match in matches):
        return PERSONAL
    if any(_is_common(match) for match in matches):
        return COMMON
    return GUESSABLE


def _personal_words(email: str, name: str) -> list[str]:
    email = email.strip().lower()
    local, _, domain = email.partition("@")
    words = {email, local, name.strip().lower()}
    words.update(re.split(r"[\W_]+", local))
    words.update(domain.split(".")[:-1])  # not the top-level domain ("dk", "se")
    words.update(name.lower().split())
    return sorted(word for word in words if len(word) >= 3)


def _is_personal(match: dict, personal: list[str]) -> bool:
    return match.get("dictionary_name") == "user_inputs" and match["matched_word"] in personal


def _is_common(match: dict) -> bool:
    return match.get("dictionary_name") == "passwords" or (
        match.get("dictionary_name") == "user_inputs"
        and match["matched_word"] in NORDIC_COMMON_WORDS
    )
