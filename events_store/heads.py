"""Signed head statements: an auditor's written-down head, made checkable by anyone.

`renja verify --sign KEY` states "the first N events of this ledger hash to HEAD", with the
time and the signer, signed with an Ed25519 key (through ``cryptography``; a key is made with
``openssl genpkey -algorithm ed25519 -out key.pem``). `renja verify --check FILE` checks the
signature, and that the ledger's first N events still hash to that head. The statement holds
the signer's public key; ``--key PUB`` pins the key a reader trusts.
"""

from __future__ import annotations

import base64
import json
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from cryptography.exceptions import InvalidSignature
from cryptography.hazmat.primitives import serialization
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey, Ed25519PublicKey

from events_store.integrity import ChainStatus, ExpectedHead
from ledger.errors import ChainBroken, LedgerError

FORMAT = "renja-ledger/signed-head-v1"


@dataclass(frozen=True)
class HeadStatement:
    count: int
    head: str
    time: str
    signer: str
    public_key: str  # raw Ed25519 public key, base64

    def signed_bytes(self) -> bytes:
        """What the signature covers: the statement's fields as canonical JSON."""
        fields = {"format": FORMAT, "count": self.count, "head": self.head, "time": self.time, "signer": self.signer,
                  "public_key": self.public_key}
        return json.dumps(fields, sort_keys=True, separators=(",", ":")).encode()

    @property
    def expected(self) -> ExpectedHead:
        return ExpectedHead(self.count, self.head)


def _private_key(path: Path) -> Ed25519PrivateKey:
    try:
        key = serialization.load_pem_private_key(path.read_bytes(), password=None)
    except (OSError, ValueError, TypeError) as error:
        raise LedgerError(f"{path}: not a readable unencrypted PEM private key ({type(error).__name__}); make one "
                          "with `openssl genpkey -algorithm ed25519 -out key.pem`") from None
    if not isinstance(key, Ed25519PrivateKey):
        raise LedgerError(f"{path}: an Ed25519 key is expected (openssl genpkey -algorithm ed25519)")
    return key


def _raw(public: Ed25519PublicKey) -> str:
    return base64.b64encode(public.public_bytes(serialization.Encoding.Raw, serialization.PublicFormat.Raw)).decode()


def sign_head(status: ChainStatus, key_path: Path, signer: str) -> dict[str, Any]:
    key = _private_key(key_path)
    statement = HeadStatement(status.count, status.head, datetime.now(UTC).isoformat(timespec="seconds"), signer,
                              _raw(key.public_key()))
    signature = base64.b64encode(key.sign(statement.signed_bytes())).decode()
    return {"format": FORMAT, "count": statement.count, "head": statement.head, "time": statement.time,
            "signer": statement.signer, "public_key": statement.public_key, "signature": signature}


def read_statement(path: Path, trusted: Path | None = None) -> HeadStatement:
    """A signed head statement whose signature verifies (and, with ``trusted``, whose key is
    that public key); LedgerError naming what is wrong otherwise."""
    try:
        data = json.loads(path.read_text(encoding="utf-8"))
        statement = HeadStatement(int(data["count"]), str(data["head"]), str(data["time"]), str(data["signer"]),
                                  str(data["public_key"]))
        signature = base64.b64decode(str(data["signature"]), validate=True)
        public = Ed25519PublicKey.from_public_bytes(base64.b64decode(statement.public_key, validate=True))
        if data.get("format") != FORMAT:
            raise ValueError(f"format {data.get('format')!r}")
    except (OSError, UnicodeDecodeError, ValueError, KeyError, TypeError) as error:
        raise LedgerError(f"{path}: not a signed head statement ({type(error).__name__}: {error})") from None
    if trusted is not None:
        try:
            pinned = serialization.load_pem_public_key(trusted.read_bytes())
        except (OSError, ValueError) as error:
            raise LedgerError(f"{trusted}: not a readable PEM public key ({type(error).__name__})") from None
        if not isinstance(pinned, Ed25519PublicKey) or _raw(pinned) != statement.public_key:
            raise ChainBroken(f"{path} is signed with another key than {trusted}")
    try:
        public.verify(signature, statement.signed_bytes())
    except InvalidSignature:
        raise ChainBroken(f"{path}: the signature does not match the statement: it was altered or forged") from None
    return statement
