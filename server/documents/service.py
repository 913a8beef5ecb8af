"""The document operations the API calls: plans in and out of Word, items out to spreadsheets.

Reading and writing plans goes through ``server.services.plans``, so the same permission
checks and rules hold as for REST and sync: ``get_plan``/``list_items`` for the export,
``create_plan``/``create_item`` for the confirmed import. Nothing here commits; the caller owns
the transaction, and the import preview writes nothing at all.

Access:
    export .docx        read_plans on the plan's unit (staff, manager, inspector)
    export csv/xlsx     read_plans: items of every plan the caller may read. It is meant for
                        managers, but it shows nothing a reader cannot already open one by one,
                        so any reader may use it.
    import, confirm     manage_plans on the target unit (managers)
"""

from __future__ import annotations

import re
import uuid
from collections import defaultdict
from dataclasses import dataclass
from datetime import date
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from server import clock
from server.documents.docx_export import build_plan_docx
from server.documents.docx_import import MAX_BYTES, parse_plan_docx
from server.documents.formats import slug
from server.documents.labels import labels_for
from server.documents.model import (
    AttachmentDocument,
    ItemLine,
    MessageDocument,
    NoteDocument,
    ParsedDocument,
    PlanDocument,
    RowDocument,
    ThreadDocument,
)
from server.documents.spreadsheets import items_csv, items_xlsx
from server.documents.text import parse_date, squash
from server.documents.themes import match_theme
from server.i18n import _
from server.models import (
    Catalogue,
    Criterion,
    Plan,
    PlanAttachment,
    PlanItem,
    ProgressNote,
    Theme,
    Unit,
    User,
)
from server.models.plans import LONG_TEXT, SHORT_TEXT
from server.plan_templates import default_variant, variants_for
from server.services import messages, plans
from server.services.access import Principal
from server.services.catalogues import (
    CATALOGUE_FOR_PLAN_KIND,
    catalogue_for_plan,
    find_catalogue,
    plan_catalogue,
    valid_catalogue_for_kind,
)
from server.services.errors import InvalidInput, field_error
from server.services.messages import EVERY_THREAD

OPEN_ITEM_STATES = ("not_started", "in_progress")
# "tilsynsdato 22.3-2021", "inspektionsdatum 2024-05-02": the words before a date in a title.
_INSPECTION_IN_TITLE = re.compile(
    r"\b(?:tilsynsdato|tilsynsbesøg|tilsyn den|inspektionsdatum|inspection date)\b\W*(.{6,30})",
    re.IGNORECASE,
)
CLOSED_PLAN_STATES = ("completed", "archived")
MAX_RESPONSIBLE = 20
# Informational keys of a preview row; the confirm step accepts and drops them.
PREVIEW_ONLY_FIELDS = ("theme_name", "matched", "raw_theme")


# ---- export --------------------------------------------------------------------------------


def plan_document(
    session: Session,
    principal: Principal,
    plan_id: uuid.UUID,
    with_threads: bool = False,
    with_notes: bool = False,
) -> PlanDocument:
    plan = plans.get_plan(session, principal, plan_id)
    items = plans.list_items(session, principal, plan.id)
    unit = session.get(Unit, plan.unit_id)
    themes = _theme_names(session, {i.theme_id for i in items if i.theme_id})
    criteria = _criterion_texts(session, {i.criterion_id for i in items if i.criterion_id})
    users = _user_names(session, items)
    approver = session.get(User, plan.approved_by) if plan.approved_by else None
    catalogue = session.get(Catalogue, plan.catalogue_id) if plan.catalogue_id else None
    evidence = _evidence(session, plan, with_notes)
    return PlanDocument(
        kind=plan.kind,
        result_label=plan.result_label,
        title=plan.title,
        unit_name=unit.name if unit else None,
        plan_date=plan.plan_date,
        filled_in_by=plan.filled_in_by,
        responsible_manager=plan.responsible_manager,
        foster_parents=plan.foster_parents,
        origin=plan.origin,
        inspection_date=plan.inspection_date,
        catalogue_name=catalogue.name if catalogue else None,
        catalogue_version=catalogue.version_label if catalogue else None,
        rows=tuple(
            RowDocument(
                priority=item.priority,
                theme_name=themes.get(item.theme_id) if item.theme_id else None,
                topic=item.topic,
                goal=item.goal,
                activities=item.activities,
                resources=item.resources,
                start_date=item.start_date,
                end_date=item.end_date,
                ongoing=item.ongoing,
                timeframe_note=item.timeframe_note,
                documentation=item.documentation,
                responsible=tuple(_responsible_names(item, users)),
                follow_up_responsible=tuple(
                    _responsible_names(item, users, "follow_up_responsible")
                ),
                result=item.result,
                criterion=criteria.get(item.criterion_id) if item.criterion_id else None,
                state=item.state,
                attachments=evidence.row_attachments.get(item.id, ()),
                notes=evidence.notes.get(item.id, ()),
            )
            for item in items
        ),
        threads=_threads(session, principal, plan, items) if with_threads else (),
        approved_by=approver.name if approver else None,
        approved_at=plan.approved_at if plan.approved_by else None,
        with_notes=with_notes,
    )


@dataclass
class _Evidence:
    """A plan's attachments and (when asked for) progress notes, by row."""

    row_attachments: dict[uuid.UUID, tuple[AttachmentDocument, ...]]
    notes: dict[uuid.UUID, tuple[NoteDocument, ...]]


def _evidence(session: Session, plan: Plan, with_notes: bool) -> _Evidence:
    """Live attachments and notes of the plan's live rows (the caller has read the plan: its
    rows' notes and evidence are the unit's, as readable as the rows)."""
    attachments = session.scalars(
        select(PlanAttachment)
        .where(PlanAttachment.plan_id == plan.id, PlanAttachment.deleted.is_(False))
        .order_by(PlanAttachment.created_at, PlanAttachment.seq)
    ).all()
    notes = (
        session.scalars(
            select(ProgressNote)
            .where(ProgressNote.plan_id == plan.id, ProgressNote.deleted.is_(False))
            .order_by(ProgressNote.created_at, ProgressNote.seq)
        ).all()
        if with_notes
        else []
    )
    people = {a.created_by for a in attachments} | {n.author_id for n in notes}
    names = {
        user_id: name
        for user_id, name in session.execute(
            select(User.id, User.name).where(User.id.in_(sorted(people)))
        )
    }
    on_note: dict[uuid.UUID, list[AttachmentDocument]] = defaultdict(list)
    on_row: dict[uuid.UUID, list[AttachmentDocument]] = defaultdict(list)
    shown_notes = {n.id for n in notes}
    for a in attachments:
        listed = AttachmentDocument(
            filename=a.filename or a.sha256[:12],
            content_type=a.content_type,
            size_bytes=a.size_bytes,
            author=names.get(a.created_by, ""),
            attached_at=a.created_at,
            caption=a.caption,
        )
        # Without the notes, a note's evidence is listed with its row, so none goes unlisted.
        if a.note_id is not None and a.note_id in shown_notes:
            on_note[a.note_id].append(listed)
        else:
            on_row[a.item_id].append(listed)
    by_item: dict[uuid.UUID, list[NoteDocument]] = defaultdict(list)
    for n in notes:
        by_item[n.item_id].append(
            NoteDocument(
                author=names.get(n.author_id, ""),
                written_at=n.created_at,
                text=n.text,
                new_state=n.new_state,
                attachments=tuple(on_note.get(n.id, ())),
            )
        )
    return _Evidence(
        {item: tuple(found) for item, found in on_row.items()},
        {item: tuple(found) for item, found in by_item.items()},
    )


def _threads(
    session: Session, principal: Principal, plan: Plan, items: list[PlanItem]
) -> tuple[ThreadDocument, ...]:
    """The plan's thread first, then each live row's in the plan's order (a deleted row's
    thread stays in the database, not in the document)."""
    found = messages.list_messages(session, principal, plan_id=plan.id, thread=EVERY_THREAD)
    author_ids = sorted({m.author_id for m in found})
    authors = {
        user_id: name
        for user_id, name in session.execute(
            select(User.id, User.name).where(User.id.in_(author_ids))
        )
    }
    by_item: dict[uuid.UUID | None, list[MessageDocument]] = defaultdict(list)
    for m in found:
        by_item[m.item_id].append(
            MessageDocument(authors.get(m.author_id, ""), m.side, m.created_at, m.body)
        )
    return (
        ThreadDocument(None, None, tuple(by_item[None])),
        *(ThreadDocument(i.priority, i.topic, tuple(by_item[i.id])) for i in items),
    )


def export_plan_docx(
    session: Session,
    principal: Principal,
    plan_id: uuid.UUID,
    language: str,
    with_threads: bool = False,
    with_notes: bool = False,
) -> tuple[bytes, str]:
    """The plan as .docx bytes, and a file name made from its title; ``with_threads`` adds
    the dialogue with the inspectorate as an appendix, ``with_notes`` each row's progress
    notes (its state and evidence are always listed)."""
    document = plan_document(session, principal, plan_id, with_threads, with_notes)
    return build_plan_docx(document, language), f"{slug(document.title)}.docx"


def item_lines(
    session: Session,
    principal: Principal,
    unit_id: uuid.UUID | None = None,
    state: str | None = None,
    overdue: bool = False,
    today: date | None = None,
) -> list[ItemLine]:
    """Items of every plan the caller may read, filtered by unit (and the units under it),
    item state, and overdue: past its end date, still open, in a plan still running."""
    today = today or clock.now().date()
    units = principal.units_for("read_plans")
    if unit_id is not None:
        units &= _unit_and_below(session, unit_id)
    if not units:
        return []
    query = (
        select(PlanItem, Plan, Unit.name, Theme.name)
        .join(Plan, Plan.id == PlanItem.plan_id)
        .join(Unit, Unit.id == Plan.unit_id)
        .outerjoin(Theme, Theme.id == PlanItem.theme_id)
        .where(
            PlanItem.unit_id.in_(units),
            PlanItem.deleted.is_(False),
            Plan.deleted.is_(False),
        )
        .order_by(Unit.name, Plan.plan_date, Plan.title, PlanItem.priority, PlanItem.seq)
    )
    if state:
        query = query.where(PlanItem.state == state)
    if overdue:
        query = query.where(
            PlanItem.end_date < today,
            PlanItem.state.in_(OPEN_ITEM_STATES),
            Plan.state.not_in(CLOSED_PLAN_STATES),
        )
    rows = session.execute(query).all()
    users = _user_names(session, [item for item, *_ in rows])
    return [
        ItemLine(
            unit=unit_name,
            plan=plan.title,
            plan_state=plan.state,
            priority=item.priority,
            theme=theme_name,
            topic=item.topic,
            goal=item.goal,
            activities=item.activities,
            resources=item.resources,
            start_date=item.start_date,
            end_date=item.end_date,
            ongoing=item.ongoing,
            timeframe_note=item.timeframe_note,
            documentation=item.documentation,
            responsible="; ".join(_responsible_names(item, users)),
            follow_up_responsible="; ".join(
                _responsible_names(item, users, "follow_up_responsible")
            ),
            result=item.result,
            state=item.state,
            overdue=bool(
                item.end_date
                and item.end_date < today
                and item.state in OPEN_ITEM_STATES
                and plan.state not in CLOSED_PLAN_STATES
            ),
        )
        for item, plan, unit_name, theme_name in rows
    ]


def export_items(
    session: Session, principal: Principal, file_format: str, language: str, **filters: Any
) -> tuple[bytes, str]:
    """The items as CSV or XLSX bytes, and a file name in the reader's language."""
    lines = item_lines(session, principal, **filters)
    writer = {"csv": items_csv, "xlsx": items_xlsx}[file_format]
    return writer(lines, language), f"{labels_for(language).SPREADSHEET['file']}.{file_format}"


# ---- import --------------------------------------------------------------------------------


def preview_import(
    session: Session,
    principal: Principal,
    data: bytes,
    unit_id: uuid.UUID,
    kind: str,
    max_bytes: int = MAX_BYTES,
    catalogue_id: uuid.UUID | None = None,
) -> dict[str, Any]:
    """What a .docx would become as a draft plan in ``unit_id``. Writes nothing. The themes
    are read by ``catalogue_id`` when given, else by the version in force on the document's
    inspection date, else its plan date (as a plan made by hand)."""
    unit = _target_unit(session, principal, unit_id, kind)
    if catalogue_id is not None:
        valid_catalogue_for_kind(session, kind, catalogue_id)
    parsed = parse_plan_docx(data, max_bytes)
    warnings = list(parsed.warnings)
    unrecognised = list(parsed.unrecognised)
    recognised = _recognised_header(parsed, kind, unit, warnings, unrecognised)
    if catalogue_id is None:
        catalogue_id = _named_catalogue(
            session, kind, parsed.header.get("catalogue_version"), warnings
        )
    catalogue = _catalogue(session, kind, catalogue_id, recognised, warnings)
    recognised["catalogue_id"] = catalogue.id
    themes = [t for t in catalogue.themes if not t.deleted]
    items = []
    for row in parsed.rows:
        theme = match_theme(row.theme_text, themes)
        if theme is None:
            warnings.append(_unmatched_warning(session, row.priority, row.theme_text, catalogue))
        criterion = _criterion_named(row.theme_text, theme) if theme else None
        items.append(
            {
                "priority": row.priority,
                "theme_id": theme.id if theme else None,
                "criterion_id": criterion.id if criterion else None,
                "theme_name": theme.name if theme else None,
                "matched": theme is not None,
                "raw_theme": row.raw_theme,
                **_fit_item(row.priority, row.values, warnings),
            }
        )
    return {
        "unit_id": unit.id,
        "kind": kind,
        "catalogue_id": catalogue.id,
        "recognised": recognised,
        "items": items,
        "unrecognised": unrecognised,
        "warnings": warnings,
    }


def confirm_import(
    session: Session,
    principal: Principal,
    unit_id: uuid.UUID,
    kind: str,
    plan: dict[str, Any],
    items: list[dict[str, Any]],
) -> Plan:
    """Create the draft plan and its items from a (possibly edited) preview. The caller's
    transaction makes it all or nothing."""
    values = {k: v for k, v in plan.items() if k != "unit_name"}
    created = plans.create_plan(session, principal, {**values, "unit_id": unit_id, "kind": kind})
    for item in items:
        values = {k: v for k, v in item.items() if k not in PREVIEW_ONLY_FIELDS}
        plans.create_item(session, principal, {**values, "plan_id": created.id})
    return created


def _target_unit(session: Session, principal: Principal, unit_id: uuid.UUID, kind: str) -> Unit:
    principal.require("manage_plans", unit_id, "unit")
    unit = session.get(Unit, unit_id)
    if unit is None or unit.deleted:
        raise field_error("unit_id", _("No such unit."))
    if unit.kind not in plans.UNIT_KINDS_FOR_PLAN[kind]:
        raise field_error(
            "kind",
            _("A %(kind)s plan does not fit a unit of kind %(kind2)s.", kind=kind, kind2=unit.kind),
        )
    return unit


def _recognised_header(
    parsed: ParsedDocument, kind: str, unit: Unit, warnings: list[str], unrecognised: list[str]
) -> dict[str, Any]:
    header = dict(parsed.header)
    if (
        parsed.kind_hint
        and parsed.kind_hint != kind
        and "se_handlingsplan"
        not in (
            kind,
            parsed.kind_hint,
        )
    ):
        warnings.append(
            _(
                "The document looks like a %(kind_hint)s plan, not %(kind)s.",
                kind_hint=parsed.kind_hint,
                kind=kind,
            )
        )
    if header.get("foster_parents") and kind != "dk_plejefamilie":
        warnings.append(_("Only foster-family plans name foster parents; that field was left out."))
        unrecognised.append(header.pop("foster_parents"))
    named = header.get("unit_name")
    if named and squash(named) != squash(unit.name):
        warnings.append(
            _(
                "The document names the unit '%(value)s'; the plan goes to %(name)s.",
                value=named[:80],
                name=unit.name,
            )
        )
    if not header.get("title"):
        warnings.append(_("No title (Beskrivelse/titel) found; write one before saving."))
    recognised: dict[str, Any] = {
        field: _fit(header.get(field), SHORT_TEXT, field, warnings)
        for field in ("title", "unit_name", "filled_in_by", "responsible_manager")
    }
    recognised["foster_parents"] = _fit(
        header.get("foster_parents"), 500, "foster_parents", warnings
    )
    recognised["plan_date"] = header.get("plan_date")
    recognised["origin"] = header.get("origin", "own_initiative")
    recognised["inspection_date"] = header.get("inspection_date")
    # Seed 000 names the inspection in its title ("..., tilsynsdato 22.3-2021"): that date
    # decides the plan's quality model when no Tilsynsdato field says otherwise.
    titled = _INSPECTION_IN_TITLE.search(recognised["title"] or "")
    if recognised["inspection_date"] is None and titled:
        recognised["inspection_date"] = parse_date(titled.group(1))
        if recognised["inspection_date"] and "origin" not in header:
            recognised["origin"] = "inspection"
    # A variant the kind's template does not have (a STATUS column in a tilbud document) is
    # read as the kind's own, and said so.
    recognised["result_label"] = parsed.result_label or default_variant(kind)
    if recognised["result_label"] not in variants_for(kind):
        recognised["result_label"] = default_variant(kind)
        warnings.append(
            _(
                "The document ends in a STATUS column, which the tilbud template does not "
                "have; it is read as RESULTAT."
            )
        )
    return recognised


def _named_catalogue(
    session: Session, kind: str, version: str | None, warnings: list[str]
) -> uuid.UUID | None:
    """The version of the kind's catalogue the document's quality model line names (a plan
    exported from Følg), if this server has it; else None, and the dates decide."""
    if not version:
        return None
    catalogue = find_catalogue(session, CATALOGUE_FOR_PLAN_KIND[kind], version)
    if catalogue is None or catalogue.deleted:
        warnings.append(
            _(
                "The document names version %(version)s of the quality model, which this "
                "server does not have; the plan's dates choose the version.",
                version=version[:40],
            )
        )
        return None
    return catalogue.id


def _catalogue(
    session: Session,
    kind: str,
    catalogue_id: uuid.UUID | None,
    recognised: dict[str, Any],
    warnings: list[str],
) -> Catalogue:
    today = clock.now().date()
    try:
        return plan_catalogue(
            session,
            kind,
            catalogue_id,
            recognised.get("inspection_date"),
            recognised.get("plan_date") or today,
        )
    except InvalidInput:
        warnings.append(_("No quality catalogue is valid on the plan's date; using today's."))
        return catalogue_for_plan(session, kind, today)


def _unmatched_warning(
    session: Session, priority: int | None, text: str, catalogue: Catalogue
) -> str:
    """Say so when the theme belongs to another version of the catalogue: usually the plan's
    date is missing or wrong (the 2025 amendment dropped themes 1 and 2)."""
    shown = (text or "…")[:80]
    message = _(
        "Row %(priority)s: the theme '%(theme)s' is not one of the themes of %(catalogue)s "
        "(%(version)s); choose one.",
        priority=priority,
        theme=shown,
        catalogue=catalogue.name,
        version=catalogue.version_label,
    )
    others = session.scalars(
        select(Catalogue).where(Catalogue.code == catalogue.code, Catalogue.id != catalogue.id)
    )
    for other in others:
        if match_theme(text, [t for t in other.themes if not t.deleted]) is not None:
            if other.valid_to:
                valid = f"{other.valid_from.isoformat()}–{other.valid_to.isoformat()}"
            else:
                valid = _("from %(start)s", start=other.valid_from.isoformat())
            return (
                message
                + " "
                + _(
                    "It is a theme of version %(version)s (%(valid)s): check the plan's date.",
                    version=other.version_label,
                    valid=valid,
                )
            )
    return message


def _fit_item(priority: int | None, values: dict[str, Any], warnings: list[str]) -> dict:
    fitted = dict(values)
    for field in ("topic", "goal", "activities", "resources", "documentation", "result"):
        fitted[field] = _fit(values.get(field), LONG_TEXT, _row_field(priority, field), warnings)
    fitted["timeframe_note"] = _fit(
        values.get("timeframe_note"), LONG_TEXT, _row_field(priority, "timeframe_note"), warnings
    )
    for role in plans.RESPONSIBLE_ROLES:
        names = [
            _fit(r["name"], SHORT_TEXT, _row_field(priority, role), warnings)
            for r in values.get(role) or []
        ]
        if len(names) > MAX_RESPONSIBLE:
            warnings.append(
                _(
                    "Row %(priority)s: only the first %(MAX_RESPONSIBLE)s responsible are kept.",
                    priority=priority,
                    MAX_RESPONSIBLE=MAX_RESPONSIBLE,
                )
            )
        fitted[role] = [{"name": name} for name in names[:MAX_RESPONSIBLE]]
    return fitted


def _row_field(priority: int | None, field: str) -> str:
    return _("row %(priority)s, %(field)s", priority=priority, field=field)


def _fit(text: str | None, limit: int, what: str, warnings: list[str]) -> str | None:
    if text is not None and len(text) > limit:
        warnings.append(
            _("The text of %(what)s was cut to %(limit)s characters.", what=what, limit=limit)
        )
        return text[:limit]
    return text


# ---- small lookups -------------------------------------------------------------------------


def _theme_names(session: Session, theme_ids: set[uuid.UUID]) -> dict[uuid.UUID, str]:
    if not theme_ids:
        return {}
    return dict(session.execute(select(Theme.id, Theme.name).where(Theme.id.in_(theme_ids))).all())


def _criterion_named(text: str, theme: Theme) -> Criterion | None:
    """The criterion of ``theme`` whose text the TEMA cell carries (as the export writes it,
    under the theme), if any."""
    cell = squash(text)
    for criterion in theme.criteria:
        if not criterion.deleted and squash(criterion.text) in cell:
            return criterion
    return None


def _criterion_texts(session: Session, ids: set[uuid.UUID]) -> dict[uuid.UUID, str]:
    if not ids:
        return {}
    rows = session.execute(select(Criterion.id, Criterion.text).where(Criterion.id.in_(ids)))
    return {criterion_id: text for criterion_id, text in rows}


def _user_names(session: Session, items: list[PlanItem]) -> dict[str, str]:
    ids = {
        r["user_id"]
        for item in items
        for role in plans.RESPONSIBLE_ROLES
        for r in getattr(item, role) or []
        if r.get("user_id")
    }
    if not ids:
        return {}
    found = session.execute(
        select(User.id, User.name).where(User.id.in_([uuid.UUID(i) for i in ids]))
    ).all()
    return {str(user_id): name for user_id, name in found}


def _responsible_names(
    item: PlanItem, users: dict[str, str], role: str = "responsible"
) -> list[str]:
    return [
        users.get(r["user_id"], "?") if r.get("user_id") else r.get("name", "")
        for r in getattr(item, role) or []
    ]


def _unit_and_below(session: Session, unit_id: uuid.UUID) -> set[uuid.UUID]:
    children: dict[uuid.UUID, list[uuid.UUID]] = defaultdict(list)
    for child, parent in session.execute(select(Unit.id, Unit.parent_id)).all():
        if parent is not None:
            children[parent].append(child)
    found, stack = set(), [unit_id]
    while stack:
        current = stack.pop()
        if current not in found:
            found.add(current)
            stack.extend(children[current])
    return found


__all__ = [
    "confirm_import",
    "export_items",
    "export_plan_docx",
    "item_lines",
    "plan_document",
    "preview_import",
]
