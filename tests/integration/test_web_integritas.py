"""A head written down earlier, checked on the Integritas page, on SQLite and PostgreSQL: what
`renja verify --head` printed (N HEAD, or N:HEAD as `verify --expect` takes it) and a signed head
statement of `renja verify --sign` (pasted or uploaded, with or without the key to trust) match the
ledger; a wrong head, a head of more events than the ledger holds, an altered statement and one
signed with another key than the trusted one do not, with the reason; a text that is no head is
bad input, and a post without the page's form token is refused."""

from __future__ import annotations

import json
import re
from pathlib import Path

import pytest
from cryptography.hazmat.primitives import serialization
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey
from fastapi.testclient import TestClient

from tests.conftest import invoke
from tests.integration.test_web_write import token
from web.app import create_app

MATCHES, DIFFERS = 'id="hasil-kepala" role="status">\n<p class="ok">', 'id="hasil-kepala" role="status">\n<p class="error">'


@pytest.fixture(scope="module")
def client(shared_demo: str) -> TestClient:
    return TestClient(create_app(shared_demo))


@pytest.fixture(scope="module")
def keys(tmp_path_factory: pytest.TempPathFactory) -> dict[str, Path]:
    """An Ed25519 key to sign with, its public key, and another signer's public key."""
    folder = tmp_path_factory.mktemp("keys")
    signer, other = Ed25519PrivateKey.generate(), Ed25519PrivateKey.generate()
    paths = {"private": folder / "key.pem", "public": folder / "pub.pem", "other": folder / "other.pem"}
    paths["private"].write_bytes(signer.private_bytes(serialization.Encoding.PEM, serialization.PrivateFormat.PKCS8,
                                                      serialization.NoEncryption()))
    for name, key in (("public", signer), ("other", other)):
        paths[name].write_bytes(key.public_key().public_bytes(serialization.Encoding.PEM,
                                                              serialization.PublicFormat.SubjectPublicKeyInfo))
    return paths


def head_of(url: str) -> tuple[int, str]:
    count, head = invoke(url, "verify", "--head").stdout.split()
    return int(count), head


@pytest.fixture(scope="module")
def csrf(client: TestClient) -> str:
    return token(client.get("/integritas").text)  # the session's form token: one for every form


def check(client: TestClient, csrf: str, fields: dict[str, str],
          files: dict[str, tuple[str, bytes]] | None = None) -> tuple[int, str]:
    answer = client.post("/integritas", data={"csrf": csrf, **fields}, files=files)
    return answer.status_code, answer.text


def hashes(url: str, folder: Path) -> list[str]:
    """Each event's chain hash, in order, from the exported log (its first line names the format)."""
    exported = folder / "log.jsonl"
    assert invoke(url, "export-events", str(exported)).exit_code == 0
    lines = [json.loads(line) for line in exported.read_text(encoding="utf-8").splitlines()]
    return [str(line["hash"]) for line in lines if "hash" in line]


def test_the_head_verify_printed_matches_and_another_does_not(client: TestClient, csrf: str, shared_demo: str, tmp_path: Path) -> None:
    count, head = head_of(shared_demo)
    page = client.get("/integritas").text
    assert f"<code>{count} {head}</code>" in page and 'id="form-kepala"' in page and "hasil-kepala" not in page
    earlier = hashes(shared_demo, tmp_path)[count - 11]  # the head written down ten events ago
    for written in (f"{count}:{head}", f"{count - 10} {earlier}"):
        status, text = check(client, csrf, {"kepala": written})
        assert status == 200 and MATCHES in text, written
    status, text = check(client, csrf, {"kepala": f"{count}:{'0' * 64}"})
    assert status == 200 and DIFFERS in text and f"hash to {head}, not to the expected {'0' * 64}" in text
    status, text = check(client, csrf, {"kepala": f"{count + 5}:{head}"})
    assert DIFFERS in text and f"fewer than the {count + 5} of the expected head" in text


def test_a_signed_statement_matches_pasted_or_uploaded(client: TestClient, csrf: str, shared_demo: str, keys: dict[str, Path]) -> None:
    signed = invoke(shared_demo, "verify", "--sign", str(keys["private"]))
    assert signed.exit_code == 0, signed.output
    statement = signed.stdout
    status, text = check(client, csrf, {}, files={"berkas_kepala": ("kepala.json", statement.encode())})
    assert status == 200 and MATCHES in text and f"({json.loads(statement)['time']})" in text
    assert MATCHES in check(client, csrf, {"kepala": statement, "kunci": keys["public"].read_text()})[1]
    status, text = check(client, csrf, {"kepala": statement}, files={"berkas_kunci": ("other.pem", keys["other"].read_bytes())})
    assert status == 200 and DIFFERS in text and "kepala.json is signed with another key than kunci.pem" in text
    altered = json.loads(statement)
    altered["count"] -= 1
    status, text = check(client, csrf, {"kepala": json.dumps(altered)})
    assert DIFFERS in text and "the signature does not match the statement" in text


def test_what_is_no_head_is_bad_input_and_a_forged_post_is_refused(client: TestClient, csrf: str) -> None:
    for text_given in ("rubbish", "{not json", ""):
        status, text = check(client, csrf, {"kepala": text_given})
        assert status == 400 and 'id="pesan"' in text and "hasil-kepala" not in text and "Traceback" not in text
        assert "/tmp" not in re.sub(r"<style>.*?</style>", "", text, flags=re.S)
    forged = client.post("/integritas", data={"csrf": "forged", "kepala": "1:" + "0" * 64})
    assert forged.status_code == 403
