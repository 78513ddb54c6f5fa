"""``checklist demo``: the main job on the bundled example data."""

from __future__ import annotations

from checklist.commands.options import LangOption, console, load_rules, user_errors
from checklist.text import Lang


@user_errors
def demo(lang: LangOption = Lang.zh) -> None:
    """Run the main job on the bundled example data."""
    from checklist.catalog import print_pack_table

    print_pack_table(load_rules(None), lang, console())
