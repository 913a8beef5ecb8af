"""Adopting a kvalitetsberättelse, and keeping it as it was adopted (seed 004, section 6).

The draft (``quality_report.py``) changes whenever what Følg holds changes. Adopting it
(fastställa) freezes one version: the report is built as it stands, the manager's own words
for section 4 and the body that adopted it are added, and the HTML and the .docx are rendered
once and stored (``AdoptedReport``), with who adopted it and when. That stored document is what
"hålls tillgänglig": it is served byte for byte as it was, however the data moves on. A later
adoption of the same year is the next version; none is ever changed or deleted.

    adopt    manage_plans on the unit (a manager: "fastställd av ledningen")
    list     read_plans on the unit: the versions of a unit, newest first, without documents
    read     read_plans on the unit: one version's HTML or .docx
"""

from __future__ import annotations

import uuid

from sqlalchemy import func, select
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session

from server import clock
from server.documents.quality_report import (
    build_report,
    render_docx,
    render_html,
    report_filename,
)
from server.i18n import _
from server.models import AdoptedReport, User
from server.services.access import Principal
from server.services.errors import InvalidState, NotFound
from server.services.quality import SWEDISH_UNIT_KINDS, _require_kind, live_unit


def adopt_report(
    session: Session,
    principal: Principal,
    unit_id: uuid.UUID,
    year: int,
    conclusions: str | None = None,
    adopted_in: str | None = None,
) -> AdoptedReport:
    unit = live_unit(session, unit_id)
    principal.require("manage_plans", unit.id, "unit")
    _require_kind(unit, SWEDISH_UNIT_KINDS, _("A kvalitetsberättelse"))
    report = build_report(session, principal, unit.id, year)
    latest = session.scalar(
        select(func.max(AdoptedReport.version)).where(
            AdoptedReport.unit_id == unit.id, AdoptedReport.year == year
        )
    )
    user = session.get_one(User, principal.user_id)
    row = AdoptedReport(
        id=uuid.uuid4(),
        unit_id=unit.id,
        year=year,
        version=(latest or 0) + 1,
        adopted_at=clock.now(),
        adopted_by=user.id,
        adopted_by_name=user.name,
        adopted_in=adopted_in or None,
        conclusions=conclusions or None,
    )
    report.adoption = {
        "version": row.version,
        "adopted_at": row.adopted_at,
        "adopted_by_name": row.adopted_by_name,
        "adopted_in": row.adopted_in,
    }
    report.conclusions = conclusions or ""
    row.filename = f"{report_filename(report)}-version-{row.version}"
    row.html = render_html(report)
    row.docx = render_docx(report)
    try:
        with session.begin_nested():
            session.add(row)
            session.flush()
    except IntegrityError:
        # Two managers adopting the same year at the same moment: one got this version.
        raise InvalidState(
            _("Another version was adopted at the same moment; adopt again to make the next.")
        ) from None
    return row


def list_adopted(
    session: Session, principal: Principal, unit_id: uuid.UUID, year: int | None = None
) -> list[AdoptedReport]:
    unit = live_unit(session, unit_id)
    if not principal.can("read_plans", unit.id):
        raise NotFound(_("No such unit."))
    query = select(AdoptedReport).where(AdoptedReport.unit_id == unit.id)
    if year is not None:
        query = query.where(AdoptedReport.year == year)
    return list(
        session.scalars(query.order_by(AdoptedReport.year.desc(), AdoptedReport.version.desc()))
    )


def get_adopted(session: Session, principal: Principal, report_id: uuid.UUID) -> AdoptedReport:
    row = session.get(AdoptedReport, report_id)
    if row is None or not principal.can("read_plans", row.unit_id):
        raise NotFound(_("No such kvalitetsberättelse."))
    return row
