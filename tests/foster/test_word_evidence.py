"""The Word export, read back with python-docx: after the template's table, each row's state
and its evidence (attachments on the row and on its notes) and, with ``?notes=1``, its
progress notes signed with author and date."""

from __future__ import annotations

import io

from docx import Document

from tests.foster.conftest import foster_plan_body
from tests.foster.test_attachments import pdf
from tests.server.visit_helpers import jpeg, sha256, upload


def _paragraphs(client, headers, plan_id, query=""):
    response = client.get(f"/api/plans/{plan_id}/export.docx{query}", headers=headers)
    assert response.status_code == 200, response.data[:200]
    return [p.text for p in Document(io.BytesIO(response.data)).paragraphs if p.text]


def _scene(client, family):
    fp = family.headers["foster_parent"]
    plan = client.post("/api/plans", json=foster_plan_body(family), headers=fp).json
    first = client.post(
        f"/api/plans/{plan['id']}/items", json={"topic": "Faste rammer"}, headers=fp
    ).json
    client.post(f"/api/plans/{plan['id']}/items", json={"topic": "Kursus"}, headers=fp)
    note = client.post(
        f"/api/items/{first['id']}/notes",
        json={
            "text": "Familiemøde hver søndag.",
            "new_state": "in_progress",
            "created_at": "2026-03-03T11:00:00+00:00",
        },
        headers=fp,
    ).json
    photo, certificate = jpeg(payload=b"ugeplan"), pdf()
    upload(client, fp, photo)
    upload(client, fp, certificate, "application/pdf")
    for data, kind, name, note_id in (
        (photo, "image/jpeg", "ugeplan.jpg", None),
        (certificate, "application/pdf", "referat.pdf", note["id"]),
    ):
        response = client.post(
            f"/api/items/{first['id']}/attachments",
            json={
                "sha256": sha256(data),
                "content_type": kind,
                "size_bytes": len(data),
                "filename": name,
                "note_id": note_id,
                "created_at": "2026-03-03T12:00:00+00:00",
            },
            headers=fp,
        )
        assert response.status_code == 201, response.json
    return plan


def test_the_export_shows_each_rows_state_and_its_evidence(client, family):
    plan = _scene(client, family)
    text = _paragraphs(client, family.headers["inspector"], plan["id"], "?lang=da")
    assert "Rækkernes tilstand og dokumentation" in text
    assert "1. prioritet: Faste rammer" in text and "2. prioritet: Kursus" in text
    assert "Tilstand: I gang" in text and "Tilstand: Ikke startet" in text
    listed = [line for line in text if line.startswith(("ugeplan.jpg", "referat.pdf"))]
    # Without the notes, a note's evidence is listed with its row: nothing goes unlisted.
    assert len(listed) == 2
    assert any(line.startswith("ugeplan.jpg (foto,") and "Hanne Eg" in line for line in listed)
    assert any(line.startswith("referat.pdf (PDF,") for line in listed)
    assert "Familiemøde hver søndag." not in text


def test_with_notes_each_note_is_signed_and_carries_its_own_evidence(client, family):
    plan = _scene(client, family)
    text = _paragraphs(client, family.headers["inspector"], plan["id"], "?notes=1&lang=en")
    assert "The rows' state, progress and evidence" in text
    at = text.index("Familiemøde hver søndag.")
    signature = text[at - 1]
    assert signature.startswith("Hanne Eg · ") and "State: In progress" in signature
    assert "2026" in signature
    assert text[at + 1] == "Attached to the note:" and text[at + 2].startswith("referat.pdf (PDF,")
    assert "No progress notes." in text  # the second row has none
    row_evidence = text.index("Attachments (evidence):")
    assert text[row_evidence + 1].startswith("ugeplan.jpg (photo,")
