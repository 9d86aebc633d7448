"""Evidence files (ledger/bukti.py): what is taken (by its first bytes, its size, its name), what an
event names of it, and the steps that carry files, on the in-memory ledger: the files are kept
with the events that name them, or not at all."""

from __future__ import annotations

import hashlib
import json
import re
from dataclasses import replace
from datetime import date
from pathlib import Path

import pytest

from ledger.access import AccessRole, Actor
from ledger.application.commands import AnswerFinding, DecideProposal, ProposeChange, RecordFollowUp, RevisePagu, VerifyProposal
from ledger.application.evidence import StoredFile, files_of
from ledger.basis import Source, Stage
from ledger.bukti import JPEG, MAX_BYTES, PDF, PNG, XLSX, Berkas, FileRefused, Lampiran, berkas_of, read_berkas
from ledger.errors import AlreadyRecorded, InvalidValue, RuleViolated
from ledger.money import Rupiah
from ledger.tindak_lanjut import TemuanDitanggapi, TindakLanjutDicatat
from ledger.usulan import UsulanDiajukan, UsulanDitetapkan
from projections.bukti import NamedFile, check_files
from tests.unit.fakes import OPD, TAHUN, seeded_ledger

PDF_BYTES = b"%PDF-1.4\n1 0 obj <<>> endobj\ntrailer <<>>\n%%EOF\n"
SOURCE = Source(command="test")
RINA = Actor("rina", AccessRole.PERENCANA, frozenset({OPD}))
VERA = Actor("vera", AccessRole.VERIFIKATOR)
TIA = Actor("tia", AccessRole.PENETAP, frozenset({OPD}))


@pytest.mark.parametrize(("name", "content", "jenis"), [
    ("SK 900-15-X-2024.pdf", PDF_BYTES, PDF),
    ("berita acara.JPG", b"\xff\xd8\xff\xe0\x00\x10JFIF\x00", JPEG),
    ("foto.png", b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR", PNG),
    ("DPPA 2024.XLSX", b"PK\x03\x04\x14\x00\x06\x00", XLSX),
    ("scan tanpa akhiran", PDF_BYTES, PDF),  # the content says what it is, not the name
])
def test_a_file_is_known_by_its_first_bytes(name: str, content: bytes, jenis: str) -> None:
    berkas, kept = berkas_of(name, content)
    assert berkas == Berkas(sha256=hashlib.sha256(content).hexdigest(), nama=name, ukuran=len(content), jenis=jenis)
    assert kept == content and berkas.short == berkas.sha256[:12]


@pytest.mark.parametrize(("name", "content"), [
    ("arsip.zip", b"PK\x03\x04\x14\x00"),  # a ZIP is a workbook only when named so
    ("catatan.pdf", b"not a pdf at all"),  # the name does not make it one
    ("program.exe", b"MZ\x90\x00"),
    ("halaman.html", b"<html><script>alert(1)</script>"),
    ("sk.docx", b"PK\x03\x04\x14\x00"),
])
def test_a_type_not_taken_is_refused_naming_the_file(name: str, content: bytes) -> None:
    with pytest.raises(FileRefused, match=f"evidence file {name}: not a PDF, JPEG, PNG or XLSX file"):
        berkas_of(name, content)


def test_an_empty_file_and_one_above_the_limit_are_refused(tmp_path: Path) -> None:
    with pytest.raises(FileRefused, match=re.escape("sk.pdf: the file is empty")):
        berkas_of("sk.pdf", b"")
    largest = b"%PDF-" + b"0" * (MAX_BYTES - 5)
    assert berkas_of("besar.pdf", largest)[0].ukuran == MAX_BYTES == 20 * 1024 * 1024
    with pytest.raises(FileRefused, match=re.escape("besar.pdf: 20971521 bytes, more than the 20 MB")):
        berkas_of("besar.pdf", largest + b"0")
    # From a path, a file above the limit is refused before it is read (a sparse file here).
    huge = tmp_path / "huge.pdf"
    with huge.open("wb") as handle:
        handle.write(b"%PDF-")
        handle.truncate(MAX_BYTES * 50)
    with pytest.raises(FileRefused, match=re.escape("huge.pdf: 1048576000 bytes, more than the 20 MB")):
        read_berkas(huge)
    with pytest.raises(FileRefused, match="no such file"):
        read_berkas(tmp_path / "missing.pdf")
    with pytest.raises(FileRefused, match="no such file"):
        read_berkas(tmp_path)  # a folder


def test_a_file_read_by_path_is_named_by_its_own_name(tmp_path: Path) -> None:
    path = tmp_path / "SK Bupati 12.pdf"
    path.write_bytes(PDF_BYTES)
    lampiran = Lampiran.read(path)
    assert lampiran.berkas.nama == "SK Bupati 12.pdf" and lampiran.isi == PDF_BYTES
    assert lampiran.berkas.sha256 == hashlib.sha256(PDF_BYTES).hexdigest() and lampiran.berkas.jenis == PDF


@pytest.mark.parametrize(("name", "why"), [
    ("sk\x1b[31m.pdf", "control character U+001B"),
    ("sk\u202egpj.pdf", "control character U+202E"),  # a bidi override would show the name reversed
    ("", "not blank"),
    ("   ", "not blank"),
    (" sk.pdf", "without spaces at either end"),
    ("../etc/sk.pdf", "without a folder"),
    ("C:\\scan\\sk.pdf", "without a folder"),
    ("x" * 252 + ".pdf", "at most 255 characters"),
])
def test_a_file_name_passes_the_text_policy(name: str, why: str) -> None:
    with pytest.raises(FileRefused, match=re.escape(why)) as refused:
        berkas_of(name, PDF_BYTES)
    assert "\x1b" not in str(refused.value) and "\u202e" not in str(refused.value)  # shown inert
    with pytest.raises(InvalidValue, match=re.escape(why)):
        Berkas(sha256="0" * 64, nama=name, ukuran=1, jenis=PDF)


def test_what_an_event_names_is_checked_too() -> None:
    good = berkas_of("sk.pdf", PDF_BYTES)[0]
    with pytest.raises(InvalidValue, match="SHA-256"):
        Berkas(sha256="ABC", nama="sk.pdf", ukuran=1, jenis=PDF)
    with pytest.raises(InvalidValue, match="one of application/pdf"):
        Berkas(sha256=good.sha256, nama="sk.pdf", ukuran=1, jenis="text/html")
    with pytest.raises(FileRefused, match="its content is not the content its hash and size name"):
        Lampiran(berkas=good, isi=PDF_BYTES + b" ")
    with pytest.raises(FileRefused, match="its content is not the content its hash and size name"):
        Lampiran(berkas=good, isi=b"%PDF-" + b"x" * (len(PDF_BYTES) - 5))


def test_a_command_carries_each_content_once_and_every_name() -> None:
    one, same = Lampiran.of("sk.pdf", PDF_BYTES), Lampiran.of("salinan sk.pdf", PDF_BYTES)
    command = AnswerFinding(opd=OPD, tahun=TAHUN, temuan="abcd1234", rule="r", reason="dijawab", source=SOURCE,
                            lampiran=(one, same))
    assert files_of(command) == (one,)
    assert files_of(RevisePagu(opd=OPD, tahun=TAHUN, effective_on=date(2024, 10, 1), reason="x", source=SOURCE,
                               line="7.01.01.2.06.08", stage=Stage.PERUBAHAN, rupiah=Rupiah(1))) == ()
    with pytest.raises(InvalidValue, match="control character"):  # the command's text policy reaches the names too
        AnswerFinding(opd=OPD, tahun=TAHUN, temuan="abcd1234", reason="x", source=SOURCE,
                      lampiran=(Lampiran.model_construct(berkas=Berkas.model_construct(
                          sha256=one.berkas.sha256, nama="sk\x07.pdf", ukuran=one.berkas.ukuran, jenis=PDF),
                          isi=PDF_BYTES),))


def revise(rupiah: int = 900_000) -> RevisePagu:
    return RevisePagu(opd=OPD, tahun=TAHUN, effective_on=date(2024, 10, 1), reason="SK 7/2024", source=SOURCE,
                      line="7.01.01.2.06.08", stage=Stage.PERUBAHAN, rupiah=Rupiah(rupiah))


def test_a_proposal_and_its_decision_name_their_files_and_keep_them() -> None:
    ledger = seeded_ledger()
    telaahan, sk = Lampiran.of("telaahan.pdf", PDF_BYTES), Lampiran.of("sk.png", b"\x89PNG\r\n\x1a\nSK")
    (proposed,) = ledger.handle(ProposeChange.of(revise(), lampiran=(telaahan,)), RINA)
    assert isinstance(proposed, UsulanDiajukan) and proposed.berkas == (telaahan.berkas,)
    assert ledger.evidence.get(telaahan.berkas.sha256) is not None
    ledger.handle(VerifyProposal(usulan=proposed.originator_id, opd=OPD, tahun=TAHUN, reason="ok", source=SOURCE), VERA)
    decide = DecideProposal(usulan=proposed.originator_id, opd=OPD, tahun=TAHUN, nomor="900/1", tanggal=date(2024, 10, 15),
                            source=SOURCE, lampiran=(sk,))
    decided, revised = ledger.handle(decide, TIA)
    assert isinstance(decided, UsulanDitetapkan) and decided.berkas == (sk.berkas,)
    assert not hasattr(revised, "berkas")  # the change's own events are exactly a direct write's
    stored = ledger.evidence.get(sk.berkas.sha256)
    assert stored is not None and stored.isi == sk.isi and stored.jenis == PNG
    # The hash is in the event's body: the chain, which hashes the body, covers it.
    assert sk.berkas.sha256 in decided.model_dump_json()


def test_a_refused_step_keeps_no_file() -> None:
    ledger = seeded_ledger()
    (proposed,) = ledger.handle(ProposeChange.of(revise()), RINA)
    sk = Lampiran.of("sk.pdf", PDF_BYTES)
    with pytest.raises(RuleViolated, match="usulan-status"):  # not verified yet
        ledger.handle(DecideProposal(usulan=proposed.originator_id, opd=OPD, tahun=TAHUN, nomor="900/1",
                                     tanggal=date(2024, 10, 15), source=SOURCE, lampiran=(sk,)), TIA)
    assert ledger.evidence.files == {}


def test_a_follow_up_names_its_files() -> None:
    ledger = seeded_ledger()
    answer = Lampiran.of("tanggapan.pdf", PDF_BYTES)
    scan = Lampiran.of("bukti setor.jpg", b"\xff\xd8\xff\xe1scan")
    first = {"rule": "rollup", "kodes": ("7.01",), "pesan": "the finding"}
    (begun, answered) = ledger.handle(AnswerFinding(opd=OPD, tahun=TAHUN, temuan="abcd1234", reason="dijawab",
                                                    source=SOURCE, lampiran=(answer,), **first))
    assert isinstance(answered, TemuanDitanggapi) and answered.berkas == (answer.berkas,)
    assert not hasattr(begun, "berkas")
    (acted,) = ledger.handle(RecordFollowUp(opd=OPD, tahun=TAHUN, temuan="abcd1234", reason="disetor", source=SOURCE,
                                            bukti="STS 12/2024", lampiran=(scan,)))
    assert isinstance(acted, TindakLanjutDicatat) and acted.berkas == (scan.berkas,) and acted.bukti == "STS 12/2024"
    assert set(ledger.evidence.files) == {answer.berkas.sha256, scan.berkas.sha256}


def test_an_event_stored_before_evidence_files_reads_as_naming_none() -> None:
    ledger = seeded_ledger()
    (acted,) = ledger.handle(RecordFollowUp(opd=OPD, tahun=TAHUN, temuan="abcd1234", reason="disetor", source=SOURCE,
                                            rule="r", kodes=(), pesan="p"))[1:]
    body = json.loads(acted.model_dump_json())
    assert body.pop("berkas") == []
    assert TindakLanjutDicatat.model_validate_json(json.dumps(body)).berkas == ()


def test_the_check_names_a_file_missing_or_changed_in_the_store() -> None:
    ledger = seeded_ledger()
    sk = Lampiran.of("sk.pdf", PDF_BYTES)
    (proposed,) = ledger.handle(ProposeChange.of(revise(), lampiran=(sk,)), RINA)
    named = [NamedFile(sk.berkas, proposed, "proposal x", OPD, TAHUN)]
    assert check_files(named, ledger.evidence) == []
    ledger.evidence.files[sk.berkas.sha256] = StoredFile(sk.berkas.sha256, PDF, len(PDF_BYTES), PDF_BYTES + b"x")
    (changed,) = check_files(named, ledger.evidence)
    assert changed.startswith(f"evidence file sk.pdf ({sk.berkas.sha256[:12]}...), named by UsulanDiajukan of "
                              "proposal x (recorded ") and "was changed: what is stored hashes to" in changed
    del ledger.evidence.files[sk.berkas.sha256]
    assert check_files(named, ledger.evidence)[0].endswith("is missing from the store")


def test_a_document_import_keeps_its_scan_with_its_registration(tmp_path: Path) -> None:
    from ledger.application.commands import ImportDocument
    from ledger.application.importing.spec import DocumentSpec, TableSpec
    from ledger.document import DocumentKind, DocumentRegistered
    from tests.unit.fakes import InMemoryLedger

    table = tmp_path / "tabel.csv"
    table.write_text("row,level,kode,nama,indikator,target,pagu\n1,program,7.01.01,Penunjang,,,\n"
                     "2,kegiatan,7.01.01.2.06,Administrasi Umum,,,\n"
                     "3,sub_kegiatan,7.01.01.2.06.08,Fasilitasi Kunjungan Tamu,,,100.000.000\n", encoding="utf-8")
    scan = Lampiran.of("DPA 2024.pdf", PDF_BYTES)
    spec = DocumentSpec(kind=DocumentKind.DPA, judul="DPA 2024", tanggal=date(2024, 1, 3), opd=OPD, tahun=TAHUN,
                        tables=(TableSpec(id="DPA", path=table, layout="budget", stage=Stage.MURNI),), lampiran=(scan,))
    ledger = InMemoryLedger()
    events = ledger.handle(ImportDocument(spec=spec))
    registered = [event for event in events if isinstance(event, DocumentRegistered)]
    assert [item.berkas for item in registered] == [(scan.berkas,)]
    assert ledger.evidence.get(scan.berkas.sha256) == StoredFile(scan.berkas.sha256, PDF, len(PDF_BYTES), PDF_BYTES)
    # The same document refused (imported twice) keeps nothing more: still the one file.
    with pytest.raises(AlreadyRecorded):
        ledger.handle(ImportDocument(spec=replace(spec, lampiran=(Lampiran.of("lain.pdf", PDF_BYTES + b"%"),))))
    assert list(ledger.evidence.files) == [scan.berkas.sha256]
