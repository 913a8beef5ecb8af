"""Assertion helpers shared by API tests."""

from __future__ import annotations

from tests.factories import PASSWORD


def login(client, user, password: str = PASSWORD) -> dict[str, str]:
    response = client.post("/api/auth/login", json={"email": user.email, "password": password})
    assert response.status_code == 200, response.json
    return {"Authorization": f"Bearer {response.json['token']}"}


def assert_error(response, status: int, code: str, field: str | None = None) -> dict:
    """The response is the one error envelope, with the given status, code and field."""
    assert response.status_code == status, (response.status_code, response.json)
    body = response.json
    assert body["error"] == code, body
    assert isinstance(body["message"], str) and body["message"]
    if field is not None:
        assert field in body.get("fields", {}), body
        assert all(isinstance(reason, str) for reason in body["fields"][field])
    return body


def docx_pictures(document) -> list[tuple[str, bytes, str]]:
    """Each picture in a python-docx document, in order: content type, bytes, alt text."""
    pictures = []
    for shape in document.inline_shapes:
        blip = shape._inline.graphic.graphicData.pic.blipFill.blip
        part = document.part.related_parts[blip.embed]
        pictures.append((part.content_type, part.blob, shape._inline.docPr.get("descr", "")))
    return pictures
