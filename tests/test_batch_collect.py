"""batch: what is collected from folders, files and .zip archives, and what is skipped."""

from __future__ import annotations

import zipfile
from pathlib import Path

from tests.batch_data import batch, form, unit
from tests.conftest import Cli


def test_folders_are_walked_and_non_forms_are_listed_with_their_reason(
    cli: Cli, tmp_path: Path
) -> None:
    season = tmp_path / "2024"
    form(season / "城厢镇", unit("东林村", "城厢镇"))
    form(season / "璜泾镇" / "新湖村", unit("新湖村", "璜泾镇"))
    (season / "城厢镇" / "~$东林村2024自评表.xlsx").write_bytes(b"\x00" * 165)
    (season / ".DS_Store").write_bytes(b"\x00")
    (season / "城厢镇" / "工作总结.docx").write_bytes(b"PK\x05\x06" + b"\x00" * 18)
    (season / "城厢镇" / "照片.jpg").write_bytes(b"\xff\xd8\xff")
    (season / "说明.pdf").write_bytes(b"%PDF-1.4")
    # A report and a blank template checklist wrote are no submissions.
    cli(
        [
            "score",
            str(season / "城厢镇" / "东林村2024自评表.xlsx"),
            "-o",
            str(season / "东林村-report.xlsx"),
        ]
    )
    cli(["template", "-o", str(season / "空白模板.xlsx")])

    data = batch(cli, [str(season), "-o", str(tmp_path / "out.xlsx")])
    reasons = {Path(s["file"]).name: s["reason"] for s in data["skipped"]}
    assert reasons == {
        "~$东林村2024自评表.xlsx": "lock",
        ".DS_Store": "hidden",
        "工作总结.docx": "not_spreadsheet",
        "照片.jpg": "not_spreadsheet",
        "说明.pdf": "not_spreadsheet",
        "东林村-report.xlsx": "ours",
        "空白模板.xlsx": "ours",
    }
    assert sorted(u["name"] for u in data["units"]) == ["东林村", "新湖村"]
    assert data["failed"] == []


def test_a_word_file_renamed_xlsx_fails_with_its_reason_and_the_rest_is_scored(
    cli: Cli, tmp_path: Path
) -> None:
    form(tmp_path / "in", unit("东林村", "城厢镇"))
    fake = tmp_path / "in" / "新湖村2024自评表.xlsx"
    with zipfile.ZipFile(fake, "w") as doc:
        doc.writestr("[Content_Types].xml", "<Types/>")
        doc.writestr("word/document.xml", "<document/>")
    data = batch(cli, [str(tmp_path / "in"), "-o", str(tmp_path / "out.xlsx")], code=1)
    assert [f["file"] for f in data["failed"]] == ["in/新湖村2024自评表.xlsx"]
    assert "Word" in data["failed"][0]["error"]
    assert [u["name"] for u in data["units"]] == ["东林村"]
    assert (tmp_path / "out.xlsx").exists()


def test_zip_archives_are_unpacked_with_gbk_names_and_their_junk_listed(
    cli: Cli, tmp_path: Path
) -> None:
    made = form(tmp_path / "src", unit("泥桥村", "沙溪镇"))
    archive = tmp_path / "in" / "沙溪镇.zip"
    archive.parent.mkdir()
    # A Windows archiver stores GBK names without the UTF-8 flag: write an ASCII
    # stand-in of the same length, then put the GBK bytes in its place.
    gbk = "沙溪镇/泥桥村自评.xlsx".encode("gbk")
    stand_in = "x" * (len(gbk) - 5) + ".xlsx"
    with zipfile.ZipFile(archive, "w") as out:
        out.writestr(stand_in, made.read_bytes())
        out.writestr("__MACOSX/._泥桥村自评.xlsx", b"\x00")
        out.writestr("沙溪镇/说明.txt", "请查收")
    archive.write_bytes(archive.read_bytes().replace(stand_in.encode(), gbk))
    data = batch(cli, [str(tmp_path / "in"), "-o", str(tmp_path / "out.xlsx")])
    assert [u["file"] for u in data["units"]] == ["in/沙溪镇.zip/沙溪镇/泥桥村自评.xlsx"]
    assert {s["reason"] for s in data["skipped"]} == {"hidden", "not_spreadsheet"}


def test_a_zip_bomb_archive_is_refused_and_listed(cli: Cli, tmp_path: Path) -> None:
    form(tmp_path / "in", unit("东林村", "城厢镇"))
    bomb = tmp_path / "in" / "城厢镇.zip"
    with zipfile.ZipFile(bomb, "w", zipfile.ZIP_DEFLATED) as out:
        out.writestr("big.xlsx", b"\x00" * (10 * 1024 * 1024))  # 1000:1
    data = batch(cli, [str(tmp_path / "in"), "-o", str(tmp_path / "out.xlsx")])
    archive = [s for s in data["skipped"] if s["file"].endswith("城厢镇.zip")]
    assert archive and archive[0]["reason"] == "archive"
    assert [u["name"] for u in data["units"]] == ["东林村"]


def test_no_forms_at_all_and_a_missing_path_are_usage_errors(cli: Cli, tmp_path: Path) -> None:
    (tmp_path / "empty").mkdir()
    (tmp_path / "empty" / "readme.txt").write_text("x")
    result = cli(["batch", str(tmp_path / "empty")], code=2)
    assert "没有找到任何自评表" in result.stderr
    result = cli(["batch", str(tmp_path / "nowhere"), "--lang", "en"], code=2)
    assert "was not found" in result.stderr


def test_a_roll_up_saved_into_the_season_folder_is_skipped_next_time(
    cli: Cli, tmp_path: Path
) -> None:
    season = tmp_path / "2024"
    form(season, unit("东林村", "城厢镇"))
    batch(cli, [str(season), "-o", str(season / "汇总.xlsx")])
    data = batch(cli, [str(season), "-o", str(season / "汇总.xlsx")])
    assert {Path(s["file"]).name: s["reason"] for s in data["skipped"]} == {"汇总.xlsx": "ours"}
