"""Evidence on a plan row or a progress note: bytes uploaded like a visit photo's (resumable,
by SHA-256, metadata stripped), a record synced like any row, limited by type and size."""

from __future__ import annotations

import uuid
import zlib

import pytest

from server.extensions import db
from server.models import PhotoBlob, PlanAttachment
from server.services.photos import has_location_metadata, strip_metadata
from tests.foster.conftest import foster_plan_body
from tests.helpers import assert_error, login
from tests.server.visit_helpers import jpeg, sha256, upload
from tests.sync.test_push_api import results, upsert


def pdf(info: bytes = b"/Author (Hanne Eg \\(mor\\)) /Producer <48616e6e65>", xmp: bool = True):
    """A small PDF with a document information dictionary and, optionally, an XMP packet."""
    packet = (
        b'<?xpacket begin="" id="W5M0MpCehiHzreSzNTczkc9d"?><x:xmpmeta xmlns:x="adobe:ns:meta/">'
        b'<dc:creator>Hanne Eg</dc:creator></x:xmpmeta><?xpacket end="w"?>'
    )
    body = [
        b"%PDF-1.4\n",
        b"1 0 obj << /Type /Catalog /Pages 2 0 R >> endobj\n",
        b"2 0 obj << /Type /Pages /Kids [] /Count 0 >> endobj\n",
        b"3 0 obj << " + info + b" >> endobj\n",
    ]
    if xmp:
        body.append(
            b"4 0 obj << /Type /Metadata /Subtype /XML /Length %d >> stream\n" % len(packet)
            + packet
            + b"\nendstream endobj\n"
        )
    body.append(b"trailer << /Root 1 0 R /Info 3 0 R >>\nstartxref\n0\n%%EOF\n")
    return b"".join(body)


def _plan_and_item(client, family):
    plan = client.post(
        "/api/plans", json=foster_plan_body(family), headers=family.headers["foster_parent"]
    ).json
    item = client.post(
        f"/api/plans/{plan['id']}/items",
        json={"topic": "Kursus", "documentation": "Kursusbevis"},
        headers=family.headers["foster_parent"],
    ).json
    return plan, item


def _attach(client, headers, item_id, data, content_type="image/jpeg", **fields):
    body = {
        "sha256": sha256(data),
        "content_type": content_type,
        "size_bytes": len(data),
        "filename": "kursusbevis.jpg",
        **fields,
    }
    return client.post(f"/api/items/{item_id}/attachments", json=body, headers=headers)


def test_a_foster_parent_attaches_a_photo_to_a_row_and_its_location_is_stripped(client, family):
    _, item = _plan_and_item(client, family)
    photo = jpeg(with_gps=True)
    assert upload(client, family.headers["foster_parent"], photo).json["complete"] is True
    created = _attach(client, family.headers["foster_parent"], item["id"], photo)
    assert created.status_code == 201, created.json
    assert created.json["plan_id"] and created.json["created_by"] == str(family.foster_parent.id)
    stored = db.session.get(PhotoBlob, sha256(photo))
    assert stored is not None and not has_location_metadata(stored.data)
    # Every reader of the unit gets the bytes: the consultant and the inspector.
    for role in ("consultant", "inspector"):
        got = client.get(f"/api/photos/{sha256(photo)}", headers=family.headers[role])
        assert got.status_code == 200 and got.data == stored.data
    listed = client.get(f"/api/items/{item['id']}/attachments", headers=family.headers["inspector"])
    assert [a["filename"] for a in listed.json] == ["kursusbevis.jpg"]


def test_a_note_carries_its_own_attachment(client, family):
    _, item = _plan_and_item(client, family)
    note = client.post(
        f"/api/items/{item['id']}/notes",
        json={"text": "Kursus gennemført"},
        headers=family.headers["consultant"],
    ).json
    data = jpeg(payload=b"note")
    upload(client, family.headers["consultant"], data)
    created = _attach(client, family.headers["consultant"], item["id"], data, note_id=note["id"])
    assert created.status_code == 201 and created.json["note_id"] == note["id"]


def test_a_pdf_loses_its_document_information_and_xmp_but_keeps_its_length(client, family):
    _, item = _plan_and_item(client, family)
    original = pdf()
    scrubbed = strip_metadata(original, "application/pdf")
    assert len(scrubbed) == len(original)
    assert b"Hanne" not in scrubbed and b"48616e6e65" not in scrubbed
    assert b"/Author" in scrubbed and b"/Root 1 0 R" in scrubbed  # structure kept
    assert upload(client, family.headers["foster_parent"], original, "application/pdf").json[
        "complete"
    ]
    created = _attach(
        client,
        family.headers["foster_parent"],
        item["id"],
        original,
        "application/pdf",
        filename="kursusbevis.pdf",
    )
    assert created.status_code == 201, created.json
    got = client.get(f"/api/photos/{sha256(original)}", headers=family.headers["inspector"])
    assert got.status_code == 200 and got.data == scrubbed
    assert got.headers["Content-Disposition"].startswith("attachment")


def test_a_pdf_with_compressed_metadata_is_refused(client, family):
    packed = zlib.compress(b"3 0 << /Author (Hanne Eg) >>")
    data = (
        b"%PDF-1.5\n" + b"5 0 obj << /Type /ObjStm /N 1 /First 4 /Filter /FlateDecode /Length %d >>"
        b" stream\n" % len(packed) + packed + b"\nendstream endobj\ntrailer << >>\n%%EOF\n"
    )
    response = upload(client, family.headers["foster_parent"], data, "application/pdf")
    assert_error(response, 422, "invalid_input", "content_type")
    assert db.session.get(PhotoBlob, sha256(data)) is None


@pytest.mark.parametrize(
    ("content_type", "data"),
    [("image/gif", b"GIF89a"), ("application/pdf", b"not a pdf"), ("text/html", b"<script>")],
)
def test_uploads_other_than_photos_and_pdfs_are_refused(client, family, content_type, data):
    response = upload(client, family.headers["foster_parent"], data, content_type)
    assert_error(response, 422, "invalid_input", "content_type")


def test_the_record_is_limited_in_type_and_size(client, family):
    _, item = _plan_and_item(client, family)
    data = jpeg(payload=b"limits")
    upload(client, family.headers["foster_parent"], data)
    headers = family.headers["foster_parent"]
    assert_error(
        _attach(client, headers, item["id"], data, "image/gif"),
        422,
        "invalid_input",
        "content_type",
    )
    assert_error(
        _attach(client, headers, item["id"], data, size_bytes=11 * 1024 * 1024),
        422,
        "invalid_input",
        "size_bytes",
    )


def test_a_hash_someone_else_uploaded_elsewhere_cannot_be_named(client, factory, family):
    other_unit = factory.unit("dk_plejefamilie")
    other = factory.user(("foster_parent", other_unit))
    data = jpeg(payload=b"someone else's")
    upload(client, login(client, other), data)
    _, item = _plan_and_item(client, family)
    response = _attach(client, family.headers["foster_parent"], item["id"], data)
    assert_error(response, 422, "invalid_input", "sha256")
    # ... nor read: the bytes belong to the other family's unit only.
    got = client.get(f"/api/photos/{sha256(data)}", headers=family.headers["foster_parent"])
    assert_error(got, 404, "not_found")


def test_an_inspector_does_not_attach_evidence_to_the_familys_row(client, family):
    _, item = _plan_and_item(client, family)
    data = jpeg(payload=b"inspector")
    upload(client, family.headers["inspector"], data)
    assert_error(_attach(client, family.headers["inspector"], item["id"], data), 403, "forbidden")


def test_only_the_author_or_a_plan_keeper_deletes_an_attachment(client, family):
    _, item = _plan_and_item(client, family)
    data = jpeg(payload=b"delete me")
    upload(client, family.headers["foster_parent"], data)
    attachment = _attach(client, family.headers["foster_parent"], item["id"], data).json
    refused = client.delete(
        f"/api/attachments/{attachment['id']}", headers=family.headers["consultant"]
    )
    assert_error(refused, 403, "forbidden")
    deleted = client.delete(
        f"/api/attachments/{attachment['id']}", headers=family.headers["foster_parent"]
    )
    assert deleted.status_code == 204
    db.session.expire_all()
    assert db.session.get(PlanAttachment, uuid.UUID(attachment["id"])).deleted is True
    # A deleted record no longer opens the bytes to other readers.
    got = client.get(f"/api/photos/{sha256(data)}", headers=family.headers["inspector"])
    assert_error(got, 404, "not_found")


def test_an_attachment_syncs_up_and_down(client, family, api):
    _, item = _plan_and_item(client, family)
    data = jpeg(payload=b"synced")
    upload(client, family.headers["foster_parent"], data)
    attachment_id = uuid.uuid4()
    fields = {
        "item_id": item["id"],
        "sha256": sha256(data),
        "content_type": "image/jpeg",
        "size_bytes": len(data),
        "filename": "ugeplan.jpg",
        "created_at": "2026-03-01T10:00:00+00:00",
    }
    [answer] = results(
        api(family.foster_parent).push([upsert(1, "plan_attachments", attachment_id, fields)])
    )
    assert answer["status"] == "applied", answer
    changes, _ = api(family.inspector).pull_all()
    [pulled] = [c for c in changes if c["id"] == str(attachment_id)]
    assert pulled["table"] == "plan_attachments"
    assert pulled["fields"]["unit_id"] == str(family.unit.id)
    assert pulled["fields"]["plan_id"] == item["plan_id"]
    # A record naming bytes never uploaded is refused, per mutation.
    [missing] = results(
        api(family.foster_parent).push(
            [upsert(2, "plan_attachments", uuid.uuid4(), {**fields, "sha256": "a" * 64})]
        )
    )
    assert missing["status"] == "rejected" and "sha256" in missing["error"]["fields"]


def test_nothing_is_attached_to_an_archived_plan(client, family, factory):
    plan = factory.plan(family.unit, kind="dk_plejefamilie", state="archived")
    item = factory.item(plan)
    data = jpeg(payload=b"late")
    upload(client, family.headers["foster_parent"], data)
    response = _attach(client, family.headers["foster_parent"], item.id, data)
    assert_error(response, 409, "invalid_state")


def test_gc_keeps_the_bytes_a_live_attachment_names(client, family, runner):
    from tests.sync.test_gc import _age_blobs, _blobs

    _, item = _plan_and_item(client, family)
    kept, dropped = jpeg(payload=b"kept"), jpeg(payload=b"dropped")
    for data in (kept, dropped):
        upload(client, family.headers["foster_parent"], data)
    _attach(client, family.headers["foster_parent"], item["id"], kept)
    gone = _attach(client, family.headers["foster_parent"], item["id"], dropped).json
    client.delete(f"/api/attachments/{gone['id']}", headers=family.headers["foster_parent"])
    _age_blobs([sha256(kept), sha256(dropped)], hours=721)
    result = runner.invoke(args=["sync-gc"])
    assert result.exit_code == 0, result.output
    assert sha256(kept) in _blobs() and sha256(dropped) not in _blobs()
