"""A foster family with its people: the foster parent, the municipality's family-care
consultant (staff), a manager above it who may approve, and an inspector."""

from __future__ import annotations

from dataclasses import dataclass

import pytest

from server.models import Unit, User
from tests.helpers import login
from tests.push.conftest import push_app, receiver  # noqa: F401 (fixtures)
from tests.sync.conftest import api  # noqa: F401 (a fixture)


@dataclass
class Family:
    unit: Unit
    foster_parent: User
    consultant: User
    manager: User
    inspector: User
    headers: dict[str, dict[str, str]]


@pytest.fixture
def family(client, factory) -> Family:
    municipality = factory.unit("dk_tilbud", name="Familieplejen")
    unit = factory.unit("dk_plejefamilie", parent=municipality, name="Plejefamilien Eg")
    people = {
        "foster_parent": factory.user(("foster_parent", unit), name="Hanne Eg"),
        "consultant": factory.user(("staff", unit), name="Lise Konsulent"),
        "manager": factory.user(("manager", municipality), name="Mette Leder"),
        "inspector": factory.user(("inspector", unit), name="Karin Tilsyn"),
    }
    headers = {role: login(client, user) for role, user in people.items()}
    return Family(unit=unit, headers=headers, **people)


def foster_plan_body(family: Family, **fields) -> dict:
    return {
        "unit_id": str(family.unit.id),
        "kind": "dk_plejefamilie",
        "title": "Vores opfølgningsplan",
        "foster_parents": "Hanne og Ole Eg, Egevej 1",
        "filled_in_by": "Hanne Eg",
        **fields,
    }
