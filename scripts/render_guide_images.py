"""Render the pictures in the user guides from the real outputs of ``make demo``.

Each picture is the first printed page of one sheet of a workbook checklist
wrote: the demo's reports (``reports/``), plus a blank template and the
pack workbook, written here with the installed ``checklist``. LibreOffice
turns the workbook into a PDF and poppler turns its first page into a PNG,
cropped below the last line of text so a short sheet is not a white page.

Neither tool is needed by ``make test``; this script is run by hand after an
output's layout changes::

    make demo
    .venv/bin/python scripts/render_guide_images.py [--reports reports] [--out docs/images]

Only one sheet is printed: a copy of the workbook has every other sheet
hidden in ``xl/workbook.xml`` (LibreOffice does not print hidden sheets).
Editing that one XML part, rather than re-saving with openpyxl, keeps the
charts and conditional formats the page is meant to show.
"""

from __future__ import annotations

import argparse
import re
import shutil
import subprocess
import sys
import tempfile
import zipfile
from dataclasses import dataclass
from pathlib import Path

POINTS_PER_INCH = 72
# A picture over this size is rendered again at a lower resolution, so the
# repository does not grow by megabytes each time a layout changes.
MAX_BYTES = 200 * 1024
# Below the last word, keep this much of the page (points): a chart's last
# axis label or a table's bottom border sits just under the text.
BOTTOM_MARGIN_PT = 28


@dataclass(frozen=True)
class Picture:
    """One PNG of the guides."""

    name: str
    """File name under the output folder, without ``.png``."""
    workbook: str
    """Workbook path: relative to the reports folder, or a name made by ``extra_outputs``."""
    sheet: str
    """The sheet printed (its first page)."""


PICTURES = (
    Picture("template", "自评表模板.xlsx", "自评表"),
    Picture("report-overview", "城厢镇东林村-2024年度群团自评表-report.xlsx", "概览"),
    Picture("report-problems", "城厢镇东林村-2024年度群团自评表-report.xlsx", "问题清单"),
    Picture("report-details", "城厢镇东林村-2024年度群团自评表-report.xlsx", "明细"),
    Picture("compare", "东林村-2023-2024-compare.xlsx", "概览"),
    Picture("trend", "东林村-trend.xlsx", "概览"),
    Picture("rollup-overview", "群团自评汇总-2024.xlsx", "概览"),
    Picture("rollup-units", "群团自评汇总-2024.xlsx", "单位得分"),
    Picture("rollup-coverage", "群团自评汇总-2024.xlsx", "覆盖情况"),
    Picture("rollup-common", "群团自评汇总-2024.xlsx", "共性问题"),
    Picture("pack-rules", "规则包.xlsx", "规则"),
)


def checklist_command() -> list[str]:
    """The installed checklist, run by the same Python as this script."""
    return [sys.executable, "-m", "checklist"]


def extra_outputs(folder: Path) -> dict[str, Path]:
    """Write the outputs ``make demo`` does not: a blank template and the pack workbook."""
    template = folder / "自评表模板.xlsx"
    pack = folder / "规则包.xlsx"
    run = checklist_command()
    subprocess.run([*run, "template", "--unit-type", "村", "-o", str(template)], check=True)
    subprocess.run([*run, "rules", "export", "-o", str(pack)], check=True)
    return {template.name: template, pack.name: pack}


def only_sheet(workbook: Path, sheet: str, copy: Path) -> None:
    """Copy ``workbook`` keeping only ``sheet`` in its list of sheets.

    LibreOffice prints hidden sheets too, so the others are taken out of
    ``xl/workbook.xml`` (their parts stay in the file, unread), with the
    defined names of other sheets; the kept sheet's own names (print titles)
    move to index 0.
    """
    with zipfile.ZipFile(workbook) as source:
        xml = source.read("xl/workbook.xml").decode("utf-8")
        tags = re.findall(r"<sheet [^>]*/>", xml)
        names = [re.search(r'name="([^"]*)"', tag).group(1) for tag in tags]  # type: ignore[union-attr]
        if sheet not in names:
            raise SystemExit(f"{workbook.name}: no sheet {sheet!r} (has {names})")
        kept = names.index(sheet)
        for index, tag in enumerate(tags):
            xml = xml.replace(tag, re.sub(r' state="[^"]*"', "", tag) if index == kept else "", 1)

        def own_name(match: re.Match[str]) -> str:
            local = re.search(r'localSheetId="(\d+)"', match.group(0))
            if local is None or int(local.group(1)) != kept:
                return ""
            return match.group(0).replace(local.group(0), 'localSheetId="0"')

        xml = re.sub(r"<definedName [^>]*>[^<]*</definedName>", own_name, xml)
        xml = re.sub(r'(activeTab|firstSheet)="\d+"', r'\1="0"', xml)
        with zipfile.ZipFile(copy, "w", zipfile.ZIP_DEFLATED) as target:
            for item in source.infolist():
                data = source.read(item.filename)
                if item.filename == "xl/workbook.xml":
                    data = xml.encode("utf-8")
                target.writestr(item, data)


def text_bottom(pdf: Path) -> tuple[float, float]:
    """The first page's height and the bottom of its lowest word, in points."""
    html = subprocess.run(
        ["pdftotext", "-f", "1", "-l", "1", "-bbox", str(pdf), "-"],
        check=True,
        capture_output=True,
        text=True,
    ).stdout
    height = float(re.search(r'<page width="[\d.]+" height="([\d.]+)"', html).group(1))  # type: ignore[union-attr]
    bottoms = [float(value) for value in re.findall(r'yMax="([\d.]+)"', html)]
    return height, max(bottoms, default=height)


def render(workbook: Path, sheet: str, png: Path, resolution: int, scratch: Path) -> None:
    """Print the first page of one sheet of ``workbook`` into ``png``."""
    copy = scratch / f"{png.stem}.xlsx"
    only_sheet(workbook, sheet, copy)
    subprocess.run(
        ["soffice", "--headless", "--convert-to", "pdf", "--outdir", str(scratch), str(copy)],
        check=True,
        capture_output=True,
    )
    pdf = copy.with_suffix(".pdf")
    height, bottom = text_bottom(pdf)
    crop_height = round(min(height, bottom + BOTTOM_MARGIN_PT) * resolution / POINTS_PER_INCH)
    stem = scratch / png.stem
    first_page = ["-f", "1", "-l", "1", "-singlefile"]
    crop = ["-x", "0", "-y", "0", "-W", "100000", "-H", str(crop_height)]
    subprocess.run(
        ["pdftoppm", "-png", "-r", str(resolution), *first_page, *crop, str(pdf), str(stem)],
        check=True,
    )
    shutil.move(stem.with_suffix(".png"), png)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--reports", type=Path, default=Path("reports"), help="make demo's output")
    parser.add_argument("--out", type=Path, default=Path("docs/images"))
    parser.add_argument("--resolution", type=int, default=80, help="dots per inch")
    args = parser.parse_args()
    missing = [tool for tool in ("soffice", "pdftoppm", "pdftotext") if not shutil.which(tool)]
    if missing:
        raise SystemExit(f"needs LibreOffice and poppler-utils; not found: {', '.join(missing)}")
    args.out.mkdir(parents=True, exist_ok=True)
    with tempfile.TemporaryDirectory() as scratch_name:
        scratch = Path(scratch_name)
        made = extra_outputs(scratch)
        for picture in PICTURES:
            workbook = made.get(picture.workbook, args.reports / picture.workbook)
            png = args.out / f"{picture.name}.png"
            resolution = args.resolution
            render(workbook, picture.sheet, png, resolution, scratch)
            while png.stat().st_size > MAX_BYTES and resolution > 50:
                resolution -= 10
                render(workbook, picture.sheet, png, resolution, scratch)
            print(f"{png}  {resolution} dpi, {png.stat().st_size // 1024} KB")


if __name__ == "__main__":
    main()
