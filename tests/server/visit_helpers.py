"""Small builders for the visit tests: a unit with its people, visits and findings via REST,
and JPEG bytes with and without location metadata."""

from __future__ import annotations

import hashlib
import struct
from dataclasses import dataclass
from typing import Any

from server.extensions import db
from server.models import Catalogue, Theme, Unit, User
from server.services.catalogues import catalogue_for_plan
from tests.helpers import login

VISIT_DATE = "2026-03-02"


@dataclass
class Cast:
    unit: Unit
    inspector: User
    manager: User
    staff: User
    headers: dict[str, dict[str, str]]


def cast(client, factory, unit: Unit | None = None) -> Cast:
    unit = unit or factory.unit(name="Bofællesskabet Lærken")
    people = {
        role: factory.user((role, unit), name=f"{role.title()} Testesen")
        for role in ("inspector", "manager", "staff")
    }
    headers = {role: login(client, user) for role, user in people.items()}
    return Cast(unit, people["inspector"], people["manager"], people["staff"], headers)


def themes(on: str = VISIT_DATE, kind: str = "dk_tilbud") -> dict[int | None, Theme]:
    from datetime import date

    catalogue: Catalogue = catalogue_for_plan(db.session, kind, date.fromisoformat(on))
    return {t.number: t for t in catalogue.themes}


def post_visit(client, c: Cast, **fields: Any) -> dict:
    body = {
        "unit_id": str(c.unit.id),
        "visit_date": VISIT_DATE,
        "purpose": "ongoing_supervision",
        **fields,
    }
    response = client.post("/api/visits", json=body, headers=c.headers["inspector"])
    assert response.status_code == 201, response.json
    return response.json


def post_finding(client, c: Cast, visit: dict, **fields: Any) -> dict:
    body = {
        "theme_id": str(themes(visit["visit_date"])[4].id),
        "kind": "observation",
        "text": "Beboerne kender husets regler.",
        **fields,
    }
    response = client.post(
        f"/api/visits/{visit['id']}/findings", json=body, headers=c.headers["inspector"]
    )
    assert response.status_code == 201, response.json
    return response.json


def jpeg(with_gps: bool = True, payload: bytes = b"pixels") -> bytes:
    """A JPEG-structured file: SOI, APP0 (JFIF), optionally APP1 (EXIF with a GPS tag), DQT,
    then the scan. Enough structure for the metadata stripper, which walks segments."""

    def segment(marker: int, body: bytes) -> bytes:
        return bytes([0xFF, marker]) + struct.pack(">H", len(body) + 2) + body

    parts = [b"\xff\xd8", segment(0xE0, b"JFIF\x00\x01\x01\x00\x00\x01\x00\x01\x00\x00")]
    if with_gps:
        parts.append(segment(0xE1, b"Exif\x00\x00MM\x00*GPSLatitude55.6761N12.5683E"))
    parts.append(segment(0xDB, b"\x00" + bytes(64)))
    parts.append(b"\xff\xda" + struct.pack(">H", 8) + b"\x01\x01\x00\x00\x3f\x00")
    parts.append(payload + b"\xff\xd9")
    return b"".join(parts)


def sha256(data: bytes) -> str:
    return hashlib.sha256(data).hexdigest()


def upload(client, headers, data: bytes, content_type: str = "image/jpeg", **extra_headers):
    return client.put(
        f"/api/photos/{sha256(data)}",
        data=data,
        headers={
            **headers,
            "Content-Type": content_type,
            "Upload-Length": str(len(data)),
            **extra_headers,
        },
    )
