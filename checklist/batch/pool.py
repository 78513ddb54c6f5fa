"""A crash-safe worker pool: one file per worker at a time, each with a time limit.

A native crash (a C extension calling abort) kills a worker process and a
pathological file can hang one; ``concurrent.futures`` would then break the
whole pool or leave a future running forever. Here every worker holds exactly
one file, so the parent always knows which file a dead or stuck worker was
reading: that file is recorded as failed, the worker replaced, and the batch
goes on. Workers load the pack once (they inherit it on fork, or get it
pickled once on spawn).

A survey file (one unit per row) gives one outcome per unit; its worker sends
them in parts (:class:`~checklist.batch.model.More`) as it goes, each part
restarting the file's time limit, and a survey whose worker dies or stalls
part-way is recorded as one failed file (the parts already sent are dropped,
so a file is either read whole or not at all).
"""

from __future__ import annotations

import dataclasses
import multiprocessing
import sys
import time
import traceback
from collections import deque
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from multiprocessing.connection import Connection, wait
from typing import Any

from checklist.batch.copied import ClueStore
from checklist.batch.model import Failure, FileScore, More, Outcome, Submission
from checklist.batch.spool import Spool
from checklist.batch.worker import JobSettings, run_job, start_worker
from checklist.codes import ErrorCode
from checklist.model import RulePack
from checklist.text import Text

DEFAULT_TIMEOUT = 60.0
"""Seconds one file may take before its worker is stopped."""


def _context() -> Any:
    # fork: workers start in milliseconds and share the loaded pack; spawn elsewhere.
    methods = multiprocessing.get_all_start_methods()
    return multiprocessing.get_context("fork" if "fork" in methods else "spawn")


def _worker_main(conn: Connection, pack: RulePack, settings: JobSettings) -> None:
    start_worker(pack, settings)
    while True:
        try:
            message = conn.recv()
        except EOFError:
            return
        if message is None:
            return
        index, submission = message
        try:
            outcome: Outcome | tuple[Outcome, ...] = run_job(index, submission, conn.send)
        except Exception as exc:
            where = traceback.extract_tb(exc.__traceback__)[-1]
            outcome = Failure(
                submission,
                Text(
                    f"读取时程序出错（{type(exc).__name__}，{where.name}），请把该文件反馈给维护者",
                    f"the program failed reading it ({type(exc).__name__} in {where.name}); "
                    "please send the file to the maintainers",
                ),
                ErrorCode.internal,
            )
        conn.send(outcome)


def shared(outcome: Outcome, submission: Submission | None = None) -> Outcome:
    """``outcome`` with what units repeat shared between units, as the parent keeps it.

    Each summary unpickled from a worker brings its own copy of every string,
    so a county's thousands of summaries would hold thousands of copies of the
    same rule ids, cells, towns, types and grades, and a second copy of the
    file's :class:`Submission` (its path, name and folders) beside the one the
    parent sent; shared, the parent grows only by what is each unit's own, and
    its memory stays flat as the county grows. ``submission`` is the one the
    parent sent (a survey's rows keep their own: each names its row).
    """
    if not isinstance(outcome, FileScore):
        return outcome
    one = sys.intern
    unit = outcome.unit
    return dataclasses.replace(
        outcome,
        submission=submission
        if submission is not None and submission == outcome.submission
        else outcome.submission,
        unit=dataclasses.replace(
            unit,
            town=one(unit.town),
            type=one(unit.type) if unit.type is not None else None,
            filled_by=one(unit.filled_by),
            phone=one(unit.phone),
        ),
        grade=one(outcome.grade),
        vetoed_by=tuple(map(one, outcome.vetoed_by)),
        areas=tuple((one(area), points) for area, points in outcome.areas),
        gaps=tuple(map(one, outcome.gaps)),
        applicable=tuple(map(one, outcome.applicable)),
        coverage=tuple((one(org), held) for org, held in outcome.coverage),
        clues=tuple(
            dataclasses.replace(
                clue,
                rule_id=one(clue.rule_id),
                text=one(clue.text),
                cell=one(clue.cell),
                shown=one(clue.shown),
            )
            for clue in outcome.clues
        ),
    )


@dataclass
class _Slot:
    process: Any
    conn: Connection
    job: tuple[int, Submission] | None = None
    started: float = 0.0


def run_pool(
    submissions: Sequence[Submission],
    pack: RulePack,
    settings: JobSettings,
    *,
    jobs: int,
    timeout: float = DEFAULT_TIMEOUT,
    progress: Callable[[], None] | None = None,
    clues: ClueStore | None = None,
    spool: Spool | None = None,
) -> list[Outcome]:
    """Every submission's outcomes, in the order given (a survey's one per row, in row order).

    With ``clues``, each scored unit's clues go there (as file number
    ``FileScore.clues_at``, in the order they arrive) and its summary keeps none; with ``spool``, its
    whole summary goes there and the list holds its light copy.
    """
    context = _context()
    pending = deque(enumerate(submissions))
    outcomes: dict[int, list[Outcome]] = {}
    stored = spooled = 0
    slots: list[_Slot] = []

    def start() -> _Slot:
        parent, child = context.Pipe()
        process = context.Process(
            target=_worker_main, args=(child, pack, settings), daemon=True, name="checklist-batch"
        )
        process.start()
        child.close()
        return _Slot(process, parent)

    def keep(submission: Submission, outcome: Outcome) -> Outcome:
        nonlocal stored, spooled
        if clues is not None and isinstance(outcome, FileScore):
            clues.add(stored, outcome.clues)
            outcome = dataclasses.replace(outcome, clues=(), clues_at=stored)
            stored += 1
        if spool is not None and isinstance(outcome, FileScore):
            outcome = spool.keep(spooled, outcome)
            spooled += 1
        return shared(outcome, submission)

    def add(slot: _Slot, part: More) -> None:
        assert slot.job is not None
        index, submission = slot.job
        outcomes.setdefault(index, []).extend(keep(submission, o) for o in part.outcomes)
        slot.started = time.monotonic()

    def finish(slot: _Slot, outcome: Outcome | tuple[Outcome, ...]) -> None:
        assert slot.job is not None
        if isinstance(outcome, Failure):
            # Rows a survey sent before it failed are dropped with it (their clues
            # stay unread in the store: no unit counted refers to them).
            outcomes[slot.job[0]] = [outcome]
        else:
            done = outcome if isinstance(outcome, tuple) else (outcome,)
            index, submission = slot.job
            outcomes.setdefault(index, []).extend(keep(submission, o) for o in done)
        slot.job = None
        if progress is not None:
            progress()

    def replace(slot: _Slot) -> None:
        _stop(slot)
        slots[slots.index(slot)] = start()

    try:
        for _ in range(max(1, min(jobs, len(submissions)))):
            slots.append(start())
        while pending or any(s.job is not None for s in slots):
            for slot in slots:
                if slot.job is None and pending:
                    slot.job = pending.popleft()
                    slot.started = time.monotonic()
                    slot.conn.send(slot.job)
            busy = [s for s in slots if s.job is not None]
            now = time.monotonic()
            wake = max(0.0, min(s.started + timeout for s in busy) - now)
            ready = set(wait([s.conn for s in busy] + [s.process.sentinel for s in busy], wake))
            now = time.monotonic()
            for slot in busy:
                assert slot.job is not None
                submission = slot.job[1]
                if slot.conn in ready:
                    try:
                        message = slot.conn.recv()
                        if isinstance(message, More):
                            add(slot, message)
                        else:
                            finish(slot, message)
                        continue
                    except (EOFError, OSError):
                        pass  # the worker died while (or before) answering
                    finish(slot, _crashed(submission, slot))
                    replace(slot)
                elif slot.process.sentinel in ready:
                    finish(slot, _crashed(submission, slot))
                    replace(slot)
                elif now - slot.started >= timeout:
                    finish(
                        slot,
                        Failure(
                            submission,
                            Text(
                                f"读取超过 {timeout:g} 秒仍未完成，已中止；请在 Excel/WPS 中另存后重新报送",
                                f"reading took longer than {timeout:g} s and was stopped; "
                                "save it again in Excel/WPS and resend it",
                            ),
                            ErrorCode.timeout,
                        ),
                    )
                    replace(slot)
    finally:
        for slot in slots:
            _stop(slot, polite=slot.job is None)
    return [outcome for i in range(len(submissions)) for outcome in outcomes[i]]


def _crashed(submission: Submission, slot: _Slot) -> Failure:
    slot.process.join(5)
    code = slot.process.exitcode
    return Failure(
        submission,
        Text(
            f"读取时程序异常退出（退出码 {code}），文件可能已损坏；请在 Excel/WPS 中另存后重新报送",
            f"the reader crashed on it (exit code {code}); the file may be damaged: "
            "save it again in Excel/WPS and resend it",
        ),
        ErrorCode.crashed,
    )


def _stop(slot: _Slot, polite: bool = False) -> None:
    if polite and slot.process.is_alive():
        try:
            slot.conn.send(None)
            slot.process.join(2)
        except (OSError, ValueError):
            pass
    if slot.process.is_alive():
        slot.process.kill()
    slot.process.join(5)
    slot.conn.close()
