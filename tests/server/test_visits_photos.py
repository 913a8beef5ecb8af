"""Photo bytes: resumable, idempotent upload by SHA-256, limits, location metadata stripped,
and reading limited to those who may read a unit whose visit names the photo."""

from __future__ import annotations

import struct
import uuid
import zlib

from server import clock
from server.extensions import db
from server.models import PhotoBlob, VisitPhoto
from server.models.versioning import act_as
from server.services.photos import has_location_metadata, strip_metadata
from tests.helpers import assert_error, login
from tests.server.visit_helpers import cast, jpeg, post_visit, sha256, upload
from tests.sync.test_push_api import upsert


def _png_chunk(kind: bytes, data: bytes) -> bytes:
    return struct.pack(">I", len(data)) + kind + data + zlib.crc32(kind + data).to_bytes(4, "big")


PNG = (
    b"\x89PNG\r\n\x1a\n"
    + _png_chunk(b"IHDR", struct.pack(">IIBBBBB", 1, 1, 8, 2, 0, 0, 0))
    + _png_chunk(b"eXIf", b"MM\x00*GPSLatitude55.6761N")
    + _png_chunk(b"IDAT", zlib.compress(b"\x00\xff\x00\x00"))
    + _png_chunk(b"IEND", b"")
)


def test_strip_metadata_drops_exif_and_keeps_the_image_segments():
    original = jpeg(with_gps=True)
    stripped = strip_metadata(original, "image/jpeg")
    assert has_location_metadata(original) and not has_location_metadata(stripped)
    assert stripped == jpeg(with_gps=False)
    png = strip_metadata(PNG, "image/png")
    assert b"eXIf" not in png and png.endswith(b"IEND\xaeB`\x82") and b"IHDR" in png


def test_strip_metadata_drops_a_second_jpeg_appended_after_the_end_of_image(client, factory):
    c = cast(client, factory)
    smuggled = jpeg(with_gps=False) + jpeg(with_gps=True)
    assert upload(client, c.headers["inspector"], smuggled).json["complete"] is True
    stored = db.session.get(PhotoBlob, sha256(smuggled))
    assert stored is not None and stored.data == jpeg(with_gps=False)
    assert not has_location_metadata(stored.data)


def test_strip_metadata_keeps_every_scan_of_a_progressive_jpeg():
    """Entropy-coded data may hold stuffed 0xFF00 and restart markers; a progressive JPEG has
    tables and further scans after the first: all of it is image, up to the end marker."""
    first = jpeg(with_gps=True, payload=b"\x12\xff\x00\x34\xff\xd0\x56")
    second_scan = (
        b"\xff\xc4"
        + struct.pack(">H", 5)
        + b"\x00\x01\x02"  # DHT
        + b"\xff\xda"
        + struct.pack(">H", 8)
        + b"\x01\x01\x00\x00\x3f\x00"
        + b"\x78\xff\xff"
    )
    progressive = first[:-2] + second_scan + b"\xff\xd9"
    stripped = strip_metadata(progressive + b"trailing", "image/jpeg")
    assert stripped == strip_metadata(first, "image/jpeg")[:-2] + second_scan + b"\xff\xd9"
    assert not has_location_metadata(stripped)


def test_a_jpeg_without_its_end_marker_is_refused(client, factory):
    c = cast(client, factory)
    cut = jpeg()[:-2]
    assert_error(upload(client, c.headers["inspector"], cut), 422, "invalid_input", "content_type")


def test_a_photo_uploads_in_pieces_and_resumes_where_it_stopped(client, factory):
    c = cast(client, factory)
    data = jpeg(payload=bytes(range(256)) * 40)
    address = sha256(data)
    headers = {**c.headers["inspector"], "Content-Type": "image/jpeg"}
    first = client.put(
        f"/api/photos/{address}",
        data=data[:4000],
        headers={**headers, "Upload-Length": str(len(data)), "Upload-Offset": "0"},
    )
    assert first.status_code == 200 and first.json["complete"] is False
    assert first.json["received_bytes"] == 4000
    status = client.get(f"/api/photos/{address}/upload", headers=c.headers["inspector"])
    assert status.json["received_bytes"] == 4000
    # A piece that does not continue the stored bytes says where to resume.
    gap = client.put(
        f"/api/photos/{address}",
        data=data[5000:],
        headers={**headers, "Upload-Length": str(len(data)), "Upload-Offset": "5000"},
    )
    assert assert_error(gap, 409, "invalid_state")["received_bytes"] == 4000
    rest = client.put(
        f"/api/photos/{address}",
        data=data[4000:],
        headers={**headers, "Upload-Length": str(len(data)), "Upload-Offset": "4000"},
    )
    assert rest.status_code == 200 and rest.json["complete"] is True
    stored = db.session.get(PhotoBlob, address)
    assert stored is not None and not has_location_metadata(stored.data)
    assert stored.data == strip_metadata(data, "image/jpeg")
    # Idempotent: the same file again changes nothing.
    again = upload(client, c.headers["inspector"], data)
    assert again.status_code == 200 and again.json["complete"] is True
    assert db.session.query(PhotoBlob).count() == 1


def test_bytes_that_do_not_match_their_address_are_dropped(client, factory):
    c = cast(client, factory)
    data = jpeg()
    response = client.put(
        f"/api/photos/{sha256(b'something else')}",
        data=data,
        headers={
            **c.headers["inspector"],
            "Content-Type": "image/jpeg",
            "Upload-Length": str(len(data)),
        },
    )
    assert_error(response, 422, "invalid_input", "sha256")
    db.session.expire_all()
    assert db.session.query(PhotoBlob).count() == 0


def test_limits_on_type_size_and_content(client, factory):
    c = cast(client, factory)
    headers = c.headers["inspector"]
    assert_error(
        upload(client, headers, b"GIF89a...", "image/gif"), 422, "invalid_input", "content_type"
    )
    fake = b"not a jpeg at all"
    assert_error(upload(client, headers, fake), 422, "invalid_input", "content_type")
    huge = client.put(
        f"/api/photos/{sha256(b'x')}",
        data=b"x",
        headers={**headers, "Content-Type": "image/jpeg", "Upload-Length": str(11 * 1024 * 1024)},
    )
    assert assert_error(huge, 413, "too_large")["max_bytes"] == 10 * 1024 * 1024
    bad_address = client.put(
        "/api/photos/" + "Z" * 64,
        data=b"x",
        headers={**headers, "Content-Type": "image/jpeg", "Upload-Length": "1"},
    )
    assert_error(bad_address, 422, "invalid_input", "sha256")
    missing = client.put(
        f"/api/photos/{sha256(b'x')}", data=b"x", headers={**headers, "Content-Type": "image/jpeg"}
    )
    assert_error(missing, 422, "invalid_input", "Upload-Length")
    db.session.expire_all()
    assert db.session.query(PhotoBlob).filter_by(complete=True).count() == 0


def test_only_inspectors_and_writers_of_plans_upload(client, factory):
    """Staff and managers upload too now: evidence on their plan rows (plan_attachments)."""
    c = cast(client, factory)
    admin = factory.user(("admin", c.unit))
    assert_error(upload(client, login(client, admin), jpeg()), 403, "forbidden")
    for role in ("staff", "manager"):
        assert upload(client, c.headers[role], jpeg(payload=role.encode())).status_code == 200


def test_photo_is_readable_where_a_visit_names_it(client, factory):
    c = cast(client, factory)
    other = cast(client, factory, factory.unit(name="Andet"))
    data = jpeg()
    assert upload(client, c.headers["inspector"], data).json["complete"] is True
    address = sha256(data)
    # Uploaded but not yet named by any visit: only the uploader reads it.
    assert client.get(f"/api/photos/{address}", headers=c.headers["inspector"]).status_code == 200
    assert_error(client.get(f"/api/photos/{address}", headers=c.headers["staff"]), 404, "not_found")
    visit = post_visit(client, c)
    record = client.post(
        f"/api/visits/{visit['id']}/photos",
        json={"sha256": address, "content_type": "image/jpeg", "size_bytes": len(data)},
        headers=c.headers["inspector"],
    )
    assert record.status_code == 201, record.json
    response = client.get(f"/api/photos/{address}", headers=c.headers["staff"])
    assert response.status_code == 200 and response.mimetype == "image/jpeg"
    assert response.data == strip_metadata(data, "image/jpeg")
    assert_error(
        client.get(f"/api/photos/{address}", headers=other.headers["inspector"]), 404, "not_found"
    )
    listed = client.get(f"/api/visits/{visit['id']}/photos", headers=c.headers["manager"]).json
    assert [p["sha256"] for p in listed] == [address]


def test_photo_record_rules(client, factory):
    c = cast(client, factory)
    visit = post_visit(client, c)
    url = f"/api/visits/{visit['id']}/photos"
    headers = c.headers["inspector"]
    base = {"sha256": sha256(b"x"), "content_type": "image/jpeg", "size_bytes": 10}
    assert_error(
        client.post(url, json={**base, "content_type": "image/gif"}, headers=headers),
        422,
        "invalid_input",
        "content_type",
    )
    assert_error(
        client.post(url, json={**base, "size_bytes": 11 * 1024 * 1024}, headers=headers),
        422,
        "invalid_input",
        "size_bytes",
    )
    assert_error(
        client.post(url, json={**base, "sha256": "abc"}, headers=headers),
        422,
        "invalid_input",
        "sha256",
    )
    assert_error(client.post(url, json=base, headers=c.headers["staff"]), 403, "forbidden")


# ---- whose photo: finding 2 of issue 22 --------------------------------------------------------


def _record(client, c, visit, data, headers=None):
    return client.post(
        f"/api/visits/{visit['id']}/photos",
        json={"sha256": sha256(data), "content_type": "image/jpeg", "size_bytes": len(data)},
        headers=headers or c.headers["inspector"],
    )


def _photo_of_a_danish_visit(client, factory):
    danish = cast(client, factory)
    data = jpeg(payload=b"a living room in Aarhus")
    assert upload(client, danish.headers["inspector"], data).json["complete"] is True
    assert _record(client, danish, post_visit(client, danish), data).status_code == 201
    return danish, data


def test_an_inspector_of_another_organisation_cannot_name_a_photo_and_so_never_reads_it(
    client, factory
):
    danish, data = _photo_of_a_danish_visit(client, factory)
    factory.switch_organisation("SE")
    swedish = cast(client, factory, factory.unit(name="Annan kommun"))
    visit = post_visit(client, swedish)
    refused = assert_error(_record(client, swedish, visit, data), 422, "invalid_input", "sha256")
    # The same answer as for a photo nobody uploaded: the refusal tells nothing.
    never = jpeg(payload=b"never uploaded")
    assert assert_error(_record(client, swedish, visit, never), 422, "invalid_input") == refused
    pushed = client.post(
        "/api/sync/push",
        json={
            "client_id": "swedish-tablet",
            "schema_version": 1,
            "mutations": [
                upsert(
                    1,
                    "visit_photos",
                    uuid.uuid4(),
                    {
                        "visit_id": visit["id"],
                        "sha256": sha256(data),
                        "content_type": "image/jpeg",
                        "size_bytes": len(data),
                    },
                )
            ],
        },
        headers=swedish.headers["inspector"],
    )
    [answer] = pushed.json["results"]
    assert answer["status"] == "rejected" and answer["error"]["fields"] == refused["fields"]
    for role in ("inspector", "staff"):
        photo = client.get(f"/api/photos/{sha256(data)}", headers=swedish.headers[role])
        assert_error(photo, 404, "not_found")
    db.session.expire_all()
    assert {p.unit_id for p in db.session.query(VisitPhoto)} == {danish.unit.id}


def test_rows_others_made_in_other_units_authorise_no_read(client, factory):
    """A row naming the hash in another unit, made before the rule (or by hand), reads
    nothing: only the units of the uploader's own records count."""
    danish, data = _photo_of_a_danish_visit(client, factory)
    factory.switch_organisation("SE")
    swedish = cast(client, factory, factory.unit(name="Annan kommun"))
    visit = post_visit(client, swedish)
    act_as(db.session, None, "cli")
    db.session.add(
        VisitPhoto(
            visit_id=uuid.UUID(visit["id"]),
            unit_id=swedish.unit.id,
            sha256=sha256(data),
            content_type="image/jpeg",
            size_bytes=len(data),
            created_by=swedish.inspector.id,
            created_at=clock.now(),
        )
    )
    db.session.commit()
    for role in ("inspector", "staff"):
        photo = client.get(f"/api/photos/{sha256(data)}", headers=swedish.headers[role])
        assert_error(photo, 404, "not_found")
    assert client.get(f"/api/photos/{sha256(data)}", headers=danish.headers["staff"]).data == (
        strip_metadata(data, "image/jpeg")
    )


def test_an_inspector_whose_role_ended_cannot_name_the_photo_in_another_unit(client, factory):
    danish, data = _photo_of_a_danish_visit(client, factory)
    elsewhere = cast(client, factory, factory.unit(name="Andet tilbud"))
    colleague = factory.user(("inspector", danish.unit), ("inspector", elsewhere.unit))
    headers = login(client, colleague)
    assert client.get(f"/api/photos/{sha256(data)}", headers=headers).status_code == 200
    membership = next(m for m in colleague.memberships if m.unit_id == danish.unit.id)
    db.session.delete(membership)
    db.session.commit()
    assert_error(client.get(f"/api/photos/{sha256(data)}", headers=headers), 404, "not_found")
    visit = post_visit(client, elsewhere)
    assert_error(_record(client, elsewhere, visit, data, headers), 422, "invalid_input", "sha256")
    assert_error(client.get(f"/api/photos/{sha256(data)}", headers=headers), 404, "not_found")


def test_another_inspector_of_the_unit_may_name_its_photo_again(client, factory):
    danish, data = _photo_of_a_danish_visit(client, factory)
    colleague = factory.user(("inspector", danish.unit))
    headers = login(client, colleague)
    second_visit = post_visit(client, danish, visit_date="2026-04-01")
    assert _record(client, danish, second_visit, data, headers).status_code == 201


def test_upload_status_and_pieces_of_anothers_upload_tell_nothing(client, factory):
    danish = cast(client, factory)
    data = jpeg(payload=bytes(range(256)) * 40)
    address = sha256(data)
    headers = {**danish.headers["inspector"], "Content-Type": "image/jpeg"}
    started = client.put(
        f"/api/photos/{address}",
        data=data[:4000],
        headers={**headers, "Upload-Length": str(len(data)), "Upload-Offset": "0"},
    )
    assert started.json["received_bytes"] == 4000
    factory.switch_organisation("SE")
    swedish = cast(client, factory, factory.unit(name="Annan kommun"))
    status = client.get(f"/api/photos/{address}/upload", headers=swedish.headers["inspector"])
    nobody = client.get(
        f"/api/photos/{sha256(b'nothing')}/upload", headers=swedish.headers["inspector"]
    )
    assert assert_error(status, 404, "not_found") == assert_error(nobody, 404, "not_found")
    piece = client.put(
        f"/api/photos/{address}",
        data=data[4000:],
        headers={
            **swedish.headers["inspector"],
            "Content-Type": "image/jpeg",
            "Upload-Length": str(len(data)),
            "Upload-Offset": "4000",
        },
    )
    assert "received_bytes" not in assert_error(piece, 422, "invalid_input", "Upload-Offset")
    db.session.expire_all()
    assert db.session.get(PhotoBlob, address).received_bytes == 4000
    # Whoever has the whole file proves it: the answer says what they knew already.
    whole = upload(client, swedish.headers["inspector"], data)
    assert whole.status_code == 200 and whole.json["complete"] is True
    db.session.expire_all()
    blob = db.session.get(PhotoBlob, address)
    assert blob.uploaded_by == danish.inspector.id and blob.data == strip_metadata(
        data, "image/jpeg"
    )
