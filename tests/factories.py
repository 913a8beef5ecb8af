"""Small factory functions for tests: an organisation with units, users with roles, plans."""

from __future__ import annotations

import itertools
import uuid
from datetime import date
from typing import Any

from argon2 import PasswordHasher
from sqlalchemy.orm import Session

from server import clock
from server.models import Membership, Organisation, Plan, PlanItem, ProgressNote, Unit, User
from server.services.catalogues import catalogue_for_plan

PASSWORD = "correct horse battery"
_counter = itertools.count(1)
# Argon2 is slow by design. Test users share one hash made with the cheapest parameters;
# verifying reads the parameters from the hash, so every login in the suite stays fast.
_PASSWORD_HASH = PasswordHasher(time_cost=1, memory_cost=1024, parallelism=1).hash(PASSWORD)


def _password_hash() -> str:
    return _PASSWORD_HASH


class Factory:
    def __init__(self, session: Session):
        self.session = session
        self._org: Organisation | None = None

    def organisation(self, country: str = "DK") -> Organisation:
        org = Organisation(name=f"Org {next(_counter)}", country=country)
        self.session.add(org)
        self.session.flush()
        return org

    def switch_organisation(self, country: str = "DK") -> Organisation:
        """Units made from now on belong to a new organisation (another tenant)."""
        self._org = self.organisation(country)
        return self._org

    def unit(self, kind: str = "dk_tilbud", parent: Unit | None = None, **kw: Any) -> Unit:
        if self._org is None:
            self._org = self.organisation()
        unit = Unit(
            name=kw.pop("name", f"Unit {next(_counter)}"),
            kind=kind,
            organisation_id=self._org.id,
            parent_id=parent.id if parent else None,
            **kw,
        )
        self.session.add(unit)
        self.session.commit()
        return unit

    def user(self, *roles: tuple[str, Unit], email: str | None = None, **kw: Any) -> User:
        n = next(_counter)
        user = User(
            email=email or f"user{n}@test.example",
            name=kw.pop("name", f"Test User {n}"),
            # English unless a test says otherwise: tests read the server's source messages.
            language=kw.pop("language", "en"),
            password_hash=_password_hash(),
            created_at=clock.now(),
            **kw,
        )
        self.session.add(user)
        self.session.flush()
        for role, unit in roles:
            self.session.add(Membership(user_id=user.id, unit_id=unit.id, role=role))
        self.session.commit()
        return user

    def plan(self, unit: Unit, kind: str = "dk_tilbud", **kw: Any) -> Plan:
        plan_date = kw.pop("plan_date", date(2026, 1, 15))
        catalogue = catalogue_for_plan(self.session, kind, plan_date)
        plan = Plan(
            unit_id=unit.id,
            kind=kind,
            catalogue_id=catalogue.id,
            title=kw.pop("title", "Opfølgningsplan efter tilsyn"),
            plan_date=plan_date,
            **kw,
        )
        self.session.add(plan)
        self.session.commit()
        return plan

    def theme(self, plan: Plan, number: int = 4):
        from server.models import Catalogue

        catalogue = self.session.get(Catalogue, plan.catalogue_id)
        return next(t for t in catalogue.themes if t.number == number)

    def item(self, plan: Plan, **kw: Any) -> PlanItem:
        priority = kw.pop("priority", len(plan.items) + 1)
        item = PlanItem(
            plan_id=plan.id,
            unit_id=plan.unit_id,
            priority=priority,
            theme_id=kw.pop("theme_id", self.theme(plan).id),
            topic=kw.pop("topic", "Magtanvendelse"),
            goal=kw.pop("goal", "Alle kender reglerne"),
            **kw,
        )
        self.session.add(item)
        self.session.commit()
        return item

    def note(self, item: PlanItem, author: User, text: str = "Undervisning holdt") -> ProgressNote:
        note = ProgressNote(
            id=uuid.uuid4(),
            item_id=item.id,
            plan_id=item.plan_id,
            unit_id=item.unit_id,
            text=text,
            author_id=author.id,
            created_at=clock.now(),
        )
        self.session.add(note)
        self.session.commit()
        return note
