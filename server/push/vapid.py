"""The server's VAPID key pair (RFC 8292), which push services use to tell our pushes apart.

Where the key comes from, first match wins:

1. ``FOLG_VAPID_PRIVATE_KEY`` (base64url raw 32-byte key, or base64url DER), with
   ``FOLG_VAPID_PUBLIC_KEY`` optionally given too and then checked against it;
2. the key file (``FOLG_VAPID_KEY_FILE``, default ``vapid_private.pem`` in the instance
   folder), made on first use with mode 0600.

Never in the repository. Changing the key orphans every subscription (browsers bind a
subscription to the key it was made with), so back the file up with the database.
"""

from __future__ import annotations

import base64
import contextlib
import os
import tempfile
from collections.abc import Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from cryptography.hazmat.primitives import serialization
from cryptography.hazmat.primitives.asymmetric import ec
from py_vapid import Vapid

KEY_FILE_NAME = "vapid_private.pem"


class VapidKeyError(Exception):
    """The configured key is unusable; the message says which setting to fix."""


@dataclass(frozen=True)
class VapidKeys:
    signer: Vapid
    # The applicationServerKey a browser subscribes with: base64url, uncompressed P-256 point.
    public_key: str


_cache: dict[tuple[Any, ...], VapidKeys] = {}


def b64url(data: bytes) -> str:
    return base64.urlsafe_b64encode(data).rstrip(b"=").decode("ascii")


def b64url_decode(text: str) -> bytes:
    return base64.urlsafe_b64decode(text + "=" * (-len(text) % 4))


def public_key_of(signer: Vapid) -> str:
    return b64url(
        signer.public_key.public_bytes(
            serialization.Encoding.X962, serialization.PublicFormat.UncompressedPoint
        )
    )


def load_vapid_keys(config: Mapping[str, Any], instance_path: str) -> VapidKeys:
    """The key pair for this configuration; read (or made) once per process."""
    key_file = config.get("VAPID_KEY_FILE") or os.path.join(instance_path, KEY_FILE_NAME)
    cache_key = (config.get("VAPID_PRIVATE_KEY"), config.get("VAPID_PUBLIC_KEY"), key_file)
    if cache_key not in _cache:
        _cache[cache_key] = _load(config, key_file)
    return _cache[cache_key]


def _load(config: Mapping[str, Any], key_file: str) -> VapidKeys:
    private = config.get("VAPID_PRIVATE_KEY")
    if private:
        try:
            signer = Vapid.from_string(private.strip())
        except Exception as error:
            raise VapidKeyError(
                f"FOLG_VAPID_PRIVATE_KEY is not a base64url P-256 key ({type(error).__name__})."
            ) from None
        public = public_key_of(signer)
        given = config.get("VAPID_PUBLIC_KEY")
        if given and given.strip().rstrip("=") != public:
            raise VapidKeyError("FOLG_VAPID_PUBLIC_KEY does not belong to the private key.")
        return VapidKeys(signer, public)
    signer = _read_or_create(Path(key_file))
    return VapidKeys(signer, public_key_of(signer))


def _read_or_create(path: Path) -> Vapid:
    if not path.exists():
        _create(path)
    pem = path.read_bytes()
    try:
        key = serialization.load_pem_private_key(pem, password=None)
    except ValueError as error:
        raise VapidKeyError(f"{path} is not a PEM private key ({error}).") from None
    if not isinstance(key, ec.EllipticCurvePrivateKey) or key.curve.name != "secp256r1":
        raise VapidKeyError(f"{path} does not hold a P-256 key.")
    return Vapid(key)


def _create(path: Path) -> None:
    """Write a new key so that two processes starting at once agree on one key: each writes
    a private temporary file and links it into place; the link fails for all but the first."""
    path.parent.mkdir(parents=True, exist_ok=True)
    pem = ec.generate_private_key(ec.SECP256R1()).private_bytes(
        serialization.Encoding.PEM,
        serialization.PrivateFormat.PKCS8,
        serialization.NoEncryption(),
    )
    fd, temporary = tempfile.mkstemp(dir=path.parent, prefix=".vapid-")  # mode 0600
    try:
        with os.fdopen(fd, "wb") as handle:
            handle.write(pem)
        os.chmod(temporary, 0o600)
        # If another process was first, its key stands and this one is thrown away.
        with contextlib.suppress(FileExistsError):
            os.link(temporary, path)
    finally:
        os.unlink(temporary)
