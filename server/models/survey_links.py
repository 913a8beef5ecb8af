"""Survey links: a questionnaire that reaches its respondent (seed 004; issue 18, point 7).

Seed 004 sends a questionnaire to staff, commissioners and partners every February (answers by
1 March) and asks each client after a closed intervention. A manager makes one link per
respondent; the respondent opens it on a phone, with no account, and answers once::

    units ─* survey_links ─0..1 case_records     (a closed case, never the client)
                 │
                 └─ answered: a survey_responses row, the same as one typed in by staff

A link's token is shown once, when it is made (or made anew), and stored only as its SHA-256:
a copy of the database opens no survey. The link keeps no trace of which response it became
(``answered_on`` is a date), so a label such as "Samarbetspartner 3" says who answered, not
what. Links are not synced: they are made and read online, where the token is shown.
"""

from __future__ import annotations

import uuid
from datetime import date, datetime

from sqlalchemy import CheckConstraint, Date, ForeignKey, Integer, String, Uuid
from sqlalchemy.orm import Mapped, mapped_column

from server import clock
from server.extensions import Model
from server.models.quality import RESPONDENTS, SURVEYS
from server.models.types import UTCDateTime

LINK_LANGUAGES = ("sv", "da", "en")
MAX_LINKS_PER_REQUEST = 200
# answered, withdrawn and expired are final; ``state_of`` in services/survey_links.py.
LINK_STATES = ("open", "answered", "expired", "withdrawn")


def _in(values: tuple[str, ...]) -> str:
    return "(" + ", ".join(f"'{v}'" for v in values) + ")"


class SurveyLink(Model):
    """One respondent's way into one survey: single use, until ``expires_on`` (inclusive)."""

    __tablename__ = "survey_links"

    id: Mapped[uuid.UUID] = mapped_column(Uuid, primary_key=True, default=uuid.uuid4)
    # Where the answer goes: an enhet, or the verksamhet itself (the yearly survey).
    unit_id: Mapped[uuid.UUID] = mapped_column(
        Uuid, ForeignKey("units.id"), nullable=False, index=True
    )
    survey: Mapped[str] = mapped_column(String(30), nullable=False)
    respondent: Mapped[str] = mapped_column(String(20), nullable=False)
    # The closed case an end-of-intervention link asks about (the answer names it, as a typed-in
    # one does, and is deleted with it). No foreign key, as in the push outbox: a deleted case's
    # tombstone must be free to go (sync-gc keeps referenced ones), and a link to a case no
    # longer there is answered as withdrawn.
    case_record_id: Mapped[uuid.UUID | None] = mapped_column(Uuid, index=True)
    # 1, 2, 3 ... per unit: what the manager calls the link in the re-send list.
    number: Mapped[int] = mapped_column(Integer, nullable=False)
    # The manager's own note of whom it went to ("Samarbetspartner BUP"), never shown to anyone
    # else and never a personnummer.
    label: Mapped[str | None] = mapped_column(String(100))
    language: Mapped[str] = mapped_column(String(2), nullable=False)
    # SHA-256 (hex) of the token in the link; the token itself is never stored.
    token_hash: Mapped[str] = mapped_column(String(64), nullable=False, unique=True)
    expires_on: Mapped[date] = mapped_column(Date, nullable=False)
    created_by: Mapped[uuid.UUID | None] = mapped_column(Uuid, ForeignKey("users.id"))
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, nullable=False)
    # When the current token was issued (made anew for a reminder: the old one stops working).
    issued_at: Mapped[datetime] = mapped_column(UTCDateTime, nullable=False)
    issued_count: Mapped[int] = mapped_column(Integer, nullable=False, default=1)
    answered_on: Mapped[date | None] = mapped_column(Date)
    withdrawn_at: Mapped[datetime | None] = mapped_column(UTCDateTime)

    __table_args__ = (
        CheckConstraint(f"survey IN {_in(SURVEYS)}", name="survey"),
        CheckConstraint(f"respondent IN {_in(RESPONDENTS)}", name="respondent"),
        CheckConstraint(f"language IN {_in(LINK_LANGUAGES)}", name="language"),
    )

    @property
    def state(self) -> str:
        return state_of(self, clock.now().date())


def state_of(link: SurveyLink, today: date) -> str:
    """open, answered, expired or withdrawn on ``today`` (LINK_STATES)."""
    if link.answered_on is not None:
        return "answered"
    if link.withdrawn_at is not None:
        return "withdrawn"
    if today > link.expires_on:
        return "expired"
    return "open"
