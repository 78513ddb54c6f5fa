"""``checklist rules list|show|validate``."""

from __future__ import annotations

from typing import Annotated

import typer

from checklist.commands.options import (
    JsonOption,
    LangOption,
    RulesOption,
    console,
    echo_json,
    load_rules,
    user_errors,
)
from checklist.text import Lang

app = typer.Typer(help="List, show and validate rule packs.", no_args_is_help=True)


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
    path: Annotated[str, typer.Argument(help="Rule pack folder (or built-in pack id).")],
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
    typer.echo(message[lang])
