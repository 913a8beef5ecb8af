"""Photo and attachment bytes: a resumable, idempotent upload addressed by the file's SHA-256.

The same store holds an inspector's visit photos (``visit_photos``) and the evidence a unit
attaches to a plan row or a progress note (``plan_attachments``: a photo or a PDF). Below,
"a record" is either; an inspector uploads for a visit, a writer of a unit for its plan rows.

    PUT /api/photos/<sha256>        Content-Type, Upload-Length (whole file), Upload-Offset
                                    (where this piece starts); the body is the piece
    GET /api/photos/<sha256>/upload how far an upload got: resume from ``received_bytes``

A device uploads a photo before it pushes the ``visit_photos`` row naming it. The same file
sent again (a retry after a lost answer, or a second device) finds the blob complete and
changes nothing. A piece that does not start where the stored bytes end is refused with
``invalid_state`` and ``received_bytes``, so the device knows where to resume.

On completion the bytes must hash to the address (else the upload is dropped and must start
over), must be the type they claim, and lose their metadata segments and whatever follows the
image's end marker (a second image appended there keeps its own EXIF): the PWA already strips
location data by re-encoding through a canvas, and the server does not take that on trust.
A PDF keeps its bytes and offsets, but the text of its document information (author, creator,
producer, title, ...) and its XMP packets are blanked in place; a PDF that keeps metadata in
compressed streams, where blanking in place cannot reach, is refused (save it again as PDF).
The stored bytes may so differ from the sent ones; the address stays the sent file's hash.

Who reaches the bytes. A hash is no secret (every reader of a visit sees it), so naming one
proves nothing; the blob's *uploader* is what ties it to a unit::

    the blob's units    the units of the records its uploader made (live or not)
    upload status       the uploader only; anyone else is answered as if no upload began
    upload (PUT)        the uploader, piece by piece; anyone else must send the whole file
                        in one piece that hashes to the address (they have the bytes anyway)
    name it in a row    the uploader, or anyone writing a record of one of the blob's units;
                        a hash with no blob, or with someone else's elsewhere, is refused alike
    read the bytes      the uploader, or a reader of one of the blob's units with a live
                        record naming it; records other people made in other units count for
                        nothing
                        (rows made before this rule, say, or by an inspector who left)
"""

from __future__ import annotations

import hashlib
import re
import struct
import uuid
import zlib
from dataclasses import dataclass

from sqlalchemy import select
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session

from server import clock
from server.i18n import _, _l
from server.models import PhotoBlob, PlanAttachment, VisitPhoto
from server.models.plans import ATTACHMENT_TYPES
from server.models.visits import PHOTO_TYPES
from server.services.access import Principal
from server.services.errors import (
    FolgError,
    Forbidden,
    InvalidState,
    NotFound,
    TooLarge,
    field_error,
)

# A photo's bytes are limited at upload; its record (server/services/visits.py) says the same.
MAX_PHOTO_BYTES = 10 * 1024 * 1024
# What may be uploaded at all: a visit photo's types, and an attachment's (which adds PDF).
UPLOAD_TYPES = tuple(dict.fromkeys(PHOTO_TYPES + ATTACHMENT_TYPES))


@dataclass
class UploadOutcome:
    """The blob as it now stands, and the error to answer with once the outcome is stored
    (a corrupt upload is dropped, and that drop must be committed, not rolled back)."""

    blob: PhotoBlob | None
    error: FolgError | None = None


def _require_uploader(principal: Principal, sha256: str) -> None:
    if not (principal.units_for("inspect") or principal.units_for("write_items")):
        raise Forbidden(_("Only inspectors and those who write a unit's plans upload files."))
    _check_address(sha256)


def _check_address(sha256: str) -> None:
    if len(sha256) != 64 or any(c not in "0123456789abcdef" for c in sha256):
        raise field_error("sha256", _("A photo is addressed by its SHA-256 in lower-case hex."))


NO_UPLOAD = _l("No upload of this photo has started.")
NOT_YOURS = _l("No photo you uploaded has this SHA-256: upload it before its record.")
SEND_WHOLE = _l("Send this photo whole, in one piece, from offset 0.")


def upload_status(session: Session, principal: Principal, sha256: str) -> PhotoBlob:
    _require_uploader(principal, sha256)
    blob = session.get(PhotoBlob, sha256)
    if blob is None or blob.uploaded_by != principal.user_id:
        raise NotFound(NO_UPLOAD)
    return blob


def receive_piece(
    session: Session,
    principal: Principal,
    sha256: str,
    content_type: str,
    total: int,
    offset: int,
    piece: bytes,
    max_bytes: int = MAX_PHOTO_BYTES,
) -> UploadOutcome:
    _require_uploader(principal, sha256)
    blob = session.get(PhotoBlob, sha256, with_for_update=True)
    if blob is not None and blob.uploaded_by != principal.user_id:
        return _receive_whole(blob, sha256, offset, total, piece)
    if blob is not None and blob.complete:
        return UploadOutcome(blob)  # idempotent: this photo is here already
    if content_type not in UPLOAD_TYPES:
        raise field_error(
            "content_type", _("Files are %(value)s.", value=" or ".join(UPLOAD_TYPES))
        )
    if total > max_bytes:
        raise TooLarge(
            _(
                "A photo is at most %(max_bytes)s bytes; this one has %(total)s.",
                max_bytes=max_bytes,
                total=total,
            ),
            max_bytes=max_bytes,
        )
    if offset + len(piece) > total:
        raise field_error("Upload-Offset", _("The piece runs past Upload-Length."))
    if blob is None:
        blob = _start(session, principal, sha256, content_type, total)
    elif blob.size_bytes != total or blob.content_type != content_type:
        raise InvalidState(
            _("An upload of this photo started with another length or type; finish it or wait."),
            received_bytes=blob.received_bytes,
        )
    if offset != blob.received_bytes:
        raise InvalidState(
            _(
                "The stored bytes end at %(received_bytes)s; send the piece from there.",
                received_bytes=blob.received_bytes,
            ),
            received_bytes=blob.received_bytes,
        )
    blob.data = blob.data + piece
    blob.received_bytes = len(blob.data)
    if blob.received_bytes == total:
        error = _complete(blob, sha256)
        if error is not None:
            session.delete(blob)
            session.flush()
            return UploadOutcome(None, error)
    session.flush()
    return UploadOutcome(blob)


def _receive_whole(
    blob: PhotoBlob, sha256: str, offset: int, total: int, piece: bytes
) -> UploadOutcome:
    """Someone else's blob has this address: only the whole file answers, so a bare hash
    tells nothing of how far another upload got (it still says the address is taken: to
    hide that too, each uploader would need their own copy). Their own record of it is
    decided apart (``require_nameable``)."""
    whole = offset == 0 and len(piece) == total
    if not whole or hashlib.sha256(piece).hexdigest() != sha256:
        raise field_error("Upload-Offset", SEND_WHOLE)
    if not blob.complete:  # the bytes are proven: they finish the other upload
        blob.data = piece
        blob.received_bytes = total
        error = _complete(blob, sha256)
        if error is not None:
            raise error
    return UploadOutcome(blob)


def _start(
    session: Session, principal: Principal, sha256: str, content_type: str, total: int
) -> PhotoBlob:
    blob = PhotoBlob(
        sha256=sha256,
        content_type=content_type,
        size_bytes=total,
        received_bytes=0,
        data=b"",
        complete=False,
        uploaded_by=principal.user_id,
        created_at=clock.now(),
    )
    try:
        with session.begin_nested():
            session.add(blob)
            session.flush()
    except IntegrityError:
        raise InvalidState(
            _("Another upload of this photo started just now; ask for its status and resume."),
            received_bytes=0,
        ) from None
    return blob


def _complete(blob: PhotoBlob, sha256: str) -> FolgError | None:
    if hashlib.sha256(blob.data).hexdigest() != sha256:
        return field_error("sha256", _("The bytes do not match their SHA-256; upload again."))
    try:
        blob.data = strip_metadata(blob.data, blob.content_type)
    except ValueError as error:
        return field_error("content_type", str(error))
    blob.size_bytes = len(blob.data)
    blob.complete = True
    blob.completed_at = clock.now()
    return None


def require_nameable(
    session: Session, principal: Principal, sha256: str, unit_id: uuid.UUID
) -> None:
    """Refuse a photo record in ``unit_id`` naming a blob the writer did not upload and that
    is not one of that unit's photos already. No blob at all is answered the same."""
    blob = session.get(PhotoBlob, sha256)
    if blob is None:
        raise field_error("sha256", NOT_YOURS)
    if blob.uploaded_by != principal.user_id and unit_id not in _blob_units(session, blob):
        raise field_error("sha256", NOT_YOURS)


def read_photo(session: Session, principal: Principal, sha256: str) -> PhotoBlob:
    """The bytes, for their uploader, or a reader of one of the blob's units whose live
    visit photo or plan attachment names them."""
    _check_address(sha256)
    blob = session.get(PhotoBlob, sha256)
    if blob is None or not blob.complete:
        raise NotFound(_("No such photo."))
    if blob.uploaded_by == principal.user_id:
        return blob
    readable = principal.units_for("read_plans") & _blob_units(session, blob)
    named = session.scalar(
        select(VisitPhoto.id)
        .where(
            VisitPhoto.sha256 == sha256,
            VisitPhoto.deleted.is_(False),
            VisitPhoto.unit_id.in_(readable),
        )
        .limit(1)
    )
    if named is None:
        named = session.scalar(
            select(PlanAttachment.id)
            .where(
                PlanAttachment.sha256 == sha256,
                PlanAttachment.deleted.is_(False),
                PlanAttachment.unit_id.in_(readable),
            )
            .limit(1)
        )
    if named is None:
        raise NotFound(_("No such photo."))
    return blob


def _blob_units(session: Session, blob: PhotoBlob) -> set[uuid.UUID]:
    """The units the blob belongs to: those of its uploader's own records of it."""
    units = set()
    for model in (VisitPhoto, PlanAttachment):
        units |= set(
            session.scalars(
                select(model.unit_id)
                .where(model.sha256 == blob.sha256, model.created_by == blob.uploaded_by)
                .distinct()
            )
        )
    return units


# ---- metadata ------------------------------------------------------------------------------

_JPEG_SOI = b"\xff\xd8"
_PNG_SIGNATURE = b"\x89PNG\r\n\x1a\n"
# PNG chunks that can carry EXIF or XMP (and so GPS): eXIf, and the three text chunks.
_PNG_METADATA_CHUNKS = {b"eXIf", b"tEXt", b"iTXt", b"zTXt"}


def strip_metadata(data: bytes, content_type: str) -> bytes:
    """The image without EXIF/XMP (where location lives). Raises ValueError if the bytes are
    not the claimed type. Pixels are untouched: only metadata segments are dropped."""
    if content_type == "image/jpeg":
        return _strip_jpeg(data)
    if content_type == "image/png":
        return _strip_png(data)
    if content_type == "application/pdf":
        return _scrub_pdf(data)
    raise ValueError(_("Files are %(value)s.", value=" or ".join(UPLOAD_TYPES)))


def _strip_jpeg(data: bytes) -> bytes:
    """Walk the segments up to the end-of-image marker and drop everything after it: bytes
    appended there (a second JPEG with its own EXIF, say) are no part of the image."""
    if not data.startswith(_JPEG_SOI):
        raise ValueError(_("The file is not a JPEG image."))
    out = bytearray(_JPEG_SOI)
    pos = 2
    while pos + 2 <= len(data):
        if data[pos] != 0xFF:
            raise ValueError(_("The JPEG image is damaged."))
        marker = data[pos + 1]
        if marker == 0xFF:  # a fill byte before a marker
            pos += 1
            continue
        if marker == 0xD9:  # end of image
            out += data[pos : pos + 2]
            return bytes(out)
        if pos + 4 > len(data):
            raise ValueError(_("The JPEG image is damaged."))
        (length,) = struct.unpack(">H", data[pos + 2 : pos + 4])
        end = pos + 2 + length
        if length < 2 or end > len(data):
            raise ValueError(_("The JPEG image is damaged."))
        # APP1 holds EXIF (with GPS) and XMP; APP13 holds IPTC/Photoshop data.
        if marker not in (0xE1, 0xED):
            out += data[pos:end]
        pos = end
        if marker == 0xDA:  # start of scan: image data up to the next marker
            scan_end = _end_of_scan(data, pos)
            out += data[pos:scan_end]
            pos = scan_end
    raise ValueError(_("The JPEG image is damaged."))


def _end_of_scan(data: bytes, pos: int) -> int:
    """Where a scan's entropy-coded data ends: at the first marker that is not a stuffed
    0xFF00 or a restart marker (a progressive JPEG has more segments and scans after it)."""
    while True:
        at = data.find(b"\xff", pos)
        if at == -1 or at + 1 >= len(data):
            raise ValueError(_("The JPEG image is damaged."))
        following = data[at + 1]
        if following == 0x00 or 0xD0 <= following <= 0xD7:
            pos = at + 2
        elif following == 0xFF:  # fill bytes: the marker comes after them
            pos = at + 1
        else:
            return at


def _strip_png(data: bytes) -> bytes:
    if not data.startswith(_PNG_SIGNATURE):
        raise ValueError(_("The file is not a PNG image."))
    out = bytearray(_PNG_SIGNATURE)
    pos = len(_PNG_SIGNATURE)
    while pos + 12 <= len(data):
        (length,) = struct.unpack(">I", data[pos : pos + 4])
        kind = data[pos + 4 : pos + 8]
        end = pos + 12 + length
        if end > len(data):
            raise ValueError(_("The PNG image is damaged."))
        if kind not in _PNG_METADATA_CHUNKS:
            out += data[pos:end]
        pos = end
        if kind == b"IEND":
            return bytes(out)
    raise ValueError(_("The PNG image is damaged."))


# The document information entries that name people, programs or the content.
_PDF_INFO_KEYS = rb"/(?:Author|Creator|Producer|Title|Subject|Keywords|Company|Manager)"
_PDF_INFO_ENTRY = re.compile(_PDF_INFO_KEYS + rb"\s*([(<])")
_XMP_PACKET = re.compile(rb"<\?xpacket begin.*?<\?xpacket end[^>]*\?>", re.DOTALL)
_XMP_BARE = re.compile(rb"<x:xmpmeta.*?</x:xmpmeta>", re.DOTALL)
_STREAM_START = re.compile(rb">>\s*stream\r?\n")
_COMPRESSED_KIND = re.compile(rb"/Type\s*/(?:ObjStm|Metadata)\b")


def _scrub_pdf(data: bytes) -> bytes:
    """Blank the document information's strings and the XMP packets of a PDF in place: the
    same number of bytes, so every offset in its cross-reference table still holds. Metadata
    inside a compressed object stream (or a compressed XMP stream) cannot be blanked so, and
    is refused rather than kept."""
    if not data.startswith(b"%PDF-"):
        raise ValueError(_("The file is not a PDF document."))
    if b"%%EOF" not in data[-2048:] or b"/Encrypt" in data:
        raise ValueError(_("The PDF document is damaged or encrypted."))
    out = bytearray(data)
    for match in _PDF_INFO_ENTRY.finditer(data):
        start = match.end(1)
        end = _pdf_string_end(data, start, match.group(1))
        for at in range(start, end):
            out[at] = 0x30 if match.group(1) == b"<" else 0x20
    for pattern in (_XMP_PACKET, _XMP_BARE):
        for match in pattern.finditer(bytes(out)):
            out[match.start() : match.end()] = b" " * (match.end() - match.start())
    for match in _STREAM_START.finditer(data):
        # The stream's dictionary: from the start of its object ("n 0 obj") to "stream".
        head = data[max(0, match.start() - 4096) : match.start()]
        head = head[head.rfind(b" obj") + 1 :]
        if b"/Filter" not in head or not _COMPRESSED_KIND.search(head):
            continue
        try:
            inflated = zlib.decompressobj().decompress(data[match.end() :])
        except zlib.error:
            raise ValueError(_("The PDF document is damaged or encrypted.")) from None
        if re.search(_PDF_INFO_KEYS + rb"\s*[(<]", inflated) or b"xmpmeta" in inflated:
            raise ValueError(
                _("This PDF keeps its metadata compressed; save it again as PDF and attach that.")
            )
    return bytes(out)


def _pdf_string_end(data: bytes, start: int, opener: bytes) -> int:
    """Where a PDF string that opens just before ``start`` ends (the closing bracket's
    index): literal strings nest balanced parentheses and escape with a backslash."""
    if opener == b"<":
        end = data.find(b">", start)
        if end == -1:
            raise ValueError(_("The PDF document is damaged or encrypted."))
        return end
    depth, at = 1, start
    while at < len(data):
        byte = data[at]
        if byte == 0x5C:  # backslash: the next byte is escaped
            at += 2
            continue
        if byte == 0x28:
            depth += 1
        elif byte == 0x29:
            depth -= 1
            if depth == 0:
                return at
        at += 1
    raise ValueError(_("The PDF document is damaged or encrypted."))


def has_location_metadata(data: bytes) -> bool:
    """True if EXIF or XMP remains: what the server refuses to keep."""
    return b"Exif\x00\x00" in data or b"eXIf" in data or b"http://ns.adobe.com/xap" in data
