"""Demo data: two organisations, their units, the demo users, three filled-in plans and the
inspection visit the foster-family plan answers.

Everything here is fictional. The Danish tilbud plan keeps the rows of the filled-in plan in
seed 000 (an opfølgningsplan after an inspection, themes 2 and 4) with invented names for the
people and places; the foster-family plan follows the STATUS variant of seed 001; the Swedish
handlingsplan works on two quality areas of seed 003.

Seeding is idempotent: every row has a fixed id (UUIDv5 under ``DEMO_NAMESPACE``) and users
are found by email, so a second run adds nothing and an interrupted run is completed by the
next. Existing rows are never overwritten: edits made while trying the demo survive.
"""

from __future__ import annotations

import uuid
from dataclasses import dataclass, field
from datetime import UTC, date, datetime
from typing import Any, TypeVar

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from server import clock
from server.models import (
    CaseRecord,
    Finding,
    MeasureValue,
    Membership,
    Organisation,
    Plan,
    PlanItem,
    PlanMessage,
    ProgressNote,
    QualityLink,
    QualityMeasure,
    RegisterEntry,
    Theme,
    Unit,
    User,
    Visit,
)
from server.services.auth import hash_demo_password
from server.services.catalogues import catalogue_for_plan, ensure_catalogues

DEMO_NAMESPACE = uuid.UUID("0b6f8f5e-2a0c-4f61-9d57-5d1e6c3f0a42")
DEMO_PASSWORD = "folg-demo"  # demo data only; printed by `flask seed-demo`


@dataclass(frozen=True)
class DemoLogin:
    email: str
    name: str
    language: str
    description: str
    # (role, unit key in UNITS)
    roles: tuple[tuple[str, str], ...]


DEMO_LOGINS: tuple[DemoLogin, ...] = (
    DemoLogin(
        "leder@demo.test",
        "Mette Lund",
        "da",
        "leder (manager) of Bofællesskabet Lærkevej and Plejefamilien Skovbryn",
        (("manager", "tilbud"), ("manager", "plejefamilie")),
    ),
    DemoLogin(
        "medarbejder@demo.test",
        "Anders Holm",
        "da",
        "medarbejder (staff) at Bofællesskabet Lærkevej",
        (("staff", "tilbud"),),
    ),
    DemoLogin(
        "tilsyn@demo.test",
        "Karin Dahl",
        "da",
        "tilsynsførende (inspector) of Bofællesskabet Lærkevej and Plejefamilien Skovbryn",
        (("inspector", "tilbud"), ("inspector", "plejefamilie")),
    ),
    DemoLogin(
        "admin@demo.test",
        "Jonas Krogh",
        "da",
        "admin of Demo Kommune's units",
        (("admin", "tilbud"), ("admin", "plejefamilie")),
    ),
    # Seed 001: the foster parents write and keep their own plan; the municipality's
    # family-care consultant supports them (a staff role in the family's unit).
    DemoLogin(
        "plejefamilie@demo.test",
        "Hanne Skov",
        "da",
        "plejeforælder (foster parent) in Plejefamilien Skovbryn: writes and keeps its plan",
        (("foster_parent", "plejefamilie"),),
    ),
    DemoLogin(
        "familiepleje@demo.test",
        "Lise Berg",
        "da",
        "familieplejekonsulent (staff) of Demo Kommune, supporting Plejefamilien Skovbryn",
        (("staff", "plejefamilie"),),
    ),
    DemoLogin(
        "chef@demo.test",
        "Eva Lindqvist",
        "sv",
        "enhetschef (manager) of Stöd och omsorg and its enheter (Swedish)",
        (("manager", "verksamhet"),),
    ),
    DemoLogin(
        "medarbetare@demo.test",
        "Sara Nyström",
        "sv",
        "medarbetare (staff) at Gruppbostaden Björkvägen (Swedish)",
        (("staff", "enhet_bjorkvagen"),),
    ),
)

ORGANISATIONS = {
    "dk": ("Demo Kommune, Socialområdet", "DK"),
    "se": ("Demo kommun, Socialförvaltningen", "SE"),
}
# key: (organisation key, parent key or None, name, kind, foster family type)
UNITS: dict[str, tuple[str, str | None, str, str, str | None]] = {
    "tilbud": ("dk", None, "Bofællesskabet Lærkevej", "dk_tilbud", None),
    "afdeling_nord": ("dk", "tilbud", "Lærkevej Nord", "dk_afdeling", None),
    "afdeling_syd": ("dk", "tilbud", "Lærkevej Syd", "dk_afdeling", None),
    "plejefamilie": ("dk", None, "Plejefamilien Skovbryn", "dk_plejefamilie", "almen"),
    "verksamhet": ("se", None, "Stöd och omsorg", "se_verksamhet", None),
    "enhet_bjorkvagen": ("se", "verksamhet", "Gruppbostaden Björkvägen", "se_enhet", None),
    "enhet_lonnen": ("se", "verksamhet", "Daglig verksamhet Lönnen", "se_enhet", None),
}


def demo_id(*parts: str) -> uuid.UUID:
    return uuid.uuid5(DEMO_NAMESPACE, "/".join(parts))


def _at(day: date, hour: int = 10) -> datetime:
    return datetime(day.year, day.month, day.day, hour, tzinfo=UTC)


@dataclass
class SeedResult:
    """What a run added; ``added`` is zero on every run after the first."""

    added: dict[str, int] = field(default_factory=dict)
    plan_ids: dict[str, uuid.UUID] = field(default_factory=dict)

    @property
    def total(self) -> int:
        return sum(self.added.values())

    def count(self, table: str) -> None:
        self.added[table] = self.added.get(table, 0) + 1


M = TypeVar("M")


class _Seeder:
    def __init__(self, session: Session):
        self.session = session
        self.result = SeedResult()
        self.users: dict[str, User] = {}
        self.units: dict[str, Unit] = {}
        self._password_hash: str | None = None

    def get_or_add(self, model: type[M], row_id: uuid.UUID, **fields: Any) -> M:
        """The row with this id, added with ``fields`` if it is missing."""
        row = self.session.get(model, row_id)
        if row is None:
            row = model(id=row_id, **fields)  # type: ignore[call-arg]
            self.session.add(row)
            self.session.flush()
            self.result.count(model.__tablename__)  # type: ignore[attr-defined]
        return row

    def password_hash(self) -> str:
        # argon2 is slow on purpose: hash once per run, and only if a user is missing.
        if self._password_hash is None:
            self._password_hash = hash_demo_password(DEMO_PASSWORD)
        return self._password_hash

    # -- organisations, units, users -------------------------------------------------

    def organisations_and_units(self) -> None:
        orgs = {
            key: self.get_or_add(Organisation, demo_id("org", key), name=name, country=country)
            for key, (name, country) in ORGANISATIONS.items()
        }
        # Parents come before their children in UNITS.
        for key, (org_key, parent_key, name, kind, family_type) in UNITS.items():
            self.units[key] = self.get_or_add(
                Unit,
                demo_id("unit", key),
                organisation_id=orgs[org_key].id,
                parent_id=self.units[parent_key].id if parent_key else None,
                name=name,
                kind=kind,
                foster_family_type=family_type,
            )

    def users_and_memberships(self) -> None:
        for login in DEMO_LOGINS:
            user = self.session.scalar(
                select(User).where(func.lower(User.email) == login.email.lower())
            )
            if user is None:
                user = User(
                    id=demo_id("user", login.email),
                    email=login.email,
                    name=login.name,
                    language=login.language,
                    password_hash=self.password_hash(),
                    created_at=clock.now(),
                )
                self.session.add(user)
                self.session.flush()
                self.result.count("users")
            self.users[login.email.split("@")[0]] = user
            for role, unit_key in login.roles:
                unit_id = self.units[unit_key].id
                exists = self.session.scalar(
                    select(Membership.id).where(
                        Membership.user_id == user.id,
                        Membership.unit_id == unit_id,
                        Membership.role == role,
                    )
                )
                if exists is None:
                    self.session.add(Membership(user_id=user.id, unit_id=unit_id, role=role))
                    self.session.flush()
                    self.result.count("memberships")

    # -- plans -------------------------------------------------------------------------

    def plan(self, key: str, kind: str, unit_key: str, plan_date: date, **fields: Any) -> Plan:
        catalogue = catalogue_for_plan(self.session, kind, plan_date)
        plan = self.get_or_add(
            Plan,
            demo_id("plan", key),
            unit_id=self.units[unit_key].id,
            kind=kind,
            catalogue_id=catalogue.id,
            plan_date=plan_date,
            **fields,
        )
        self.result.plan_ids[key] = plan.id
        return plan

    def theme_id(self, plan: Plan, number: int) -> uuid.UUID:
        return self.session.execute(
            select(Theme.id).where(Theme.catalogue_id == plan.catalogue_id, Theme.number == number)
        ).scalar_one()

    def item(self, plan: Plan, key: str, theme: int, **fields: Any) -> PlanItem:
        return self.get_or_add(
            PlanItem,
            demo_id("item", key),
            plan_id=plan.id,
            unit_id=plan.unit_id,
            theme_id=self.theme_id(plan, theme),
            **fields,
        )

    def note(
        self,
        item: PlanItem,
        key: str,
        author: str,
        written: datetime,
        text: str,
        new_state: str | None = None,
    ) -> None:
        self.get_or_add(
            ProgressNote,
            demo_id("note", key),
            item_id=item.id,
            plan_id=item.plan_id,
            unit_id=item.unit_id,
            author_id=self.users[author].id,
            created_at=written,
            text=text,
            new_state=new_state,
        )

    def message(
        self, plan: Plan, item: PlanItem | None, key: str, author: str, written: datetime, body: str
    ) -> None:
        """A message of the plan's dialogue with the inspectorate (``side`` from the author)."""
        self.get_or_add(
            PlanMessage,
            demo_id("message", key),
            plan_id=plan.id,
            item_id=item.id if item else None,
            unit_id=plan.unit_id,
            author_id=self.users[author].id,
            side="inspectorate" if author == "tilsyn" else "provider",
            created_at=written,
            body=body,
        )

    def who(self, *people: str) -> list[dict[str, str]]:
        """HVEM?: demo users by id, anyone else by name."""
        return [
            {"user_id": str(self.users[p].id)} if p in self.users else {"name": p} for p in people
        ]


def _dk_tilbud_plan(s: _Seeder) -> None:
    """Seed 000: the opfølgningsplan after an inspection, with its two prioritised rows."""
    leader = s.users["leder"]
    plan = s.plan(
        "dk_tilbud",
        "dk_tilbud",
        "tilbud",
        date(2021, 8, 9),
        title="Opfølgningsplan efter tilsyn fra socialtilsynet, tilsynsdato 22.3-2021",
        filled_in_by="Mette Lund, Anders Holm",
        responsible_manager="Mette Lund",
        origin="inspection",
        inspection_date=date(2021, 3, 22),
        origin_note="Tilsynsbesøg på Lærkevej Nord og Lærkevej Syd.",
        state="approved",
        submitted_at=_at(date(2021, 8, 9)),
        submitted_by=leader.id,
        approved_at=_at(date(2021, 8, 10)),
        approved_by=leader.id,
    )
    first = s.item(
        plan,
        "dk_tilbud/1",
        theme=2,  # Selvstændighed og relationer
        priority=1,
        topic=(
            "Ledelsen skal sikre, at der ikke sker indgreb i borgers selvbestemmelsesret og "
            "sikre borgerens fri adgang til aflåste private elementer."
        ),
        goal=(
            "At der ikke sker indgreb i borgernes selvbestemmelsesret, og at borgere har fri "
            "adgang til aflåste private elementer."
        ),
        activities=(
            "Borger køber maden fra Lærkevej Nord.\n"
            "Borger har fået eget skab til aflåsning af ejendele, hvor kun borger har adgang. "
            "Dvs. vi opbevarer ikke længere borgeres ejendele i depotrum."
        ),
        resources="Personale vejleder borgeren.",
        start_date=date(2021, 7, 12),
        ongoing=True,
        # HVORNÅR? is said by the dates and "Varig ordning": no note that repeats them.
        timeframe_note=None,
        documentation=(
            "Udviklingen dokumenteres i Nexus.\nItalesættes på personalemøde ift. fagudvikling."
        ),
        # HVEM?: both carry it out; the leader follows up.
        responsible=s.who("leder", "medarbejder"),
        follow_up_responsible=s.who("leder"),
        result="Borgeren har nu selvbestemmelsesret og har fri adgang til private effekter.",
        state="done",
    )
    second = s.item(
        plan,
        "dk_tilbud/2",
        theme=4,  # Sundhed og trivsel
        priority=2,
        topic="Ledelsen skal sikre, at reglerne for indberetninger af magtanvendelser efterleves.",
        goal=(
            "At både ledelse og medarbejdere kender reglerne for magtanvendelse, indberetning "
            "af magtanvendelse og kommunens arbejdsgangsbeskrivelse ved indberetning af "
            "magtanvendelse."
        ),
        activities=(
            "Undervisning af ledelse og medarbejdere ved kommunens jurist.\n"
            'Udleveret til medarbejdere og ledelse: "Håndbog om regler om brug af magt for '
            'fagpersoner" udgivet af Socialstyrelsen.\n'
            "Gennemgang af magtanvendelsesindberetning i Nexus i samarbejde med "
            "Myndighedsafdelingen og jurist.\n"
            "Klagevejledning er lagt på intranettet for nem tilgang."
        ),
        resources=(
            "Ledelse og personale har afsat tid til kompetenceløft omkring problemstillingen."
        ),
        start_date=date(2021, 6, 30),
        end_date=date(2021, 9, 30),
        timeframe_note=None,
        documentation=(
            "Referat fra fagligt forum eller personalemøde.\n"
            "Indgår som et punkt i organisationens udviklingsplan."
        ),
        responsible=s.who("leder", "medarbejder"),
        follow_up_responsible=s.who("leder", "medarbejder"),
        result="Processen er ikke slutført endnu.",
        state="in_progress",
    )
    s.note(
        first,
        "dk_tilbud/1/1",
        "leder",
        _at(date(2021, 7, 12), 14),
        "Alle borgere på Lærkevej Nord og Syd har nu eget aflåst skab. Depotrummet er tømt.",
        new_state="done",
    )
    s.note(
        second,
        "dk_tilbud/2/1",
        "medarbejder",
        _at(date(2021, 8, 20), 13),
        "Kommunens jurist har undervist ledelse og medarbejdere (2 timer). Referat ligger i "
        "mappen for personalemøder.",
        new_state="in_progress",
    )
    s.note(
        second,
        "dk_tilbud/2/2",
        "medarbejder",
        _at(date(2021, 8, 27), 9),
        "Håndbogen om brug af magt er udleveret til alle faste medarbejdere; vikarerne mangler.",
    )
    # The dialogue with the socialtilsyn: on the plan as a whole, and on the second row.
    s.message(
        plan,
        None,
        "dk_tilbud/plan/1",
        "tilsyn",
        _at(date(2021, 7, 1), 9),
        "Tak for planen. Vi vil gerne se referatet fra undervisningen, når den er holdt.",
    )
    s.message(
        plan,
        None,
        "dk_tilbud/plan/2",
        "leder",
        _at(date(2021, 7, 1), 13),
        "Det sender vi. Undervisningen er aftalt med kommunens jurist i august.",
    )
    s.message(
        plan,
        second,
        "dk_tilbud/2/m1",
        "tilsyn",
        _at(date(2021, 8, 30), 10),
        "Hvordan sikrer I, at vikarerne også får håndbogen?",
    )


def _dk_plejefamilie_visit(s: _Seeder) -> None:
    """The unannounced visit of 14 January 2026 whose anbefaling the foster-family plan answers."""
    day = date(2026, 1, 14)
    catalogue = catalogue_for_plan(s.session, "dk_plejefamilie", day)
    inspector = s.users["tilsyn"]
    visit = s.get_or_add(
        Visit,
        demo_id("visit", "dk_plejefamilie"),
        unit_id=s.units["plejefamilie"].id,
        catalogue_id=catalogue.id,
        visit_date=day,
        announced=False,
        inspectors=[{"user_id": str(inspector.id)}],
        purpose="ongoing_supervision",
        notes="Besøg i hjemmet en hverdagseftermiddag; samtale med begge plejeforældre.",
        created_by=inspector.id,
    )
    themes = {
        t.number: t.id
        for t in s.session.scalars(select(Theme).where(Theme.catalogue_id == catalogue.id))
    }
    findings = [
        (
            "anbefaling",
            5,
            "Aftal faste rammer for hverdagen, nu hvor familien er vokset.",
            3,
            "Hverdagen fungerer, men rutinerne er under pres.",
            None,
        ),
        (
            "observation",
            4,
            "Plejebarnet fortæller, at det trives og har fået nye venner.",
            4,
            "Barnet og skolen beskriver god trivsel.",
            None,
        ),
        (
            "paabud",
            7,
            "Trappen til førstesalen skal sikres med en låge.",
            None,
            None,
            date(2026, 3, 1),
        ),
    ]
    for kind, number, text, rating, justification, deadline in findings:
        s.get_or_add(
            Finding,
            demo_id("finding", f"dk_plejefamilie/{kind}"),
            visit_id=visit.id,
            unit_id=visit.unit_id,
            theme_id=themes[number],
            kind=kind,
            text=text,
            rating=rating,
            rating_justification=justification,
            deadline=deadline,
            author_id=inspector.id,
            created_at=_at(day, 15),
        )


def _dk_plejefamilie_plan(s: _Seeder) -> None:
    """Seed 001, the STATUS variant: the header names the foster parents and their address.
    The foster parents filled it in and put it in force themselves: no management approval."""
    plan = s.plan(
        "dk_plejefamilie",
        "dk_plejefamilie",
        "plejefamilie",
        date(2026, 2, 2),
        title="Opfølgningsplan for plejefamilien efter tilsynsbesøg",
        filled_in_by="Hanne Skov",
        foster_parents="Hanne og Peter Skov, Skovbrynet 7, 9999 Demoby",
        origin="anbefaling",
        inspection_date=date(2026, 1, 14),
        origin_note="Anbefaling fra socialtilsynet om faste rammer for familiens hverdag.",
        result_label="status",
        state="approved",  # gældende: put in force by the foster parents, approved_by empty
    )
    item = s.item(
        plan,
        "dk_plejefamilie/1",
        theme=5,  # Familiestruktur og familiedynamik
        priority=1,
        finding_id=demo_id("finding", "dk_plejefamilie/anbefaling"),
        topic=(
            "Hverdagen er blevet mindre forudsigelig, efter at familien har fået et plejebarn mere."
        ),
        goal="Faste aftaler om hverdagsrytme og fordeling af opgaver i familien.",
        activities="Ugentligt familiemøde. Fælles ugeplan på køleskabet.",
        resources="Familieplejekonsulent 2 timer om måneden.",
        start_date=date(2026, 2, 15),
        end_date=date(2026, 6, 30),
        timeframe_note="Fra midten af februar til sommerferien.",
        documentation="Logbog og referat fra konsulentbesøg.",
        responsible=s.who("Hanne Skov", "leder"),
        result="Familiemøderne holdes hver søndag.",
        state="in_progress",
    )
    s.item(
        plan,
        "dk_plejefamilie/2",
        theme=6,  # Kompetencer
        priority=2,
        topic="Plejeforældrene ønsker mere viden om reaktioner efter omsorgssvigt.",
        goal="Begge plejeforældre har gennemført kursus i traumebevidst omsorg.",
        activities="Tilmelding til kommunens kursus for plejefamilier.",
        resources="Kursusplads betalt af kommunen.",
        start_date=date(2026, 9, 1),
        end_date=date(2026, 11, 30),
        documentation="Kursusbevis.",
        responsible=s.who("Hanne Skov", "Peter Skov"),
        state="not_started",
    )
    s.note(
        item,
        "dk_plejefamilie/1/1",
        "plejefamilie",
        _at(date(2026, 3, 3), 11),
        "Konsulentbesøg: ugeplanen virker, familiemøderne er i gang.",
        new_state="in_progress",
    )


def _se_handlingsplan(s: _Seeder) -> None:
    """A Swedish handlingsplan after the year's egenkontroll, on two quality areas (seed 003)."""
    plan = s.plan(
        "se_handlingsplan",
        "se_handlingsplan",
        "enhet_bjorkvagen",
        date(2026, 4, 15),
        title="Handlingsplan efter egenkontroll 2026",
        filled_in_by="Eva Lindqvist",
        responsible_manager="Eva Lindqvist",
        origin="own_initiative",
        origin_note="Resultat av årets egenkontroll och brukarundersökning.",
    )
    item = s.item(
        plan,
        "se_handlingsplan/1",
        theme=2,  # Delaktighet
        priority=1,
        topic="Få brukare har medverkat när deras genomförandeplan skrevs.",
        goal="Alla brukare har medverkat i sin genomförandeplan.",
        activities="Genomgång av samtliga genomförandeplaner. Samtal med varje brukare.",
        resources="Kontaktpersonerna, en timme per brukare.",
        start_date=date(2026, 5, 1),
        end_date=date(2026, 10, 31),
        documentation=(
            "Processmått: andel genomförandeplaner med brukarens medverkan. "
            "Följs upp i egenkontrollen."
        ),
        responsible=s.who("chef", "Kontaktpersonerna"),
        state="in_progress",
    )
    s.item(
        plan,
        "se_handlingsplan/2",
        theme=4,  # Personalens kompetens
        priority=2,
        topic="Rutinen för avvikelser och lex Sarah är inte känd av all personal.",
        goal="All personal känner till rutinen för avvikelser och lex Sarah.",
        activities="Utbildning på APT. Rutinen läggs på intranätet.",
        resources="Enhetschef och kvalitetsutvecklare.",
        start_date=date(2026, 5, 1),
        end_date=date(2026, 6, 30),
        documentation="Närvarolista från APT. Antal avvikelserapporter per kvartal.",
        responsible=s.who("chef"),
        result="Utbildningen genomförd i juni; all personal har tagit del av rutinen.",
        state="done",
    )
    s.note(
        item,
        "se_handlingsplan/1/1",
        "chef",
        _at(date(2026, 6, 12), 15),
        "Hälften av genomförandeplanerna är genomgångna tillsammans med brukarna.",
        new_state="in_progress",
    )


def _se_quality_follow_up(s: _Seeder) -> None:
    """The Swedish quality follow-up of Stöd och omsorg (seeds 003 and 004): default areas,
    measures and survey questions, the 2026 årshjul, values, register entries, pseudonymous
    cases, and a link from the handlingsplan to the lex Sarah that led to it. Fictional."""
    from server.services.access import load_principal
    from server.services.quality import measure_value_id
    from server.services.quality_cycle import create_default_content, create_default_cycle

    chef = load_principal(s.session, s.users["chef"].id)
    verksamhet, bjorkvagen, lonnen = (
        s.units[k] for k in ("verksamhet", "enhet_bjorkvagen", "enhet_lonnen")
    )
    for table, added in create_default_content(s.session, chef, verksamhet.id).items():
        s.result.added[table] = s.result.added.get(table, 0) + added
    for _task in create_default_cycle(s.session, chef, verksamhet.id, 2026):
        s.result.count("annual_tasks")
    measures = {
        m.name: m
        for m in s.session.scalars(
            select(QualityMeasure).where(QualityMeasure.unit_id == verksamhet.id)
        )
    }
    values = (
        ("Antal genomförandeplaner som avslutats enligt plan", bjorkvagen, "2026-T1", 4, None),
        ("Antal genomförandeplaner som avslutats enligt plan", lonnen, "2026-T1", 6, None),
        ("Antal genomförandeplaner som avslutats enligt plan", bjorkvagen, "2026-T2", 5, None),
        ("Antal genomförandeplaner som avslutats enligt plan", lonnen, "2026-T2", 3, None),
        ("Andel genomförandeplaner som avslutats enligt plan", bjorkvagen, "2026-T1", None, (4, 5)),
        ("Andel genomförandeplaner som avslutats enligt plan", lonnen, "2026-T1", None, (6, 9)),
        ("Antal platser", bjorkvagen, "2026", 6, None),
        ("Antal platser", lonnen, "2026", 25, None),
    )
    for name, unit, period, value, ratio in values:
        measure = measures.get(name)
        if measure is None:  # renamed by someone since
            continue
        s.get_or_add(
            MeasureValue,
            measure_value_id(measure.id, unit.id, period),
            measure_id=measure.id,
            unit_id=unit.id,
            period=period,
            value=value if ratio is None else ratio[0] / ratio[1],
            numerator=ratio[0] if ratio else None,
            denominator=ratio[1] if ratio else None,
        )
    entries = (
        (
            "deviation",
            bjorkvagen,
            date(2026, 2, 10),
            "Läkemedel gavs för sent",
            "Kvällsdosen gavs två timmar för sent.",
            "Överlämningen mellan pass brast.",
        ),
        (
            "lex_sarah",
            bjorkvagen,
            date(2026, 3, 2),
            "Brukare lämnades utan stöd vid aktivitet",
            "Utredning enligt lex Sarah.",
            "Rutinen för avvikelser och lex Sarah var inte känd.",
        ),
        (
            "self_inspection",
            lonnen,
            date(2026, 3, 20),
            "Egenkontroll av dokumentation",
            "Tio genomförandeplaner granskades.",
            "Sju av tio var aktuella.",
        ),
        (
            "complaint",
            lonnen,
            date(2026, 4, 3),
            "Synpunkt om aktiviteter",
            "En anhörig önskar fler aktiviteter utomhus.",
            None,
        ),
        (
            "national_survey",
            verksamhet,
            date(2026, 5, 15),
            "Brukarundersökningen inom funktionshinderområdet",
            None,
            None,
        ),
    )
    for kind, unit, day, title, description, analysis in entries:
        s.get_or_add(
            RegisterEntry,
            demo_id("register", kind, title),
            unit_id=unit.id,
            entry_date=day,
            kind=kind,
            title=title,
            description=description,
            analysis=analysis,
        )
    cases = (
        (
            "BV-2026-1",
            bjorkvagen,
            "Boendestöd",
            "21-29",
            "female",
            ["Vardagsrutiner"],
            date(2026, 1, 8),
            date(2026, 4, 20),
            "planned",
            "yes",
            "improved",
        ),
        (
            "BV-2026-2",
            bjorkvagen,
            "Boendestöd",
            "30-49",
            "male",
            ["Social samvaro"],
            date(2026, 2, 1),
            date(2026, 3, 30),
            "interrupted",
            "no",
            "unchanged",
        ),
        (
            "BV-2026-3",
            bjorkvagen,
            "Korttidsvistelse",
            "18-20",
            "male",
            ["Vardagsrutiner"],
            date(2026, 3, 1),
            None,
            None,
            None,
            None,
        ),
        (
            "DL-2026-1",
            lonnen,
            "Daglig verksamhet",
            "30-49",
            "female",
            ["Sysselsättning", "Kommunikation"],
            date(2026, 1, 12),
            date(2026, 4, 28),
            "planned",
            "partly",
            "improved",
        ),
        (
            "DL-2026-2",
            lonnen,
            "Daglig verksamhet",
            "50-64",
            "male",
            ["Sysselsättning"],
            date(2026, 1, 20),
            None,
            None,
            None,
            None,
        ),
    )
    for code, unit, intervention, age, gender, needs, start, end, reason, met, after in cases:
        s.get_or_add(
            CaseRecord,
            demo_id("case", code),
            unit_id=unit.id,
            case_code=code,
            intervention=intervention,
            age_band=age,
            gender=gender,
            needs=needs,
            started_on=start,
            ended_on=end,
            end_reason=reason,
            needs_met=met,
            situation_after=after,
        )
    s.get_or_add(
        QualityLink,
        demo_id("link", "se_handlingsplan/2", "lex_sarah"),
        plan_item_id=demo_id("item", "se_handlingsplan/2"),
        plan_id=demo_id("plan", "se_handlingsplan"),
        unit_id=bjorkvagen.id,
        source_table="register_entries",
        source_id=demo_id("register", "lex_sarah", "Brukare lämnades utan stöd vid aktivitet"),
    )


def _se_follow_up_levels(s: _Seeder) -> None:
    """The other follow-up levels of seed 003 for Stöd och omsorg: an uppdragsuppföljning of
    Björkvägen with a deviation, and a tematisk uppföljning of måltider across both enheter,
    Lönnen's result given. Fictional."""
    from server.models import (
        AssignmentFollowUp,
        FollowUpDeviation,
        ThematicFollowUp,
        ThematicResult,
    )
    from server.services.quality import thematic_result_id

    verksamhet, bjorkvagen, lonnen = (
        s.units[k] for k in ("verksamhet", "enhet_bjorkvagen", "enhet_lonnen")
    )
    follow_up = s.get_or_add(
        AssignmentFollowUp,
        demo_id("assignment_follow_up", "bjorkvagen/2026"),
        unit_id=bjorkvagen.id,
        subject_kind="assignment",
        subject="Uppdrag gruppbostad enligt LSS 2026",
        provider_kind="own",
        requirements="Genomförandeplan inom 14 dagar från beslut. Kontaktman för varje brukare.",
        method="Granskning av genomförandeplaner och samtal med enhetschefen.",
        responsible_name="Kvalitetsutvecklare, socialförvaltningen",
        planned_on=date(2026, 9, 15),
        done_on=date(2026, 9, 22),
        result="Fem av sex genomförandeplaner var aktuella; alla brukare har en kontaktman.",
        outcome="partly_met",
    )
    s.get_or_add(
        FollowUpDeviation,
        demo_id("follow_up_deviation", "bjorkvagen/2026/1"),
        follow_up_id=follow_up.id,
        unit_id=bjorkvagen.id,
        requirement="Genomförandeplanen följs upp minst en gång om året.",
        description="En genomförandeplan har inte följts upp på över ett år.",
        action_required="Följ upp planen och lägg uppföljningen i årshjulet.",
        due_date=date(2026, 11, 30),
    )
    theme = s.get_or_add(
        ThematicFollowUp,
        demo_id("thematic_follow_up", "maltider/2026"),
        unit_id=verksamhet.id,
        theme="Måltider",
        question="Hur uppfyller enheterna riktlinjen för måltider, och har brukarna inflytande?",
        method="Observation vid måltid och samtal med brukare.",
        responsible_name="Kvalitetsutvecklare, socialförvaltningen",
        scope_unit_ids=[str(bjorkvagen.id), str(lonnen.id)],
        planned_on=date(2026, 10, 1),
    )
    s.get_or_add(
        ThematicResult,
        thematic_result_id(theme.id, lonnen.id),
        follow_up_id=theme.id,
        unit_id=lonnen.id,
        outcome="partly_met",
        result="Brukarna väljer mellanmål själva men inte lunch.",
        assessed_on=date(2026, 10, 8),
    )


def _se_risk_and_self_inspection(s: _Seeder) -> None:
    """Seed 003's egenkontroll checklists for Stöd och omsorg, and a riskanalys of Björkvägen
    (SOSFS 2011:9, 5 kap). Fictional."""
    from server.models import RiskAnalysis
    from server.services.access import load_principal
    from server.services.quality_selfinspection import create_default_checklists

    chef = load_principal(s.session, s.users["chef"].id)
    added = create_default_checklists(s.session, chef, s.units["verksamhet"].id)["checklists"]
    s.result.added["checklists"] = s.result.added.get("checklists", 0) + added
    s.get_or_add(
        RiskAnalysis,
        demo_id("risk", "bjorkvagen", "vikarier"),
        unit_id=s.units["enhet_bjorkvagen"].id,
        analysed_on=date(2026, 4, 20),
        event="Läkemedel ges fel under sommaren, när vikarier inte har gått igenom rutinen.",
        probability=3,
        consequence=4,
        measures="Alla vikarier går igenom läkemedelsrutinen före första passet; dubbelsignering.",
        responsible="Eva Lindqvist",
        due_date=date(2026, 6, 1),
        follow_up_date=date(2026, 9, 15),
    )


def seed_demo(session: Session) -> SeedResult:
    """Add whatever demo data is missing; flushes but leaves the commit to the caller."""
    ensure_catalogues(session)
    seeder = _Seeder(session)
    seeder.organisations_and_units()
    seeder.users_and_memberships()
    _dk_tilbud_plan(seeder)
    _dk_plejefamilie_visit(seeder)
    _dk_plejefamilie_plan(seeder)
    _se_handlingsplan(seeder)
    _se_quality_follow_up(seeder)
    _se_follow_up_levels(seeder)
    _se_risk_and_self_inspection(seeder)
    return seeder.result
