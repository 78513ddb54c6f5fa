"""The preflight guard: every corpus file classified or refused before any parser runs."""

from __future__ import annotations

import os
import zipfile
from pathlib import Path

import pytest

from checklist.errors import ChecklistError
from checklist.preflight import FileKind, Limits, preflight
from tests.hostile import HOSTILE_CASES, HostileCase, build_xls, build_xlsx, run_isolated


@pytest.fixture(scope="module")
def corpus_root(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return tmp_path_factory.getbasetemp() / "hostile-corpus"


@pytest.mark.slow
@pytest.mark.parametrize("case", HOSTILE_CASES, ids=lambda case: case.name)
def test_corpus_preflight(case: HostileCase, corpus_root: Path) -> None:
    outcome = run_isolated(case, corpus_root)
    assert outcome.returncode == 0, outcome.stderr
    assert outcome.stderr == ""
    if case.stage == "preflight" and case.expect_code is not None:
        assert outcome.preflight.get("code") == case.expect_code, outcome.preflight
        for lang in ("zh", "en"):
            message = outcome.preflight[lang]
            assert message and "\n" not in message and "Traceback" not in message
    else:
        assert outcome.preflight == {"value": str(case.kind)}, outcome.preflight
    assert outcome.unchanged


def _refusal(path: Path, limits: Limits | None = None) -> ChecklistError:
    with pytest.raises(ChecklistError) as caught:
        preflight(path, limits or Limits())
    return caught.value


def test_messages_name_the_file_in_both_languages(tmp_path: Path) -> None:
    path = tmp_path / "东林村.xlsx"
    path.write_bytes(b"")
    error = _refusal(path)
    assert error.code == "empty"
    assert error.message.zh.startswith("东林村.xlsx：")
    assert error.message.en.startswith("东林村.xlsx: ")
    assert "空文件" in error.message.zh
    assert "empty" in error.message.en


def test_encrypted_message_says_what_to_do(tmp_path: Path) -> None:
    case = next(c for c in HOSTILE_CASES if c.name == "encrypted_ooxml")
    error = _refusal(case.build(tmp_path))
    assert "文件已加密，请去除密码后重新提交" in error.message.zh
    assert "remove the password" in error.message.en


def test_total_uncompressed_cap(tmp_path: Path) -> None:
    path = build_xlsx(tmp_path)
    assert preflight(path) is FileKind.xlsx
    error = _refusal(path, Limits(max_uncompressed=10_000))
    assert error.code == "zip_bomb"
    assert "MB" in error.message.en


def test_ratio_cap_applies_only_to_large_members(tmp_path: Path) -> None:
    path = tmp_path / "ratio.xlsx"
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as archive:
        archive.writestr("[Content_Types].xml", "<Types/>")
        archive.writestr("xl/workbook.xml", "<workbook/>")
        archive.writestr("xl/worksheets/sheet1.xml", "<c/>" * 50_000)  # 200 KB, very compressible
    assert preflight(path) is FileKind.xlsx
    error = _refusal(path, Limits(ratio_min_bytes=100_000))
    assert error.code == "zip_bomb"
    assert "sheet1.xml" in error.message.en


def test_member_count_cap(tmp_path: Path) -> None:
    path = build_xlsx(tmp_path)
    assert _refusal(path, Limits(max_members=5)).code == "too_many_parts"


def test_file_size_cap(tmp_path: Path) -> None:
    path = build_xls(tmp_path)
    assert preflight(path) is FileKind.xls
    assert _refusal(path, Limits(max_file_bytes=1000)).code == "too_large"


def test_libreoffice_lock_file(tmp_path: Path) -> None:
    path = tmp_path / ".~lock.自评表.xlsx#"
    path.write_text(",张三,host,26.11.2026 10:00,file:///home/zs/.config/libreoffice/4;")
    assert _refusal(path).code == "lock_file"


def test_fifo_is_not_a_file(tmp_path: Path) -> None:
    path = tmp_path / "pipe.xlsx"
    os.mkfifo(path)
    assert _refusal(path).code == "not_a_file"


def test_path_through_a_file_is_missing(tmp_path: Path) -> None:
    parent = tmp_path / "plain.txt"
    parent.write_text("x")
    assert _refusal(parent / "unit.xlsx").code == "missing"


def test_zip_of_workbooks_says_extract(tmp_path: Path) -> None:
    path = tmp_path / "全镇.xlsx"
    with zipfile.ZipFile(path, "w") as archive:
        archive.writestr("东林村.xlsx", b"PK")
        archive.writestr("西林村.xlsx", b"PK")
    error = _refusal(path)
    assert error.code == "not_workbook"
    assert "解压" in error.message.zh and "extract" in error.message.en


def test_plain_zip_and_odt(tmp_path: Path) -> None:
    plain = tmp_path / "notes.xlsx"
    with zipfile.ZipFile(plain, "w") as archive:
        archive.writestr("readme.txt", "hello")
    assert _refusal(plain).code == "not_workbook"
    odt = tmp_path / "letter.xlsx"
    with zipfile.ZipFile(odt, "w") as archive:
        archive.writestr("mimetype", "application/vnd.oasis.opendocument.text")
        archive.writestr("content.xml", "<office:document-content/>")
    error = _refusal(odt)
    assert error.code == "not_workbook" and ".odt" in error.message.en


def test_workbook_parts_without_content_types_are_damaged(tmp_path: Path) -> None:
    path = tmp_path / "parts.xlsx"
    with zipfile.ZipFile(path, "w") as archive:
        archive.writestr("xl/workbook.xml", "<workbook/>")
    assert _refusal(path).code == "damaged"


def test_zip_with_prepended_bytes_is_still_read(tmp_path: Path) -> None:
    # Self-extracting stubs and some mail gateways put bytes before the zip;
    # zipfile and calamine both cope, so preflight must not refuse it.
    source = build_xlsx(tmp_path)
    path = tmp_path / "prefixed.xlsx"
    path.write_bytes(b"PK\x03\x04" + source.read_bytes())
    assert preflight(path) is FileKind.xlsx


def test_text_files_by_extension(tmp_path: Path) -> None:
    for name in ("unit.csv", "unit.txt", "unit.tsv"):
        path = tmp_path / name
        path.write_text("编号,指标\n1,2\n", encoding="utf-8")
        assert preflight(path) is FileKind.csv
    other = tmp_path / "unit.et"
    other.write_text("编号,指标\n1,2\n", encoding="utf-8")
    error = _refusal(other)
    assert error.code == "not_workbook" and ".csv" in error.message.en


def test_mhtml_counts_as_web_page(tmp_path: Path) -> None:
    path = tmp_path / "export.xls"
    path.write_text(
        'MIME-Version: 1.0\r\nContent-Type: multipart/related; boundary="b"\r\n\r\n--b\r\n',
        encoding="ascii",
    )
    assert _refusal(path).code == "html"


def test_preflight_never_writes(tmp_path: Path) -> None:
    path = build_xlsx(tmp_path)
    before = (path.read_bytes(), path.stat().st_mtime_ns)
    preflight(path)
    assert (path.read_bytes(), path.stat().st_mtime_ns) == before
    assert sorted(p.name for p in tmp_path.iterdir()) == [path.name]
