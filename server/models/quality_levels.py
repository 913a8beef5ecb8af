"""The follow-up levels of seed 003 beside the individual one: uppdrags-/avtalsuppföljning,
tematisk uppföljning and the sammanvägd bedömning of the year ("SoF ansvarar sedan för en
sammanvägd bedömning av kvaliteten för nämndens ansvarsområde")::

    a Swedish unit   ─* assignment_follow_ups  a follow-up of an uppdrag or avtal of the unit,
                                               or of an external utförare it commissions
                                               (private ones too)
                        ─* follow_up_deviations  each deviation found and the action required
                           (*─ quality_links ─ plan_items: the handlingsplan rows that answer it)
    se_verksamhet    ─* thematic_follow_ups    one theme (barnkonventionen, måltider) across the
                                               units in ``scope_unit_ids`` (all below it)
    a unit in scope  ─* thematic_results       that unit's result (one row per follow-up and unit)
    se_verksamhet    ─* overall_assessments    the sammanvägd bedömning of a year (one per year)

Who reads and writes which row is drawn in ``server/services/quality.py``. A unit's result of a
thematic follow-up is its own row in its own unit, so the other units in scope never receive
it; the follow-up itself (theme, question, scope, summary) is read by everyone below its
verksamhet, like the verksamhet's quality areas.
"""

from __future__ import annotations

import uuid
from datetime import date

from sqlalchemy import JSON, CheckConstraint, Date, ForeignKey, Integer, String, Text, Uuid
from sqlalchemy.orm import Mapped, mapped_column

from server.extensions import Model
from server.models.base import SyncedMixin

SUBJECT_KINDS = ("assignment", "contract")  # uppdrag, avtal
PROVIDER_KINDS = ("own", "private", "non_profit")  # egen regi, privat utförare, idéburen
# Does the unit meet the requirements (the intention of the uppdrag, the theme's demands)?
OUTCOMES = ("met", "partly_met", "not_met")
SHORT_TEXT = 200


def _in(values: tuple) -> str:
    return "(" + ", ".join(f"'{v}'" for v in values) + ")"


class AssignmentFollowUp(SyncedMixin, Model):
    """Uppdrags- eller avtalsuppföljning: "säkerställer att verksamheten följer intentionen i
    uppdraget/avtalet" (seed 003). ``unit_id`` is the unit whose uppdrag or avtal it is, or, for
    an utförare outside Følg, the unit that commissioned it (``provider_name`` names it)."""

    __tablename__ = "assignment_follow_ups"
    sync_table = "assignment_follow_ups"
    sync_fields = (
        "unit_id",
        "subject_kind",
        "subject",
        "provider_kind",
        "provider_name",
        "requirements",
        "method",
        "responsible_name",
        "planned_on",
        "done_on",
        "result",
        "outcome",
    )

    unit_id: Mapped[uuid.UUID] = mapped_column(
        Uuid, ForeignKey("units.id"), nullable=False, index=True
    )
    subject_kind: Mapped[str] = mapped_column(String(20), nullable=False, default="assignment")
    subject: Mapped[str] = mapped_column(String(SHORT_TEXT), nullable=False)
    provider_kind: Mapped[str] = mapped_column(String(20), nullable=False, default="own")
    provider_name: Mapped[str | None] = mapped_column(String(SHORT_TEXT))
    requirements: Mapped[str | None] = mapped_column(Text)
    method: Mapped[str | None] = mapped_column(Text)
    responsible_name: Mapped[str | None] = mapped_column(String(SHORT_TEXT))
    planned_on: Mapped[date | None] = mapped_column(Date)
    done_on: Mapped[date | None] = mapped_column(Date)
    result: Mapped[str | None] = mapped_column(Text)
    outcome: Mapped[str | None] = mapped_column(String(20))

    __table_args__ = (
        CheckConstraint(f"subject_kind IN {_in(SUBJECT_KINDS)}", name="subject_kind"),
        CheckConstraint(f"provider_kind IN {_in(PROVIDER_KINDS)}", name="provider_kind"),
        CheckConstraint(f"outcome IS NULL OR outcome IN {_in(OUTCOMES)}", name="outcome"),
    )


class FollowUpDeviation(SyncedMixin, Model):
    """A deviation an uppdrags-/avtalsuppföljning found, and the action it requires; the
    handlingsplan rows that carry the action link to it (``quality_links``)."""

    __tablename__ = "follow_up_deviations"
    sync_table = "follow_up_deviations"
    sync_fields = (
        "follow_up_id",
        "unit_id",
        "requirement",
        "description",
        "action_required",
        "due_date",
    )

    follow_up_id: Mapped[uuid.UUID] = mapped_column(
        Uuid, ForeignKey("assignment_follow_ups.id"), nullable=False, index=True
    )
    # The follow-up's, set by the server: the scope is one column, as for every synced row.
    unit_id: Mapped[uuid.UUID] = mapped_column(
        Uuid, ForeignKey("units.id"), nullable=False, index=True
    )
    requirement: Mapped[str | None] = mapped_column(Text)  # which requirement is not met
    description: Mapped[str] = mapped_column(Text, nullable=False)
    action_required: Mapped[str | None] = mapped_column(Text)
    due_date: Mapped[date | None] = mapped_column(Date)


class ThematicFollowUp(SyncedMixin, Model):
    """Tematisk uppföljning: "Hur arbetar/uppfyller olika verksamheter krav eller
    målsättningar avseende exempelvis barnkonventionen, måltider" (seed 003)."""

    __tablename__ = "thematic_follow_ups"
    sync_table = "thematic_follow_ups"
    sync_fields = (
        "unit_id",
        "theme",
        "question",
        "method",
        "responsible_name",
        "scope_unit_ids",
        "planned_on",
        "done_on",
        "summary",
    )

    unit_id: Mapped[uuid.UUID] = mapped_column(
        Uuid, ForeignKey("units.id"), nullable=False, index=True
    )
    theme: Mapped[str] = mapped_column(String(SHORT_TEXT), nullable=False)
    question: Mapped[str] = mapped_column(Text, nullable=False)
    method: Mapped[str | None] = mapped_column(Text)
    responsible_name: Mapped[str | None] = mapped_column(String(SHORT_TEXT))
    # The units followed up (ids as text), each below ``unit_id``.
    scope_unit_ids: Mapped[list] = mapped_column(JSON, nullable=False, default=list)
    planned_on: Mapped[date | None] = mapped_column(Date)
    done_on: Mapped[date | None] = mapped_column(Date)
    summary: Mapped[str | None] = mapped_column(Text)


class ThematicResult(SyncedMixin, Model):
    """One unit's result in a thematic follow-up. Its id is derived from (follow-up, unit)
    (``thematic_result_id``), so two devices answering for the same unit meet in the merge."""

    __tablename__ = "thematic_results"
    sync_table = "thematic_results"
    sync_fields = ("follow_up_id", "unit_id", "outcome", "result", "assessed_on")

    follow_up_id: Mapped[uuid.UUID] = mapped_column(
        Uuid, ForeignKey("thematic_follow_ups.id"), nullable=False, index=True
    )
    unit_id: Mapped[uuid.UUID] = mapped_column(
        Uuid, ForeignKey("units.id"), nullable=False, index=True
    )
    outcome: Mapped[str | None] = mapped_column(String(20))
    result: Mapped[str | None] = mapped_column(Text)
    assessed_on: Mapped[date | None] = mapped_column(Date)

    __table_args__ = (
        CheckConstraint(f"outcome IS NULL OR outcome IN {_in(OUTCOMES)}", name="outcome"),
    )


class OverallAssessment(SyncedMixin, Model):
    """The sammanvägd bedömning of a year for a verksamhet's whole area (the nämnd's, when
    the verksamhet is the top one), one text per level and the whole. Its id is derived from
    (unit, year) (``overall_assessment_id``): one per year, whichever device writes first."""

    __tablename__ = "overall_assessments"
    sync_table = "overall_assessments"
    sync_fields = (
        "unit_id",
        "year",
        "individual_level",
        "assignment_level",
        "thematic_level",
        "overall",
        "outcome",
        "assessed_on",
    )

    unit_id: Mapped[uuid.UUID] = mapped_column(
        Uuid, ForeignKey("units.id"), nullable=False, index=True
    )
    year: Mapped[int] = mapped_column(Integer, nullable=False)
    individual_level: Mapped[str | None] = mapped_column(Text)
    assignment_level: Mapped[str | None] = mapped_column(Text)
    thematic_level: Mapped[str | None] = mapped_column(Text)
    overall: Mapped[str | None] = mapped_column(Text)
    outcome: Mapped[str | None] = mapped_column(String(20))
    assessed_on: Mapped[date | None] = mapped_column(Date)

    __table_args__ = (
        CheckConstraint(f"outcome IS NULL OR outcome IN {_in(OUTCOMES)}", name="outcome"),
    )
