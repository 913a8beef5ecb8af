"""Photo bytes: resumable, idempotent upload by SHA-256, limits, location metadata stripped,
and reading limited to those who may read a unit whose visit names the photo."""

from __future__ import annotations

import struct
import zlib

from server.extensions import db
from server.models import PhotoBlob
from server.services.photos import has_location_metadata, strip_metadata
from tests.helpers import assert_error
from tests.server.visit_helpers import cast, jpeg, post_visit, sha256, upload


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


def test_only_inspectors_upload(client, factory):
    c = cast(client, factory)
    for role in ("staff", "manager"):
        assert_error(upload(client, c.headers[role], jpeg()), 403, "forbidden")


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
