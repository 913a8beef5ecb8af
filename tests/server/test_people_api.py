"""GET /api/people: the names the PWA shows for user ids (HVEM?, comments, tasks)."""

from __future__ import annotations

from tests.helpers import assert_error, login


def test_people_are_those_of_the_users_units_and_the_units_above_by_name_only(client, factory):
    verksamhet = factory.unit(kind="se_verksamhet")
    enhet = factory.unit(kind="se_enhet", parent=verksamhet)
    elsewhere = factory.unit()
    chief = factory.user(("manager", verksamhet), name="Eva Chef")
    staff = factory.user(("staff", enhet), name="Sara Personal")
    colleague = factory.user(("staff", enhet), name="Bo Kollega")
    factory.user(("staff", elsewhere), name="Ole Andetsteds")

    response = client.get("/api/people", headers=login(client, staff))
    assert response.status_code == 200
    assert response.json == sorted(
        [
            {"id": str(u.id), "name": u.name, "unit_ids": [str(unit.id)]}
            for u, unit in ((chief, verksamhet), (staff, enhet), (colleague, enhet))
            # the manager above is named too
        ],
        key=lambda p: p["name"],
    )

    # A manager of the verksamhet meets the people of its enheter.
    names = {p["name"] for p in client.get("/api/people", headers=login(client, chief)).json}
    assert names == {"Eva Chef", "Sara Personal", "Bo Kollega"}


def test_a_person_with_roles_in_two_units_is_listed_once_with_both(client, factory):
    one, two = factory.unit(), factory.unit()
    both = factory.user(("staff", one), ("manager", two), name="Ida Begge")
    [listed] = client.get("/api/people", headers=login(client, both)).json
    assert (listed["id"], listed["name"]) == (str(both.id), "Ida Begge")
    assert sorted(listed["unit_ids"]) == sorted([str(one.id), str(two.id)])


def test_people_needs_a_login(client):
    assert_error(client.get("/api/people"), 401, "unauthenticated")
