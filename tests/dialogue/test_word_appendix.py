"""The dialogue as an optional appendix of the Word export (``?threads=1``), read back with
python-docx: the plan's thread, then each row's, each message signed with side, name and time."""

from __future__ import annotations

import io

import pytest
from docx import Document

from tests.helpers import assert_error, login


@pytest.fixture
def scene(client, factory):
    unit = factory.unit(name="Lærken")
    plan = factory.plan(unit, title="Opfølgning efter tilsyn")
    first = factory.item(plan, topic="Magtanvendelser")
    second = factory.item(plan, topic="Aftenaktiviteter")
    inspector = factory.user(("inspector", unit), name="Karin Dahl")
    manager = factory.user(("manager", unit), name="Mette Lund")
    return {"plan": plan, "items": (first, second), "inspector": inspector, "manager": manager}


def _say(client, user, path, body, created_at):
    response = client.post(
        path, json={"body": body, "created_at": created_at}, headers=login(client, user)
    )
    assert response.status_code == 201, response.json


def _paragraphs(client, user, plan, query=""):
    response = client.get(f"/api/plans/{plan.id}/export.docx{query}", headers=login(client, user))
    assert response.status_code == 200, response.data[:200]
    return [p.text for p in Document(io.BytesIO(response.data)).paragraphs if p.text]


def test_the_appendix_holds_each_thread_signed_by_side_name_and_time(client, scene):
    plan, (first, _second) = scene["plan"], scene["items"]
    _say(
        client,
        scene["inspector"],
        f"/api/plans/{plan.id}/messages",
        "Send planen inden fredag.",
        "2026-03-02T09:05:00+00:00",
    )
    _say(
        client,
        scene["manager"],
        f"/api/plans/{plan.id}/messages",
        "Det gør vi.",
        "2026-03-02T11:30:00+00:00",
    )
    _say(
        client,
        scene["manager"],
        f"/api/items/{first.id}/messages",
        "Indberetningen er lavet.",
        "2026-03-04T08:00:00+00:00",
    )

    text = _paragraphs(client, scene["manager"], plan, "?threads=1&lang=da")

    start = text.index("Bilag: Dialog med tilsynet")
    assert text[start:] == [
        "Bilag: Dialog med tilsynet",
        "Planen som helhed",
        "Tilsynsførende Karin Dahl · 2. marts 2026 10.05",
        "Send planen inden fredag.",
        "Mette Lund · 2. marts 2026 12.30",
        "Det gør vi.",
        "1. prioritet: Magtanvendelser",
        "Mette Lund · 4. marts 2026 09.00",
        "Indberetningen er lavet.",
        "2. prioritet: Aftenaktiviteter",
        "Ingen beskeder.",
    ]


def test_the_appendix_speaks_the_readers_language(client, scene):
    plan = scene["plan"]
    _say(
        client,
        scene["inspector"],
        f"/api/plans/{plan.id}/messages",
        "Hej",
        "2026-03-02T09:05:00+00:00",
    )
    text = _paragraphs(client, scene["inspector"], plan, "?threads=true&lang=sv")
    assert "Bilaga: Dialog med tillsynen" in text
    assert "Inspektör Karin Dahl · 2 mars 2026 10:05" in text


def test_without_the_flag_the_document_has_no_appendix(client, scene):
    plan = scene["plan"]
    _say(
        client,
        scene["inspector"],
        f"/api/plans/{plan.id}/messages",
        "Hej",
        "2026-03-02T09:05:00+00:00",
    )
    text = _paragraphs(client, scene["manager"], plan, "?lang=da")
    assert "Bilag: Dialog med tilsynet" not in text and "Hej" not in text
    response = client.get(
        f"/api/plans/{plan.id}/export.docx?threads=maybe", headers=login(client, scene["manager"])
    )
    assert_error(response, 422, "invalid_input", "threads")
