"""A rule pack as an editable workbook, and back; and the difference between two packs.

Every route goes through one form, the pack *document* (:mod:`.document`): the
nested mappings a pack's YAML files hold, in the built-in pack's key order.
The workbook writer flattens it into rows, the reader builds it from rows and
validates it with the same checks as a YAML pack, the YAML writer dumps it, and
``rules diff`` compares two of them field by field. The sheets and columns are
declared once in :mod:`.layout`.
"""

WORKBOOK_SUFFIXES = (".xlsx", ".xlsm", ".xls", ".ods", ".et")
"""File endings read as a pack workbook wherever a pack is accepted (``--rules FILE.xlsx``)."""
