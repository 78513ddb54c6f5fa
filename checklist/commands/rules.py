"""``checklist rules list|show|validate``."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated

import typer

from checklist.commands.options import (
    JsonOption,
    LangOption,
    OutputOption,
    RulesOption,
    console,
    echo_json,
    load_rules,
    say,
    user_errors,
)
from checklist.text import Lang, printable

app = typer.Typer(
    help="List, show, validate, export, import and compare rule packs.", no_args_is_help=True
)


@app.command("list")
@user_errors
def rules_list(
    rules: RulesOption = None, json_out: JsonOption = False, lang: LangOption = Lang.zh
) -> None:
    """List the rules of a pack (table, or JSON with --json)."""
    from checklist.catalog import pack_to_dict, print_pack_table

    pack = load_rules(rules)
    if json_out:
        echo_json(pack_to_dict(pack))
        return
    print_pack_table(pack, lang, console())


@app.command("show")
@user_errors
def rules_show(
    rule_id: Annotated[str, typer.Argument(help="Rule id, e.g. LEAD-01.")],
    rules: RulesOption = None,
    json_out: JsonOption = False,
    lang: LangOption = Lang.zh,
) -> None:
    """Show one rule in full: question, answer, scoring, finding, recommendation, source."""
    from checklist.catalog import find_rule, print_rule, rule_to_dict

    pack = load_rules(rules)
    rule = find_rule(pack, rule_id)
    if json_out:
        echo_json(rule_to_dict(rule))
        return
    print_rule(pack, rule, lang, console())


@app.command("validate")
@user_errors
def rules_validate(
    path: Annotated[str, typer.Argument(help="Pack folder, pack workbook or built-in id.")],
    lang: LangOption = Lang.zh,
) -> None:
    """Check a rule pack and list every problem at once (exit 2 if any)."""
    pack = load_rules(path)
    bonus = sum(1 for r in pack.rules if r.bonus)
    message = {
        Lang.zh: f"规则包 {pack.id} {pack.version} 有效：{len(pack.rules)} 条规则"
        f"（{bonus} 条加分项），{len(pack.checks)} 项一致性检查，{len(pack.areas)} 个类别。",
        Lang.en: f"Rule pack {pack.id} {pack.version} is valid: {len(pack.rules)} rules "
        f"({bonus} bonus), {len(pack.checks)} consistency checks, {len(pack.areas)} areas.",
    }
    say(message[lang])


@app.command("export")
@user_errors
def rules_export(
    rules: RulesOption = None,
    output: OutputOption = None,
    lang: LangOption = Lang.zh,
) -> None:
    """Write a pack as an editable workbook (default: <pack id>-<version>.xlsx)."""
    from checklist.packbook.export import write_pack_workbook

    if output is not None:
        from checklist.output import require_suffix

        require_suffix(output, (".xlsx",))
    pack = load_rules(rules)
    target = output or Path(f"{pack.id}-{pack.version}.xlsx")
    written = write_pack_workbook(pack, target, lang)
    message = {
        Lang.zh: f"已写出规则包工作簿 {written}（{len(pack.rules)} 条规则）。",
        Lang.en: f"Wrote the rule pack workbook {written} ({len(pack.rules)} rules).",
    }
    say(message[lang])


@app.command("import")
@user_errors
def rules_import(
    workbook: Annotated[Path, typer.Argument(help="Pack workbook (.xlsx) to turn into YAML.")],
    output: Annotated[
        Path, typer.Option("-o", "--output", help="Folder to write the YAML pack into.")
    ],
    lang: LangOption = Lang.zh,
) -> None:
    """Check a pack workbook and write it as a YAML pack folder (every problem listed, by cell)."""
    from checklist.packbook.document import pack_document, write_yaml_pack
    from checklist.packbook.read import load_pack_workbook

    pack = load_pack_workbook(workbook)
    written = write_yaml_pack(pack_document(pack), output, workbook)
    message = {
        Lang.zh: f"已把 {workbook} 写成 YAML 规则包 {output}（{len(written)} 个文件，"
        f"{len(pack.rules)} 条规则）。",
        Lang.en: f"Wrote {workbook} as the YAML pack {output} ({len(written)} files, "
        f"{len(pack.rules)} rules).",
    }
    say(message[lang])


@app.command("diff")
@user_errors
def rules_diff(
    old: Annotated[str, typer.Argument(help="First pack: id, folder or workbook.")],
    new: Annotated[str, typer.Argument(help="Second pack: id, folder or workbook.")],
    json_out: JsonOption = False,
    lang: LangOption = Lang.zh,
) -> None:
    """Show what changed between two packs: rules, checks, areas, grades, settings."""
    from rich.padding import Padding
    from rich.text import Text as RichText

    from checklist.packbook.diff import diff_lines, diff_packs, diff_to_dict

    diff = diff_packs(load_rules(old), load_rules(new))
    if json_out:
        echo_json(diff_to_dict(diff, lang))
        return
    out = console()
    for indent, line in diff_lines(diff, lang):
        # Rich text built here skips the console's own cleaning (render_str): clean it first.
        shown = RichText(printable(line))
        out.print(Padding(shown, (0, 0, 0, indent), expand=False) if line else "")
