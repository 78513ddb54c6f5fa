"""The county roll-up: a season's folder of submissions scored as one batch.

One job per module: :mod:`collect` finds the files, :mod:`pool` and
:mod:`worker` read and score them in crash-safe worker processes,
:mod:`roster` ties each form to one roster unit, :mod:`select` decides which
file counts for each unit, :mod:`copied` flags copied answers,
:mod:`rollup` aggregates everything the roll-up workbook and the JSON show,
and :mod:`run` puts the stages together. The workbook itself is written by
:mod:`checklist.report.rollup`.
"""
