"""Inspection visits, findings, photo records, inspector comments and deadline extensions:
the rules every path (REST and sync) goes through.

Who may do what (``server/services/access.py``)::

    read visits, findings, photos, comments     read_plans (staff, manager, inspector)
    write visits, findings, photos, comments    inspect (inspector only)
    turn a finding into a plan item             manage_plans (the unit's manager)
    record a deadline extension                 manage_plans or inspect

Like ``server/services/plans.py``, the write functions take loaded Python values, change the
session and never commit; ``in_batch=True`` is the sync push's promise that the id is new.
"""

from __future__ import annotations

import uuid
from collections import defaultdict
from collections.abc import Iterable
from datetime import date
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from server import clock
from server.i18n import _
from server.models import (
    Catalogue,
    Criterion,
    DeadlineExtension,
    Finding,
    ItemComment,
    PlanItem,
    Theme,
    Unit,
    Visit,
    VisitPhoto,
)
from server.models.visits import PHOTO_TYPES
from server.schemas.visits import FindingWriteSchema
from server.services import messages, plans
from server.services.access import Principal
from server.services.catalogues import catalogue_for_plan
from server.services.errors import Forbidden, InvalidInput, InvalidState, field_error
from server.services.photos import MAX_PHOTO_BYTES, require_nameable
from server.services.rows import (
    readable_row,
    refuse_changes,
    refuse_failed_checks,
    refuse_taken_id,
)

# The catalogue a visit is assessed against follows the unit's kind.
PLAN_KIND_FOR_UNIT = {
    "dk_tilbud": "dk_tilbud",
    "dk_afdeling": "dk_tilbud",
    "dk_plejefamilie": "dk_plejefamilie",
    "se_verksamhet": "se_handlingsplan",
    "se_enhet": "se_handlingsplan",
}
IMMUTABLE_VISIT_FIELDS = ("unit_id",)
IMMUTABLE_FINDING_FIELDS = ("visit_id",)


# ---- reading -------------------------------------------------------------------------------


def get_visit(session: Session, principal: Principal, visit_id: uuid.UUID) -> Visit:
    return readable_row(session, principal, Visit, visit_id, "visit")


def list_visits(
    session: Session, principal: Principal, unit_id: uuid.UUID | None = None
) -> list[Visit]:
    units = principal.units_for("read_plans")
    if unit_id is not None:
        units &= {unit_id}
    if not units:
        return []
    return list(
        session.scalars(
            select(Visit)
            .where(Visit.unit_id.in_(units), Visit.deleted.is_(False))
            .order_by(Visit.visit_date.desc(), Visit.seq)
        )
    )


def get_finding(session: Session, principal: Principal, finding_id: uuid.UUID) -> Finding:
    return readable_row(session, principal, Finding, finding_id, "finding")


def list_findings(session: Session, principal: Principal, visit_id: uuid.UUID) -> list[Finding]:
    visit = get_visit(session, principal, visit_id)
    return list(
        session.scalars(
            select(Finding)
            .where(Finding.visit_id == visit.id, Finding.deleted.is_(False))
            .order_by(Finding.created_at, Finding.seq)
        )
    )


def answering_items(
    session: Session, finding_ids: Iterable[uuid.UUID]
) -> dict[uuid.UUID, list[uuid.UUID]]:
    """``{finding_id: [item_id, ...]}``: the plan items that answer each finding."""
    ids = list(finding_ids)
    found: dict[uuid.UUID, list[uuid.UUID]] = defaultdict(list)
    if not ids:
        return found
    rows = session.execute(
        select(PlanItem.finding_id, PlanItem.id).where(
            PlanItem.finding_id.in_(ids), PlanItem.deleted.is_(False)
        )
    )
    for finding_id, item_id in rows:
        if finding_id is not None:  # always, by the query; said for the type checker
            found[finding_id].append(item_id)
    return found


def with_item_ids(session: Session, findings: list[Finding]) -> list[dict[str, Any]]:
    """Findings as output dicts that also name the items answering them."""
    links = answering_items(session, [f.id for f in findings])
    return [
        {c: getattr(f, c) for c in (*f.sync_fields, "id", "version", "updated_at", "updated_by")}
        | {"item_ids": links.get(f.id, [])}
        for f in findings
    ]


def list_photos(session: Session, principal: Principal, visit_id: uuid.UUID) -> list[VisitPhoto]:
    visit = get_visit(session, principal, visit_id)
    return list(
        session.scalars(
            select(VisitPhoto)
            .where(VisitPhoto.visit_id == visit.id, VisitPhoto.deleted.is_(False))
            .order_by(VisitPhoto.created_at, VisitPhoto.seq)
        )
    )


def list_comments(session: Session, principal: Principal, item_id: uuid.UUID) -> list[ItemComment]:
    item = plans.get_item(session, principal, item_id)
    return list(
        session.scalars(
            select(ItemComment)
            .where(ItemComment.item_id == item.id, ItemComment.deleted.is_(False))
            .order_by(ItemComment.created_at, ItemComment.seq)
        )
    )


def list_extensions(
    session: Session, principal: Principal, item_id: uuid.UUID
) -> list[DeadlineExtension]:
    item = plans.get_item(session, principal, item_id)
    return list(
        session.scalars(
            select(DeadlineExtension)
            .where(DeadlineExtension.item_id == item.id, DeadlineExtension.deleted.is_(False))
            .order_by(DeadlineExtension.created_at, DeadlineExtension.seq)
        )
    )


# ---- visits --------------------------------------------------------------------------------


def catalogue_for_unit(session: Session, unit: Unit, on: date) -> Catalogue:
    """The catalogue in force on ``on`` for the unit's kind (as for a plan of that unit)."""
    try:
        return catalogue_for_plan(session, PLAN_KIND_FOR_UNIT[unit.kind], on)
    except InvalidInput as error:  # it names plan_date: say visit_date instead
        raise field_error("visit_date", _("No quality catalogue is valid on this date.")) from error


def create_visit(
    session: Session,
    principal: Principal,
    values: dict[str, Any],
    visit_id: uuid.UUID | None = None,
    *,
    in_batch: bool = False,
) -> Visit:
    values = dict(values)
    values.pop("id", None)
    principal.require("inspect", values["unit_id"], "unit")
    unit = session.get(Unit, values["unit_id"])
    if unit is None or unit.deleted:
        raise field_error("unit_id", _("No such unit."))
    if not in_batch:
        refuse_taken_id(session, principal, Visit, visit_id, "visit")
    catalogue = catalogue_for_unit(session, unit, values["visit_date"])
    values["inspectors"] = _inspectors(session, unit, values.get("inspectors"), principal)
    visit = Visit(
        id=visit_id or uuid.uuid4(),
        catalogue_id=catalogue.id,
        created_by=principal.user_id,
        **values,
    )
    session.add(visit)
    if not in_batch:
        session.flush()
    return visit


def update_visit(
    session: Session, principal: Principal, visit: Visit, values: dict[str, Any]
) -> Visit:
    principal.require("inspect", visit.unit_id, "visit")
    refuse_changes(visit, values, IMMUTABLE_VISIT_FIELDS)
    values = {k: v for k, v in values.items() if k not in ("id", "unit_id")}
    unit = session.get_one(Unit, visit.unit_id)
    if "visit_date" in values:
        catalogue = catalogue_for_unit(session, unit, values["visit_date"])
        if catalogue.id != visit.catalogue_id:
            if _live_findings(session, visit):
                raise field_error(
                    "visit_date",
                    _(
                        "Another catalogue version is in force on that date, and the findings "
                        "name themes of the current one."
                    ),
                )
            visit.catalogue_id = catalogue.id
    if "inspectors" in values:
        values["inspectors"] = _inspectors(session, unit, values["inspectors"], principal)
    for field, value in values.items():
        setattr(visit, field, value)
    session.flush()
    return visit


def delete_visit(session: Session, principal: Principal, visit: Visit) -> None:
    principal.require("inspect", visit.unit_id, "visit")
    findings = _live_findings(session, visit)
    if answering_items(session, [f.id for f in findings]):
        raise InvalidState(_("A plan item answers a finding of this visit; it cannot be deleted."))
    visit.deleted = True
    for finding in findings:
        finding.deleted = True
    for photo in session.scalars(select(VisitPhoto).where(VisitPhoto.visit_id == visit.id)):
        photo.deleted = True
    session.flush()


def _live_findings(session: Session, visit: Visit) -> list[Finding]:
    return list(
        session.scalars(
            select(Finding).where(Finding.visit_id == visit.id, Finding.deleted.is_(False))
        )
    )


def _inspectors(
    session: Session, unit: Unit, inspectors: list | None, principal: Principal
) -> list[dict[str, str]]:
    """JSON-ready inspectors; named users must be members of the unit. None means "me"."""
    if inspectors is None:
        return [{"user_id": str(principal.user_id)}]
    user_ids = [i["user_id"] for i in inspectors if i.get("user_id")]
    if user_ids:
        try:
            plans.check_members(session, unit.id, user_ids)
        except InvalidInput as error:
            reason = "Named inspectors must be members of the unit."
            raise field_error("inspectors", reason) from error
    return [
        {"user_id": str(i["user_id"])} if i.get("user_id") else {"name": i["name"]}
        for i in inspectors
    ]


# ---- findings ------------------------------------------------------------------------------


def _writable_visit(session: Session, principal: Principal, visit_id: uuid.UUID) -> Visit:
    visit = session.get(Visit, visit_id)
    if visit is None or visit.deleted or not principal.can("see_unit", visit.unit_id):
        raise field_error("visit_id", _("No such visit."))
    principal.require("inspect", visit.unit_id, "visit")
    return visit


def create_finding(
    session: Session,
    principal: Principal,
    values: dict[str, Any],
    finding_id: uuid.UUID | None = None,
    *,
    in_batch: bool = False,
) -> Finding:
    values = dict(values)
    values.pop("id", None)
    visit = _writable_visit(session, principal, values["visit_id"])
    if not in_batch:
        refuse_taken_id(session, principal, Finding, finding_id, "finding")
    values.setdefault("created_at", None)
    values["created_at"] = values["created_at"] or clock.now()
    _check_finding(session, visit, values, current=None)
    finding = Finding(
        id=finding_id or uuid.uuid4(),
        unit_id=visit.unit_id,
        author_id=principal.user_id,
        **values,
    )
    session.add(finding)
    if not in_batch:
        session.flush()
    return finding


def update_finding(
    session: Session, principal: Principal, finding: Finding, values: dict[str, Any]
) -> Finding:
    principal.require("inspect", finding.unit_id, "finding")
    refuse_changes(finding, values, IMMUTABLE_FINDING_FIELDS)
    values = {k: v for k, v in values.items() if k not in ("id", "visit_id")}
    visit = session.get_one(Visit, finding.visit_id)
    _check_finding(session, visit, values, current=finding)
    for field, value in values.items():
        setattr(finding, field, value)
    session.flush()
    return finding


def delete_finding(session: Session, principal: Principal, finding: Finding) -> None:
    principal.require("inspect", finding.unit_id, "finding")
    if answering_items(session, [finding.id]):
        raise InvalidState(_("A plan item answers this finding; it cannot be deleted."))
    finding.deleted = True
    for photo in session.scalars(select(VisitPhoto).where(VisitPhoto.finding_id == finding.id)):
        photo.finding_id = None
    session.flush()


def _check_finding(
    session: Session, visit: Visit, values: dict[str, Any], current: Finding | None
) -> None:
    """The rules across fields: the theme belongs to the visit's catalogue, the criterion to
    the theme, a påbud has a deadline after the visit, a rating is justified in writing."""

    def merged(name: str) -> Any:
        return values[name] if name in values else getattr(current, name, None)

    theme = session.get(Theme, merged("theme_id"))
    if theme is None or theme.catalogue_id != visit.catalogue_id:
        raise field_error("theme_id", _("Not a theme of the catalogue this visit is assessed by."))
    criterion_id = merged("criterion_id")
    if criterion_id is not None:
        criterion = session.get(Criterion, criterion_id)
        if criterion is None or criterion.theme_id != theme.id:
            raise field_error("criterion_id", _("Not a criterion of this theme."))
    checks = FindingWriteSchema.checks
    refuse_failed_checks(checks, {f: merged(f) for check in checks for f in check.fields})
    # Across rows: the visit's date, the theme's kind.
    deadline = merged("deadline")
    if merged("kind") == "paabud" and deadline < visit.visit_date:
        raise field_error("deadline", _("The deadline comes before the visit."))
    if merged("rating") is not None and not theme.scored:
        raise field_error("rating", _("%(name)s is assessed, not rated.", name=theme.name))


# ---- photos --------------------------------------------------------------------------------


def create_photo(
    session: Session,
    principal: Principal,
    values: dict[str, Any],
    photo_id: uuid.UUID | None = None,
    *,
    in_batch: bool = False,
) -> VisitPhoto:
    values = dict(values)
    values.pop("id", None)
    visit = _writable_visit(session, principal, values["visit_id"])
    if not in_batch:
        refuse_taken_id(session, principal, VisitPhoto, photo_id, "photo")
    if values["content_type"] not in PHOTO_TYPES:
        raise field_error(
            "content_type", _("Photos are %(value)s.", value=" or ".join(PHOTO_TYPES))
        )
    if values["size_bytes"] > MAX_PHOTO_BYTES:
        raise field_error(
            "size_bytes",
            _("A photo is at most %(MAX_PHOTO_BYTES)s bytes.", MAX_PHOTO_BYTES=MAX_PHOTO_BYTES),
        )
    require_nameable(session, principal, values["sha256"], visit.unit_id)
    finding_id = values.get("finding_id")
    if finding_id is not None:
        finding = session.get(Finding, finding_id)
        if finding is None or finding.deleted or finding.visit_id != visit.id:
            raise field_error("finding_id", _("Not a finding of this visit."))
    photo = VisitPhoto(
        id=photo_id or uuid.uuid4(),
        unit_id=visit.unit_id,
        created_by=principal.user_id,
        created_at=values.pop("created_at", None) or clock.now(),
        **values,
    )
    session.add(photo)
    if not in_batch:
        session.flush()
    return photo


def delete_photo(session: Session, principal: Principal, photo: VisitPhoto) -> None:
    principal.require("inspect", photo.unit_id, "photo")
    photo.deleted = True
    session.flush()


def get_photo(session: Session, principal: Principal, photo_id: uuid.UUID) -> VisitPhoto:
    return readable_row(session, principal, VisitPhoto, photo_id, "photo")


# ---- from finding to plan item -------------------------------------------------------------


def finding_to_item(
    session: Session,
    principal: Principal,
    finding: Finding,
    values: dict[str, Any],
) -> PlanItem:
    """One step from a finding to a plan item, prefilled from the finding (theme, topic,
    deadline). ``plans.create_item`` links them and carries a påbud's legal deadline."""
    principal.require("manage_plans", finding.unit_id, "finding")
    values = {k: v for k, v in values.items() if v is not None}
    item_id = values.pop("id", None)
    return plans.create_item(session, principal, {**values, "finding_id": finding.id}, item_id)


# ---- comments and extensions ---------------------------------------------------------------


def _visible_item(session: Session, principal: Principal, item_id: uuid.UUID) -> PlanItem:
    item = session.get(PlanItem, item_id)
    if item is None or item.deleted or not principal.can("see_unit", item.unit_id):
        raise field_error("item_id", _("No such item."))
    return item


def add_comment(
    session: Session,
    principal: Principal,
    values: dict[str, Any],
    comment_id: uuid.UUID | None = None,
    *,
    in_batch: bool = False,
) -> ItemComment:
    """An inspector's comment: stored apart from the item, so the provider's text is theirs."""
    item = _visible_item(session, principal, values["item_id"])
    principal.require("inspect", item.unit_id, "item")
    if not in_batch:
        refuse_taken_id(session, principal, ItemComment, comment_id, "comment")
    comment = ItemComment(
        id=comment_id or uuid.uuid4(),
        item_id=item.id,
        plan_id=item.plan_id,
        unit_id=item.unit_id,
        text=values["text"],
        author_id=principal.user_id,
        created_at=values.get("created_at") or clock.now(),
    )
    session.add(comment)
    # The same words in the row's thread, under the comment's id: a device that still writes
    # comments (a PWA from before the dialogue) takes part in it.
    messages.add_message(
        session,
        principal,
        {"item_id": item.id, "body": comment.text, "created_at": comment.created_at},
        comment.id,
        in_batch=True,
    )
    if not in_batch:
        session.flush()
    return comment


def add_extension(
    session: Session,
    principal: Principal,
    values: dict[str, Any],
    extension_id: uuid.UUID | None = None,
    *,
    in_batch: bool = False,
) -> DeadlineExtension:
    """Record that the inspectorate granted a later deadline for an item answering a påbud."""
    item = _visible_item(session, principal, values["item_id"])
    if not principal.can("read_plans", item.unit_id):
        raise field_error("item_id", _("No such item."))
    if not (principal.can("manage_plans", item.unit_id) or principal.can("inspect", item.unit_id)):
        raise Forbidden(_("Only the unit's manager or its inspector records an extension."))
    if item.legal_deadline is None:
        raise field_error("item_id", _("This item answers no påbud; it has no legal deadline."))
    if not in_batch:
        refuse_taken_id(session, principal, DeadlineExtension, extension_id, "extension")
    current = plans.effective_deadline(session, item)
    if current is not None and values["new_deadline"] <= current:
        raise field_error(
            "new_deadline",
            _("An extension must be later than the deadline now (%(current)s).", current=current),
        )
    extension = DeadlineExtension(
        id=extension_id or uuid.uuid4(),
        item_id=item.id,
        plan_id=item.plan_id,
        unit_id=item.unit_id,
        new_deadline=values["new_deadline"],
        reason=values["reason"],
        granted_by=values["granted_by"],
        author_id=principal.user_id,
        created_at=values.get("created_at") or clock.now(),
    )
    session.add(extension)
    # The batch's later rows of this item must see it when they check the deadline.
    session.flush()
    return extension


# ---- summary -------------------------------------------------------------------------------


def visit_summary(session: Session, principal: Principal, visit: Visit) -> dict[str, Any]:
    """Per theme of the visit's catalogue: the findings and the average of their ratings
    (the spindelvæv's spokes). Themes without findings are listed too, unrated."""
    findings = with_item_ids(session, list_findings(session, principal, visit.id))
    catalogue = session.get_one(Catalogue, visit.catalogue_id)
    by_theme: dict[uuid.UUID, list[dict[str, Any]]] = defaultdict(list)
    for finding in findings:
        by_theme[finding["theme_id"]].append(finding)
    themes = []
    for theme in catalogue.themes:
        if theme.deleted:
            continue
        mine = by_theme.get(theme.id, [])
        ratings = [f["rating"] for f in mine if f["rating"] is not None]
        themes.append(
            {
                "theme_id": theme.id,
                "number": theme.number,
                "name": theme.name,
                "scored": theme.scored,
                "rating_average": round(sum(ratings) / len(ratings), 2) if ratings else None,
                "ratings": len(ratings),
                "findings": mine,
            }
        )
    counts: dict[str, int] = defaultdict(int)
    for finding in findings:
        counts[finding["kind"]] += 1
    unit = session.get_one(Unit, visit.unit_id)
    return {
        "visit": visit,
        "unit_name": unit.name,
        "catalogue": f"{catalogue.name} ({catalogue.version_label})",
        "themes": themes,
        "counts": dict(counts),
    }


__all__ = [
    "add_comment",
    "add_extension",
    "create_finding",
    "create_photo",
    "create_visit",
    "delete_finding",
    "delete_photo",
    "delete_visit",
    "finding_to_item",
    "get_finding",
    "get_visit",
    "list_comments",
    "list_extensions",
    "list_findings",
    "list_photos",
    "list_visits",
    "update_finding",
    "update_visit",
    "visit_summary",
]
