"""Files as downloads, named in the reader's language (RFC 6266 Content-Disposition).

The name goes out twice: ``filename*=UTF-8''…`` (RFC 5987) with the real name, æøå and äö
kept, which every current browser prefers; and ``filename="…"`` folded to ASCII (æ -> ae,
ø -> oe, å -> aa, ä -> a) for a client that reads only the plain form. Werkzeug's own
fallback drops æ and ø, which turns "Lærkevej" into "Lrkevej".
"""

from __future__ import annotations

import re
import unicodedata
from urllib.parse import quote

from flask import Response

_FOLD = str.maketrans({"æ": "ae", "ø": "oe", "å": "aa", "Æ": "Ae", "Ø": "Oe", "Å": "Aa"})
_UNSAFE = re.compile(r'[\x00-\x1f\x7f"\\/;]')


def ascii_name(filename: str) -> str:
    folded = unicodedata.normalize("NFKD", filename.translate(_FOLD))
    return _UNSAFE.sub("_", folded.encode("ascii", "ignore").decode()) or "download"


def content_disposition(filename: str, inline: bool = False) -> str:
    kind = "inline" if inline else "attachment"
    plain = ascii_name(filename)
    if plain == filename:
        return f'{kind}; filename="{plain}"'
    return f"{kind}; filename=\"{plain}\"; filename*=UTF-8''{quote(filename, safe='')}"


def download(data: bytes | str, content_type: str, filename: str, inline: bool = False) -> Response:
    return Response(
        data,
        content_type=content_type,
        headers={"Content-Disposition": content_disposition(filename, inline)},
    )
