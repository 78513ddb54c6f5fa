"""The stable codes other programs read: error codes, intake note codes, match methods.

Each vocabulary is a :class:`~enum.StrEnum` whose values are the strings the
tool has always written into JSON results, the history database and error
objects, so a member compares equal to its old string and serialises as it.
Producers use the members, never the strings, so ``mypy`` refuses a misspelt
code. They live together in this leaf module (it imports nothing from the
package) because they cross every layer: the engine writes them, the history
keeps them, the CLI and batch callers branch on them, and
``docs/error-codes.md`` documents them for outside programs
(``tests/test_codes.py`` keeps that page and these members in step).

A code, once published, keeps its value; a retired code is never reused with
another meaning.
"""

from __future__ import annotations

from enum import StrEnum

__all__ = ["ErrorCode", "MatchMethod", "NoteCode"]


class ErrorCode(StrEnum):
    """Why a :class:`~checklist.errors.ChecklistError` was raised."""

    # The input file, before and while it is parsed (preflight and workbook).
    missing = "missing"
    not_a_file = "not_a_file"
    unreadable = "unreadable"
    lock_file = "lock_file"
    empty = "empty"
    too_large = "too_large"
    encrypted = "encrypted"
    html = "html"
    json = "json"
    xml_spreadsheet = "xml_spreadsheet"
    xlsb = "xlsb"
    not_workbook = "not_workbook"
    damaged = "damaged"
    zip_bomb = "zip_bomb"
    too_many_parts = "too_many_parts"
    too_many_cells = "too_many_cells"
    too_many_sheets = "too_many_sheets"
    too_much_text = "too_much_text"
    encoding = "encoding"
    xml_entities = "xml_entities"
    # The form's content.
    no_table = "no_table"
    our_output = "our_output"
    not_a_filled_form = "not_a_filled_form"
    survey = "survey"
    unknown_unit_type = "unknown_unit_type"
    bad_result_json = "bad_result_json"
    different_unit = "different_unit"
    same_input = "same_input"
    bad_waivers = "bad_waivers"
    # Outputs.
    output_is_input = "output_is_input"
    output_exists = "output_exists"
    output_folder_missing = "output_folder_missing"
    output_is_folder = "output_is_folder"
    output_not_regular = "output_not_regular"
    output_unwritable = "output_unwritable"
    output_suffix = "output_suffix"
    replace_without_save = "replace_without_save"
    roster_options = "roster_options"
    # The history database.
    history_db = "history_db"
    history_missing = "history_missing"
    history_newer = "history_newer"
    unit_ambiguous = "unit_ambiguous"
    unit_not_found = "unit_not_found"
    year_not_found = "year_not_found"
    save_no_unit = "save_no_unit"
    save_no_year = "save_no_year"
    already_saved = "already_saved"
    history_foreign = "history_foreign"
    history_read_only = "history_read_only"
    history_wal_unreadable = "history_wal_unreadable"
    history_damaged = "history_damaged"
    confirmation_needed = "confirmation_needed"
    # The batch: its inputs, and a file whose worker gave no result.
    bad_roster = "bad_roster"
    roster_is_form = "roster_is_form"
    no_forms = "no_forms"
    crashed = "crashed"
    timeout = "timeout"
    internal = "internal"


class NoteCode(StrEnum):
    """The kind of an :class:`~checklist.model.IntakeNote`."""

    # The file and its table.
    file = "file"
    other_pack = "other_pack"
    no_answer_column = "no_answer_column"
    answers_from_remarks = "answers_from_remarks"
    answer_from_self_score = "answer_from_self_score"
    score_column_as_claimed = "score_column_as_claimed"
    columns_from_content = "columns_from_content"
    survey_row = "survey_row"
    # Unit details.
    unit_name_from_title = "unit_name_from_title"
    unit_name_from_file = "unit_name_from_file"
    unit_name_missing = "unit_name_missing"
    unit_type_from_name = "unit_type_from_name"
    unit_type_missing = "unit_type_missing"
    unknown_unit_type = "unknown_unit_type"
    year_from_title = "year_from_title"
    year_from_date = "year_from_date"
    year_from_file = "year_from_file"
    year_missing = "year_missing"
    unreadable_year = "unreadable_year"
    record_overrides = "record_overrides"
    record_other_form = "record_other_form"
    # Rows and rules.
    unmatched_row = "unmatched_row"
    fuzzy_match = "fuzzy_match"
    indicator_edited = "indicator_edited"
    unreadable_score = "unreadable_score"
    scoring_note = "scoring_note"
    # Answers (normalisation).
    unreadable = "unreadable"
    not_applicable = "not_applicable"
    rule_word = "rule_word"
    traditional_chars = "traditional_chars"
    hedged_answer = "hedged_answer"
    mixed_answer = "mixed_answer"
    yes_with_text = "yes_with_text"
    no_with_text = "no_with_text"
    number_as_yesno = "number_as_yesno"
    restates_indicator = "restates_indicator"
    none_as_zero = "none_as_zero"
    frequency = "frequency"
    range_lower_bound = "range_lower_bound"
    approximate_number = "approximate_number"
    lower_bound = "lower_bound"
    upper_bound = "upper_bound"
    number_with_text = "number_with_text"
    number_in_text = "number_in_text"
    session_number = "session_number"
    all_of_them = "all_of_them"
    sum_of_parts = "sum_of_parts"
    opposite_word = "opposite_word"
    part_of_whole = "part_of_whole"
    rate_from_counts = "rate_from_counts"
    meetings_by_date = "meetings_by_date"
    items_counted = "items_counted"
    per_person = "per_person"
    question_inverted = "question_inverted"
    choice_in_text = "choice_in_text"
    chinese_numeral = "chinese_numeral"
    scaled_unit = "scaled_unit"
    rounded_down = "rounded_down"
    fraction_as_percent = "fraction_as_percent"
    fraction_form = "fraction_form"
    over_100 = "over_100"
    fuzzy_choice = "fuzzy_choice"
    no_text = "no_text"
    excel_serial_date = "excel_serial_date"
    partial_date = "partial_date"
    implausible_date = "implausible_date"
    date_in_text = "date_in_text"
    # Waivers (豁免) not used for this unit.
    waiver_unknown_rule = "waiver_unknown_rule"
    waiver_expired = "waiver_expired"
    waiver_not_yet = "waiver_not_yet"
    waiver_veto_not_named = "waiver_veto_not_named"
    waiver_unknown_unit = "waiver_unknown_unit"


class MatchMethod(StrEnum):
    """How intake tied a row of the form to a rule."""

    id = "id"
    """The row's 编号 is the rule's id."""
    text = "text"
    """The row's indicator equals one of the rule's wordings once normalised."""
    fuzzy = "fuzzy"
    """The row's indicator is close to one of the rule's wordings."""
    none = ""
    """No row: the row is unmatched, or the answer was built in code."""
