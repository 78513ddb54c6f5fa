"""Names vulture cannot see used: attributes that openpyxl, xlsxwriter, zipfile and PyYAML read.

Checked by `make lint` (`vulture` with the settings in pyproject.toml). Add a
name here only when a library reads it; dead code of ours is deleted instead.
"""
# ruff: noqa

_.border  # set for checklist/template.py
_.caption  # set for checklist/commands/batch.py
_.created  # set for checklist/xlsx.py
_.creator  # set for checklist/demo_county.py
_.creator  # set for checklist/template.py
_.external_attr  # set for checklist/xlsx.py
_.external_attr  # set for scripts/make_examples.py
_.fit_page  # set for checklist/packbook/export.py
_.forbid_dtd  # set for checklist/workbook.py
_._didModify  # set for zipfile in checklist/report/kit.py (a zip entry written whole)
_.formatColumns  # set for checklist/template.py
_.formatRows  # set for checklist/template.py
_.horizontalCentered  # set for checklist/template.py
_.lastModifiedBy  # set for checklist/demo_county.py
_.lastModifiedBy  # set for tests/test_packbook.py
_.modified  # set for checklist/xlsx.py
_.showGridLines  # set for checklist/template.py
_.tabSelected  # set for checklist/template.py
_.visibility  # set for tests/hostile.py
indentless  # set for checklist/packbook/document.py

# Commands named in checklist/cli.py's COMMANDS table ("module:function"): Typer
# builds them from the name when the command runs.
demo
template
_.list_commands  # Click calls it on checklist/cli.py's root group
_._write_sst_strings  # xlsxwriter calls it on checklist/report/kit.py's shared strings
_._write_shared_strings_file  # xlsxwriter's packager calls it on kit.py's workbook
