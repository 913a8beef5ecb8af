"""Rules across the fields of one row, declared as data on a write schema.

A write schema lists them in its ``checks`` class attribute. The same objects are used three
ways, so they cannot drift apart:

- the schema's own ``load`` runs them on the values it loaded (``StrictSchema.load``), so a
  create that breaks one is refused with an error on the check's ``field``;
- a service runs them again on the row as it would be after an update (stored values with
  the sent ones over them), as a partial load cannot see the stored values;
- ``sync/rules.json`` describes them to devices (``describe``), which check the same before
  saying "saved".

Each check names the ``fields`` it reads and the ``field`` its error is put on. Rules that need
other rows (the theme of the plan's catalogue, a påbud's deadline after the visit's date, the
extensions of a legal deadline) are not here: they stay in the services.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any, ClassVar


@dataclass(frozen=True)
class DateOrder:
    """``later`` may not come before ``earlier`` when both are set."""

    earlier: str
    later: str
    field: str
    message: str

    @property
    def fields(self) -> tuple[str, ...]:
        return (self.earlier, self.later)

    def problem(self, values: Mapping[str, Any]) -> str | None:
        earlier, later = values.get(self.earlier), values.get(self.later)
        if earlier and later and later < earlier:
            return self.message
        return None

    def describe(self) -> dict[str, Any]:
        return {
            "rule": "date_order",
            "fields": list(self.fields),
            "field": self.field,
            "message": self.message,
        }


@dataclass(frozen=True)
class _Conditional:
    """A rule on ``field`` that depends on ``other``: on its being set, or, with ``values``,
    on its being one of them."""

    field: str
    other: str
    message: str
    values: tuple[str, ...] | None = None
    rule: ClassVar[str]

    @property
    def fields(self) -> tuple[str, ...]:
        return (self.field, self.other)

    def describe(self) -> dict[str, Any]:
        described: dict[str, Any] = {
            "rule": self.rule,
            "fields": list(self.fields),
            "field": self.field,
            "when": self.other,
            "message": self.message,
        }
        if self.values is not None:
            described["in"] = list(self.values)
        return described


@dataclass(frozen=True)
class OnlyWhen(_Conditional):
    """``field`` may hold a value (not empty) only when ``other`` is set, or, with ``values``,
    only when ``other`` is one of them."""

    rule: ClassVar[str] = "only_when"

    def problem(self, values: Mapping[str, Any]) -> str | None:
        if not values.get(self.field):
            return None
        other = values.get(self.other)
        allowed = bool(other) if self.values is None else other in self.values
        return None if allowed else self.message


@dataclass(frozen=True)
class RequiredWhen(_Conditional):
    """``field`` must hold a value (text not blank) when ``other`` is set, or, with ``values``,
    when ``other`` is one of them."""

    rule: ClassVar[str] = "required_when"

    def problem(self, values: Mapping[str, Any]) -> str | None:
        other = values.get(self.other)
        applies = other is not None if self.values is None else other in self.values
        value = values.get(self.field)
        present = bool(value.strip()) if isinstance(value, str) else value is not None
        return self.message if applies and not present else None


Check = DateOrder | OnlyWhen | RequiredWhen


def check_problems(checks: tuple[Check, ...], values: Mapping[str, Any]) -> dict[str, list[str]]:
    """The reasons each field is refused by ``checks`` on ``values`` (empty: all pass)."""
    problems: dict[str, list[str]] = {}
    for check in checks:
        reason = check.problem(values)
        if reason is not None:
            problems.setdefault(check.field, []).append(reason)
    return problems
