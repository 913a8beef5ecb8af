"""Keeping the individual follow-up pseudonymous (seed 004; docs/data-model.md, Personal data).

A case record is known by a **case code**, never by a name or a personnummer. Two rules:

- a case code is at most three letters (an optional prefix), then groups of at most five
  digits joined by hyphens: ``BJ-2026-014``, ``17``, ``ÖV-3``. Four letters in a row would
  allow a first name ("Anna-1"); six digits in a row would allow a date of birth;
- no free-text field of the quality follow-up (and not the code) may hold something shaped like
  a Swedish personnummer or samordningsnummer: ``YYMMDD-NNNN``, ``YYMMDD+NNNN``,
  ``YYYYMMDDNNNN``, ``YYMMDDNNNN``, with the day plus 60 for a samordningsnummer. A phone
  number that happens to look like one is refused too, which is no loss: it is personal data.

Plain functions, no Flask; the schemas (``server/schemas/quality.py``) call them for every
field, so REST, CSV import and sync push refuse the same things.
"""

from __future__ import annotations

import re

from server.i18n import _l

# Century optional; month 01-12; day 01-31, or 61-91 for a samordningsnummer; an optional
# separator; four digits. Not inside a longer run of digits.
_IDENTITY_NUMBER = re.compile(
    r"(?<!\d)(?:(?:18|19|20)?\d{2})"
    r"(?:0[1-9]|1[0-2])"
    r"(?:0[1-9]|[12]\d|3[01]|6[1-9]|[78]\d|9[01])"
    r"[-+ ]?\d{4}(?!\d)"
)
_CASE_CODE = re.compile(r"(?:[A-Za-zÅÄÖåäö]{1,3}-?)?\d{1,5}(?:-\d{1,5}){0,2}")
CASE_CODE_PATTERN = _CASE_CODE  # what sync/rules.json gives devices

IDENTITY_NUMBER_REASON = _l(
    "Looks like a personnummer or samordningsnummer. The follow-up is pseudonymous: "
    "write no identity numbers (nor phone numbers)."
)
CASE_CODE_REASON = _l(
    "A case code is at most three letters and then digits in groups of at most five, "
    "joined by hyphens (e.g. BJ-2026-014): never a name or a personnummer."
)


def contains_identity_number(text: str) -> bool:
    """Whether ``text`` holds something shaped like a personnummer or samordningsnummer."""
    return bool(_IDENTITY_NUMBER.search(text))


def case_code_problem(code: str) -> str | None:
    """Why ``code`` is not an acceptable case code, or None if it is."""
    if contains_identity_number(code):
        return IDENTITY_NUMBER_REASON
    if not _CASE_CODE.fullmatch(code):
        return CASE_CODE_REASON
    return None


# ---- small groups ----------------------------------------------------------------------------

# A group of clients smaller than this is not shown with its outcomes: in an enhet, "the one
# woman over 65 whose intervention was interrupted" is a person. Five is the smallest group
# Socialstyrelsen's open statistics commonly show; the number is a judgement, said once here.
MIN_GROUP = 5


def suppressed_groups(counts: dict[str, int]) -> set[str]:
    """The groups whose figures are not shown: those with fewer than ``MIN_GROUP`` cases, and,
    if that is exactly one group, also the smallest shown one, since the total less the shown
    groups would give the hidden one away. Groups with no cases are not groups."""
    present = {k: n for k, n in counts.items() if n > 0}
    hidden = {k for k, n in present.items() if n < MIN_GROUP}
    shown = sorted((n, k) for k, n in present.items() if k not in hidden)
    if len(hidden) == 1 and shown:
        hidden.add(shown[0][1])
    return hidden
