"""The demo county: a roster of forty units in five towns and three seasons of submissions.

The six bundled example units (:mod:`checklist.demo`) sit among 34 generated
ones. Each season's folder is what a county office really gets: one folder
per town, one town's forms in a ``.zip``, and the usual mess — units that
did not submit, a draft beside a final, the same file sent twice, last
year's form sent again, a Word document renamed ``.xlsx``, a lock file, a
unit that is not on the roster, two villages called 新华村 in two towns, and
two villages whose answers were copied one from the other.

Answers are generated from the rule pack: each unit-year has a maturity, and
each rule's answer is picked from the rule's own bands so that it earns
about that share (checked with :func:`checklist.scoring.credit_for`). All
randomness is seeded by strings and every timestamp is pinned, so writing
the county twice gives byte-identical files.
"""

from __future__ import annotations

import datetime as dt
import os
import random
import shutil
import zipfile
from collections.abc import Sequence
from pathlib import Path

from checklist.model import AnswerType, Rule, RulePack, Value
from checklist.records import record

YEARS = (2022, 2023, 2024)
ROSTER_NAME = "群团组织基层单位名单.xlsx"
_PINNED = dt.datetime(2024, 1, 1)


@record
class CountyUnit:
    """One unit on the demo roster."""

    name: str
    """Roster name."""
    town: str
    """Town or street."""
    type: str
    """Pack unit-type id."""
    contact: str
    """Contact person."""
    phone: str
    """Contact phone."""
    example: str = ""
    """The bundled example unit it is ('' for a generated unit)."""


def _unit(name: str, town: str, kind: str, n: int, example: str = "") -> CountyUnit:
    surnames = "王李张刘陈杨黄赵吴周徐孙马朱胡郭何高林罗"
    given = "芳明婷伟静强敏磊燕军霞勇丽杰娟涛艳斌琳超"
    contact = surnames[n % len(surnames)] + given[(n * 7) % len(given)]
    return CountyUnit(name, town, kind, contact, f"0512-53{n * 7919 % 1000000:06d}", example)


UNITS: tuple[CountyUnit, ...] = tuple(
    _unit(name, town, kind, n, example)
    for n, (name, town, kind, example) in enumerate(
        (
            ("东林村", "城厢镇", "village", "东林村"),
            ("新华村", "城厢镇", "village", ""),
            ("永丰村", "城厢镇", "village", ""),
            ("电站村", "城厢镇", "village", ""),
            ("万丰村", "城厢镇", "village", ""),
            ("城南社区", "城厢镇", "community", ""),
            ("致和社区", "城厢镇", "community", ""),
            ("太仓市城厢镇中心小学", "城厢镇", "school", ""),
            ("江苏恒达纺织有限公司", "城厢镇", "enterprise", ""),
            ("西园社区", "娄东街道", "community", "西园社区"),
            ("半泾社区", "娄东街道", "community", ""),
            ("东门社区", "娄东街道", "community", ""),
            ("娄东村", "娄东街道", "village", ""),
            ("太仓市华东精密机械有限公司", "娄东街道", "enterprise", "华东精密"),
            ("太仓海纳物流有限公司", "娄东街道", "enterprise", ""),
            ("太仓市实验小学", "娄东街道", "school", ""),
            ("太仓市第一人民医院", "娄东街道", "institution", ""),
            ("新湖村", "璜泾镇", "village", "新湖村"),
            ("新华村", "璜泾镇", "village", ""),
            ("杨漕村", "璜泾镇", "village", ""),
            ("雅鹿村", "璜泾镇", "village", ""),
            ("王秀村", "璜泾镇", "village", ""),
            ("璜泾社区", "璜泾镇", "community", ""),
            ("太仓市璜泾中学", "璜泾镇", "school", ""),
            ("苏州永盛化纤有限公司", "璜泾镇", "enterprise", ""),
            ("沙溪镇第一中学", "沙溪镇", "school", "沙溪镇第一中学"),
            ("泥桥村", "沙溪镇", "village", ""),
            ("归庄村", "沙溪镇", "village", ""),
            ("岳王村", "沙溪镇", "village", ""),
            ("印溪社区", "沙溪镇", "community", ""),
            ("太仓市沙溪镇卫生院", "沙溪镇", "institution", ""),
            ("太仓利泰纺织有限公司", "沙溪镇", "enterprise", ""),
            ("港城物流股份有限公司", "浮桥镇", "enterprise", "港城物流"),
            ("时思村", "浮桥镇", "village", ""),
            ("方桥村", "浮桥镇", "village", ""),
            ("牌楼村", "浮桥镇", "village", ""),
            ("绿化村", "浮桥镇", "village", ""),
            ("浏家港社区", "浮桥镇", "community", ""),
            ("太仓市浮桥中心小学", "浮桥镇", "school", ""),
            ("太仓港口开发有限公司", "浮桥镇", "enterprise", ""),
        )
    )
)

NOT_ON_ROSTER = CountyUnit("洛阳社区", "城厢镇", "community", "陆敏", "0512-53001122")
"""A community that submits although the roster does not list it."""

MISSING: dict[int, frozenset[str]] = {
    2022: frozenset({"电站村", "东门社区", "王秀村", "岳王村", "牌楼村", "太仓市第一人民医院"}),
    2023: frozenset({"电站村", "王秀村", "绿化村", "太仓港口开发有限公司"}),
    2024: frozenset({"电站村", "东门社区", "王秀村", "岳王村", "牌楼村"}),
}
"""Units that send nothing in a season."""

COPIED = ("雅鹿村", "杨漕村")
"""The second copies the first's answers and evidence (2023 and 2024)."""
UNREADABLE = "时思村"
"""Sends a Word document renamed .xlsx in 2024."""
OLD_FORM_AGAIN = "方桥村"
"""Sends last year's form again in 2024, and nothing else."""
DRAFT_AND_FINAL = "半泾社区"
"""Sends a draft and a final in 2024."""
SENT_TWICE = "致和社区"
"""Sends the same file twice in 2024."""
ZIPPED_TOWN = "沙溪镇"
"""Sends its units' forms as one .zip."""


def _rng(*parts: object) -> random.Random:
    return random.Random("|".join(str(p) for p in parts))


def maturity(unit: CountyUnit, year: int) -> float:
    """How far along the unit is that year (0..1): a fixed start, growing a little each year."""
    start = _rng("start", unit.name, unit.town).uniform(0.35, 0.85)
    return min(0.97, start + 0.06 * (year - YEARS[0]))


def _thresholds(rule: Rule) -> list[float]:
    found = [band.condition.threshold for band in rule.bands]
    if rule.deduction is not None:
        found.append(rule.deduction.target.threshold)
    return found


def _answer(rule: Rule, good: bool, year: int, rng: random.Random) -> Value | None:
    """A value that fully meets ``rule`` (good) or falls short of it, as the engine scores it."""
    from checklist.scoring import credit_for

    spec = rule.answer
    match spec.type:
        case AnswerType.yesno:
            return spec.expect if good else not spec.expect
        case AnswerType.choice:
            ranked = sorted(spec.choices, key=lambda c: c.credit, reverse=True)
            return ranked[0].label.zh if good else ranked[-1].label.zh
        case AnswerType.date:
            return dt.date(year - (0 if good else 4), rng.randint(1, 11), rng.randint(1, 28))
        case AnswerType.text:
            return (
                rng.choice(("王建华 党总支副书记", "李红 社区党委委员", "张伟 工会主席"))
                if good
                else None
            )
        case AnswerType.ratio:
            return None
    candidates: list[float] = sorted(
        {max(0.0, t + d) for t in _thresholds(rule) for d in (-3, -2, -1, 0, 1, 2, 5)} | {0.0}
    )
    if spec.type is AnswerType.percent:
        candidates = [c for c in candidates if c <= 100]
    fitting = []
    for value in candidates:
        number: int | float = int(value) if value == int(value) else value
        credit = credit_for(rule, number, year)
        if credit is not None and (credit.credit >= 1.0) == good:
            fitting.append(number)
    if not fitting:
        return None
    return rng.choice(fitting[:3] if not good else fitting[-4:])


_SHARED_EVIDENCE = ("会议记录、台账", "见附件", "工作台账")
"""Stock phrases many units write: shared boilerplate that must never flag a copy."""


def _evidence(unit: CountyUnit, rule: Rule, year: int, rng: random.Random) -> str:
    if rng.random() < 0.35:
        return rng.choice(_SHARED_EVIDENCE)
    number = rng.randint(1, 60)
    kinds = ("会议纪要", "活动记录", "批复文件", "签到表及照片", "工作台账")
    kind = kinds[rng.randrange(len(kinds))]
    return f"{unit.name}{year}年{rule.indicator.zh[:8]}{kind}（第{number}号）"


@record
class _Row:
    rule: Rule
    answer: Value | None
    evidence: str
    claimed: float | None


def _rows(unit: CountyUnit, year: int, pack: RulePack, seed: str = "") -> list[_Row]:
    level = maturity(unit, year)
    rows = []
    for rule in pack.rules:
        if not rule.applies(unit.type, year):
            continue
        rng = _rng("answer", unit.name, unit.town, rule.id, year, seed)
        # A rule's difficulty is fixed for the unit, so gaps persist until it matures.
        difficulty = _rng("difficulty", unit.name, unit.town, rule.id).random()
        if rng.random() < 0.04:
            rows.append(_Row(rule, None, "", None))
            continue
        good = level >= difficulty
        answer = _answer(rule, good, year, rng)
        evidence = ""
        if answer is not None and (rule.evidence_required or rng.random() < 0.3):
            evidence = _evidence(unit, rule, year, rng) if rng.random() < 0.9 else ""
        claimed = rule.points if rng.random() < 0.15 else None
        rows.append(_Row(rule, answer, evidence, claimed))
    return rows


def _cell(value: Value | None) -> object:
    if isinstance(value, bool):
        return "是" if value else "否"
    return value


def write_form(
    unit: CountyUnit, year: int, pack: RulePack, path: Path, rows: Sequence[_Row] | None = None
) -> Path:
    """One unit's filled-in form (the template's layout), with pinned timestamps."""
    import openpyxl

    from checklist.xlsx import save_workbook

    book = openpyxl.Workbook()
    info = book.active
    assert info is not None
    info.title = "单位信息"
    type_title = pack.unit_type(unit.type)
    for label, value in (
        ("单位名称", unit.name),
        ("单位类型", type_title.title.zh if type_title else unit.type),
        ("所属镇（街道）", unit.town),
        ("年度", year),
        ("填报人", unit.contact),
        ("联系电话", unit.phone),
    ):
        info.append([label, value])
    sheet = book.create_sheet("自评表")
    sheet.append(["编号", "类别", "指标", "填报说明", "自评填报", "佐证材料", "自评得分", "备注"])
    for row in rows if rows is not None else _rows(unit, year, pack):
        sheet.append(
            [
                row.rule.id,
                pack.area(row.rule.area).title.zh,
                row.rule.indicator.zh,
                "",
                _cell(row.answer),
                row.evidence,
                row.claimed,
                "",
            ]
        )
    book.properties.creator = unit.contact
    book.properties.lastModifiedBy = unit.contact
    save_workbook(book, path)
    _pin(path)
    return path


def _pin(path: Path, minutes: int = 0) -> None:
    stamp = (_PINNED + dt.timedelta(minutes=minutes)).timestamp()
    os.utime(path, (stamp, stamp))


def write_roster(path: Path) -> Path:
    """The county's roster: 序号, 单位名称, 所属镇（街道）, 单位类型, 联系人, 联系电话."""
    import openpyxl

    from checklist.xlsx import save_workbook

    titles = {
        "village": "村",
        "community": "社区",
        "enterprise": "非公企业",
        "school": "学校",
        "institution": "事业单位",
    }
    book = openpyxl.Workbook()
    sheet = book.active
    assert sheet is not None
    sheet.title = "名单"
    sheet.append(["太仓市基层群团组织建设自评单位名单"])
    sheet.append(["序号", "单位名称", "所属镇（街道）", "单位类型", "联系人", "联系电话"])
    for n, unit in enumerate(UNITS, start=1):
        sheet.append([n, unit.name, unit.town, titles[unit.type], unit.contact, unit.phone])
    book.properties.creator = "太仓市总工会"
    book.properties.lastModifiedBy = "太仓市总工会"
    save_workbook(book, path)
    _pin(path)
    return path


def _example_file(examples: Sequence[Path], unit: CountyUnit, year: int) -> Path | None:
    from checklist.textnorm import to_simplified

    for path in examples:
        name = to_simplified(path.name)
        if str(year) in name and (unit.example in name or unit.example[:2] + "一中" in name):
            return path
    return None


def write_county(folder: Path, pack: RulePack, examples: Sequence[Path]) -> Path:
    """Write the roster and the three seasons into ``folder``; returns the roster's path.

    ``folder/<year>/<town>/…`` per season (one town as ``<town>.zip``), the
    roster beside the seasons.
    """
    folder.mkdir(parents=True, exist_ok=True)
    roster = write_roster(folder / ROSTER_NAME)
    for year in YEARS:
        season = folder / str(year)
        if season.exists():
            shutil.rmtree(season)
        for unit in UNITS:
            if unit.name in MISSING[year]:
                continue
            town = season / unit.town
            town.mkdir(parents=True, exist_ok=True)
            _submit(unit, year, pack, town, examples)
        if year >= 2023:
            town = season / NOT_ON_ROSTER.town
            write_form(NOT_ON_ROSTER, year, pack, town / f"{NOT_ON_ROSTER.name}{year}年自评表.xlsx")
        _zip_town(season / ZIPPED_TOWN)
    return roster


def _submit(
    unit: CountyUnit, year: int, pack: RulePack, town: Path, examples: Sequence[Path]
) -> None:
    if unit.example:
        source = _example_file(examples, unit, year)
        if source is not None:
            target = town / source.name
            shutil.copyfile(source, target)
            _pin(target)
        return
    stem = f"{unit.name}{year}年群团工作自评表"
    if year == 2024 and unit.name == UNREADABLE:
        # A Word document renamed .xlsx: the batch lists it as unreadable.
        target = town / f"{stem}.xlsx"
        with zipfile.ZipFile(target, "w") as doc:
            for name, body in (
                ("[Content_Types].xml", "<Types/>"),
                ("word/document.xml", "<document>群团工作总结</document>"),
            ):
                doc.writestr(zipfile.ZipInfo(name, (2024, 1, 1, 0, 0, 0)), body)
        _pin(target)
        return
    if year == 2024 and unit.name == OLD_FORM_AGAIN:
        write_form(unit, 2023, pack, town / f"{unit.name}2023年群团工作自评表.xlsx")
        return
    if year >= 2023 and unit.name == COPIED[1]:
        original = next(u for u in UNITS if u.name == COPIED[0])
        rows = [
            _Row(r.rule, r.answer, r.evidence.replace(original.name, unit.name), r.claimed)
            for r in _rows(original, year, pack)
        ]
        write_form(unit, year, pack, town / f"{stem}.xlsx", rows)
        return
    if year == 2024 and unit.name == DRAFT_AND_FINAL:
        write_form(
            unit, year, pack, town / f"{stem}(初稿).xlsx", _rows(unit, year - 1, pack, "draft")
        )
        write_form(unit, year, pack, town / f"{stem}(终稿).xlsx")
        return
    path = write_form(unit, year, pack, town / f"{stem}.xlsx")
    if year == 2024 and unit.name == SENT_TWICE:
        copy = town / f"{stem}(1).xlsx"
        shutil.copyfile(path, copy)
        _pin(copy)
    if year == 2024 and unit.name == "新华村" and unit.town == "城厢镇":
        # Left behind while the form was open in Excel.
        (town / f"~${stem}.xlsx").write_bytes(b"\x00" * 165)
    if year == 2024 and unit.name == "泥桥村":
        (town / f"{unit.name}{year}年群团工作总结.docx").write_bytes(b"PK\x05\x06" + b"\x00" * 18)


def _zip_town(town: Path) -> None:
    if not town.is_dir():
        return
    archive = town.with_suffix(".zip")
    with zipfile.ZipFile(archive, "w", zipfile.ZIP_DEFLATED) as out:
        for path in sorted(town.iterdir()):
            info = zipfile.ZipInfo(f"{town.name}/{path.name}", (2024, 1, 1, 0, 0, 0))
            info.compress_type = zipfile.ZIP_DEFLATED
            info.flag_bits |= 0x800
            out.writestr(info, path.read_bytes())
    shutil.rmtree(town)
    _pin(archive)


def main(argv: Sequence[str] | None = None) -> int:
    """``python -m checklist.demo_county FOLDER``: write the demo county for trying ``batch``."""
    import sys

    from checklist.demo import example_files
    from checklist.rulepack import load_pack

    args = list(sys.argv[1:] if argv is None else argv)
    folder = Path(args[0] if args else "demo-county")
    roster = write_county(folder, load_pack(None), example_files())
    print(f"{folder}/: {', '.join(str(y) for y in YEARS)}; roster {roster.name}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
