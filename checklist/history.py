"""The history database: every saved assessment, its raw answers and its result, in SQLite.

Raw answers are kept exactly as read so that old years can be re-scored under
today's rules (:meth:`History.rescore`, and :mod:`checklist.rescore` for a read-only
re-score). The schema is an ordered list of named migrations recorded in the
``migrations`` table; each migration runs in one transaction together with
its record, so a database is never left half-migrated. The database runs in
WAL mode with a busy timeout and takes its write lock up front
(``BEGIN IMMEDIATE``), so several ``checklist score --save`` processes can
write at once without "database is locked" failures.

Which database: an explicit path (``--db``) beats the ``CHECKLIST_DB``
environment variable, which beats ``checklist-history.db`` in the current
folder.
"""

from __future__ import annotations

import datetime as dt
import functools
import hashlib
import json
import os
import sqlite3
import stat
from collections.abc import Callable, Iterator, Sequence
from contextlib import contextmanager
from pathlib import Path
from types import MappingProxyType
from typing import Any, TypeVar

from checklist.codes import ErrorCode
from checklist.compare import PackRef
from checklist.envvars import DB_ENV_VAR as DB_ENV_VAR  # also named here, where it is used
from checklist.errors import ChecklistError
from checklist.identity import abbreviates, compatible, same_key, town_key, unit_key, unit_town
from checklist.model import Answer, Assessment, Result, RulePack, UnitInfo, Waiver
from checklist.records import record
from checklist.rescore import rescored
from checklist.saved import (
    Entry,
    RescoredEntry,
    RescoreReport,
    StoredAssessment,
    UnitHistory,
    UnitRecord,
)
from checklist.text import Text

DEFAULT_DB_NAME = "checklist-history.db"
"""Database file used when neither ``--db`` nor ``CHECKLIST_DB`` names one."""
BUSY_TIMEOUT_MS = 30_000
"""How long a writer waits for another writer's lock before giving up."""
APPLICATION_ID = 0x434B4C48
"""``PRAGMA application_id`` of our databases ("CKLH"): tells them from any other SQLite file."""


def resolve_db_path(explicit: str | os.PathLike[str] | None = None) -> Path:
    """The database path: ``explicit`` > ``$CHECKLIST_DB`` > ``./checklist-history.db``."""
    if explicit is not None and str(explicit) != "":
        return Path(explicit)
    env = os.environ.get(DB_ENV_VAR, "").strip()
    if env:
        return Path(env)
    return Path.cwd() / DEFAULT_DB_NAME


# --- schema ------------------------------------------------------------------------


@record
class Migration:
    """One named schema step."""

    name: str
    """Stable name recorded in the ``migrations`` table once applied."""
    statements: tuple[str, ...]
    """SQL statements, run in order inside one transaction."""
    rewrite: Callable[[sqlite3.Connection], None] | None = None
    """Data the SQL cannot reshape, rewritten in Python after the statements, same transaction.

    A migration that only rewrites stored results changes no table, and the
    result loader reads every earlier form: a read-only database that lacks it
    is still read (see ``_setup``).
    """


def _typed_decisions(db: sqlite3.Connection) -> None:
    """Stored results in the current JSON form: each rule's ``band`` string becomes a decision."""
    rows = db.execute("SELECT id, result, scored_result FROM assessments").fetchall()
    for assessment_id, result, scored_result in rows:
        db.execute(
            "UPDATE assessments SET result = ?, scored_result = ? WHERE id = ?",
            (_current_json(result), _current_json(scored_result), assessment_id),
        )


MIGRATIONS: tuple[Migration, ...] = (
    Migration(
        "0001_initial",
        (
            """
            CREATE TABLE units (
                id INTEGER PRIMARY KEY,
                key TEXT NOT NULL,
                name TEXT NOT NULL,
                type TEXT,
                town TEXT NOT NULL DEFAULT '',
                created_at TEXT NOT NULL
            )
            """,
            "CREATE INDEX units_by_key ON units (key)",
            """
            CREATE TABLE unit_names (
                unit_id INTEGER NOT NULL REFERENCES units (id) ON DELETE CASCADE,
                name TEXT NOT NULL,
                key TEXT NOT NULL,
                first_seen TEXT NOT NULL,
                PRIMARY KEY (unit_id, name)
            )
            """,
            "CREATE INDEX unit_names_by_key ON unit_names (key)",
            """
            CREATE TABLE assessments (
                id INTEGER PRIMARY KEY,
                unit_id INTEGER NOT NULL REFERENCES units (id),
                year INTEGER NOT NULL,
                unit_name TEXT NOT NULL,
                unit_type TEXT,
                town TEXT NOT NULL DEFAULT '',
                filled_by TEXT NOT NULL DEFAULT '',
                phone TEXT NOT NULL DEFAULT '',
                source_name TEXT NOT NULL DEFAULT '',
                source_sha256 TEXT,
                scored_pack_id TEXT NOT NULL,
                scored_pack_version TEXT NOT NULL,
                scored_result TEXT NOT NULL,
                pack_id TEXT NOT NULL,
                pack_version TEXT NOT NULL,
                result TEXT NOT NULL,
                total REAL NOT NULL,
                grade TEXT NOT NULL,
                saved_at TEXT NOT NULL,
                rescored_at TEXT,
                UNIQUE (unit_id, year)
            )
            """,
            """
            CREATE TABLE answers (
                assessment_id INTEGER NOT NULL REFERENCES assessments (id) ON DELETE CASCADE,
                rule_id TEXT NOT NULL,
                state TEXT NOT NULL,
                raw TEXT NOT NULL,
                value TEXT,
                cell TEXT NOT NULL DEFAULT '',
                evidence TEXT NOT NULL DEFAULT '',
                claimed REAL,
                match_method TEXT NOT NULL DEFAULT '',
                match_confidence REAL NOT NULL DEFAULT 100,
                PRIMARY KEY (assessment_id, rule_id)
            )
            """,
        ),
    ),
    Migration(
        "0002_rescore_log",
        (
            """
            CREATE TABLE rescores (
                id INTEGER PRIMARY KEY,
                pack_id TEXT NOT NULL,
                pack_version TEXT NOT NULL,
                pack_path TEXT NOT NULL DEFAULT '',
                assessments INTEGER NOT NULL,
                changed INTEGER NOT NULL,
                applied_at TEXT NOT NULL
            )
            """,
        ),
    ),
    Migration("0003_typed_decisions", (), _typed_decisions),
    Migration(
        "0004_waivers",
        (
            # The waivers each saved result applied, kept as they were when applied
            # (the waivers file may change or go); rescore rewrites a result's rows.
            """
            CREATE TABLE waivers (
                assessment_id INTEGER NOT NULL REFERENCES assessments (id) ON DELETE CASCADE,
                rule_id TEXT NOT NULL,
                unit TEXT NOT NULL,
                town TEXT NOT NULL DEFAULT '',
                reason TEXT NOT NULL,
                approved_by TEXT NOT NULL,
                approved_on TEXT NOT NULL,
                expires_on TEXT NOT NULL,
                veto INTEGER NOT NULL DEFAULT 0,
                place TEXT NOT NULL DEFAULT '',
                PRIMARY KEY (assessment_id, rule_id)
            )
            """,
            # An overlay's base ("grassroots 2026.2"), beside the pack that scored the result.
            "ALTER TABLE assessments ADD COLUMN pack_base TEXT NOT NULL DEFAULT ''",
        ),
    ),
)
"""The schema, oldest first. Never edit an applied migration: append a new one."""

SCHEMA_VERSION = len(MIGRATIONS)
"""Also written to ``PRAGMA user_version`` for tools that look there."""


# --- the database ---------------------------------------------------------------------


def _now() -> str:
    return dt.datetime.now(dt.UTC).isoformat(timespec="seconds")


def file_sha256(path: Path) -> str:
    """SHA-256 of a file, read in chunks."""
    digest = hashlib.sha256()
    with Path(path).open("rb") as handle:
        for chunk in iter(lambda: handle.read(1 << 20), b""):
            digest.update(chunk)
    return digest.hexdigest()


def _db_error(path: Path, exc: sqlite3.Error) -> ChecklistError:
    return ChecklistError(
        Text(
            f"无法使用历史数据库 {path}（{exc}）。请确认它是 checklist 的历史数据库且可写，"
            "或用 --db 指定另一个文件。",
            f"Cannot use the history database {path} ({exc}). Check that it is a checklist "
            "history database and writable, or name another file with --db.",
        ),
        code=ErrorCode.history_db,
    )


def _foreign(path: Path) -> ChecklistError:
    return ChecklistError(
        Text(
            f"{path} 不是 checklist 的历史数据库（它是别的程序的 SQLite 文件），未作任何改动。"
            "请用 --db（或环境变量 CHECKLIST_DB）指定历史数据库，或一个新文件名。",
            f"{path} is not a checklist history database (it is another program's SQLite "
            "file); it was left untouched. Name the history database, or a new file, with "
            "--db (or CHECKLIST_DB).",
        ),
        code=ErrorCode.history_foreign,
    )


def _refuse_special(path: Path) -> None:
    """Refuse a device, pipe or socket before SQLite opens it (and leaves a -journal beside it)."""
    try:
        mode = path.stat().st_mode
    except OSError:
        return
    if not stat.S_ISREG(mode):
        raise ChecklistError(
            Text(
                f"{path} 不是普通文件（可能是设备或管道），不能用作历史数据库。请用 --db 给出文件名。",
                f"{path} is not a regular file (a device or a pipe) and cannot be a history "
                "database. Give a file name with --db.",
            ),
            code=ErrorCode.history_db,
        )


def _wal_path(path: Path) -> Path:
    return path.with_name(path.name + "-wal")


def _has_wal(path: Path) -> bool:
    try:
        return _wal_path(path).stat().st_size > 0
    except OSError:
        return False


def _read_only_uri(path: Path) -> str:
    """How to open a database the user may only read.

    ``immutable`` reads the file alone, with no locks and no ``-shm``, which is
    all a read-only medium allows — but it ignores committed data still in the
    ``-wal`` file. When there is one, the database is opened plain read-only so
    that data is seen; if SQLite cannot do that here, opening says why.
    """
    uri = path.resolve().as_uri()
    return f"{uri}?mode=ro" if _has_wal(path) else f"{uri}?mode=ro&immutable=1"


def _unreadable_wal(path: Path, exc: sqlite3.Error) -> ChecklistError:
    wal = _wal_path(path)
    return ChecklistError(
        Text(
            f"无法只读打开历史数据库 {path}（{exc}）：已提交的数据还在 {wal.name} 中，"
            "读取它需要对文件夹有写权限（SQLite 要建 -shm 文件）。请让有写权限的人用 checklist "
            "打开一次该数据库，或把数据库连同 -wal 文件复制到可写的文件夹后再用 --db 指定。",
            f"Cannot open the history database {path} read-only ({exc}): committed data is "
            f"still in {wal.name}, and reading it needs write access to the folder (SQLite "
            "makes a -shm file). Have someone with write access open it with checklist once, "
            "or copy the database with its -wal file to a writable folder and name it with --db.",
        ),
        code=ErrorCode.history_wal_unreadable,
    )


_F = TypeVar("_F", bound=Callable[..., Any])


def _sqlite_errors(method: _F) -> _F:
    """Turn an SQLite failure inside ``method`` into a ChecklistError naming the database."""

    @functools.wraps(method)
    def wrapper(self: History, *args: Any, **kwargs: Any) -> Any:
        try:
            return method(self, *args, **kwargs)
        except sqlite3.Error as exc:
            raise _db_error(self.path, exc) from None

    return wrapper  # type: ignore[return-value]


def _json_dumps(data: object) -> str:
    return json.dumps(data, ensure_ascii=False, separators=(",", ":"))


class History:
    """An open history database. Use :func:`open_history` (or ``History.open``) and ``with``."""

    def __init__(
        self, path: Path, connection: sqlite3.Connection, *, read_only: bool = False
    ) -> None:
        self.path = path
        """The database file."""
        self.read_only = read_only
        """Opened for reading only (the user may not write the file or its folder)."""
        self._db = connection
        self._damage: dict[int, Text] = {}

    # -- opening -----------------------------------------------------------------

    @classmethod
    def open(cls, path: str | os.PathLike[str] | None = None, *, create: bool = True) -> History:
        """Open (and create or migrate) the database at ``resolve_db_path(path)``."""
        db_path = resolve_db_path(path)
        if not db_path.exists() and not create:
            raise ChecklistError(
                Text(
                    f"找不到历史数据库 {db_path}。请先用 checklist score 文件 --save 保存自评结果，"
                    f"或用 --db（或环境变量 {DB_ENV_VAR}）指定数据库。",
                    f"No history database at {db_path}. Save results first with "
                    f"'checklist score FILE --save', or name the database with --db "
                    f"(or the {DB_ENV_VAR} environment variable).",
                ),
                code=ErrorCode.history_missing,
            )
        if db_path.is_dir():
            raise ChecklistError(
                Text(
                    f"{db_path} 是文件夹，不是历史数据库文件。请用 --db 给出文件名。",
                    f"{db_path} is a folder, not a history database file. Give a file name with --db.",
                ),
                code=ErrorCode.history_db,
            )
        if not db_path.parent.is_dir():
            raise ChecklistError(
                Text(
                    f"无法创建历史数据库 {db_path}：文件夹 {db_path.parent} 不存在。",
                    f"Cannot create the history database {db_path}: the folder "
                    f"{db_path.parent} does not exist.",
                ),
                code=ErrorCode.history_db,
            )
        _refuse_special(db_path)
        # A database the user may only read (a county archive on a shared drive)
        # is opened read-only: listing, showing and trends work, saving says why not.
        read_only = db_path.exists() and not (
            os.access(db_path, os.W_OK) and os.access(db_path.parent, os.W_OK)
        )
        try:
            # isolation_level=None: transactions are begun explicitly below, so
            # every write can take the lock up front with BEGIN IMMEDIATE.
            if read_only:
                connection = sqlite3.connect(
                    _read_only_uri(db_path),
                    uri=True,
                    timeout=BUSY_TIMEOUT_MS / 1000,
                    isolation_level=None,
                )
            else:
                connection = sqlite3.connect(
                    db_path, timeout=BUSY_TIMEOUT_MS / 1000, isolation_level=None
                )
        except sqlite3.Error as exc:
            raise _db_error(db_path, exc) from None
        history = cls(db_path, connection, read_only=read_only)
        try:
            history._setup_patiently(read_only)
        except sqlite3.Error as exc:
            connection.close()
            if read_only and _has_wal(db_path):
                raise _unreadable_wal(db_path, exc) from None
            raise _db_error(db_path, exc) from None
        except BaseException:
            connection.close()
            raise
        return history

    def _setup_patiently(self, read_only: bool) -> None:
        """:meth:`_setup`, tried again while another process holds the new file's lock.

        Several `score --save` runs started together on a database that does not
        exist yet race to create it and switch it to WAL; SQLite answers some of
        those steps "locked" at once, without waiting for the busy timeout.
        """
        import time

        waited = 0.0
        pause = 0.05
        while True:
            try:
                self._setup(read_only)
                return
            except sqlite3.OperationalError as exc:
                if "locked" not in str(exc) or waited >= BUSY_TIMEOUT_MS / 1000:
                    raise
            time.sleep(pause)
            waited += pause
            pause = min(pause * 2, 0.5)

    def _setup(self, read_only: bool = False) -> None:
        db = self._db
        db.execute(f"PRAGMA busy_timeout = {BUSY_TIMEOUT_MS}")
        db.execute("PRAGMA foreign_keys = ON")
        # Before anything that writes (journal mode, migrations): another
        # program's SQLite file is refused exactly as it was found.
        if not self._ours():
            raise _foreign(self.path)
        if read_only:
            missing = [m.name for m in MIGRATIONS if m.statements and m.name not in self._applied()]
            if missing:
                raise sqlite3.OperationalError(
                    f"the database needs upgrading ({', '.join(missing)}) but is read-only"
                )
            return
        mode = db.execute("PRAGMA journal_mode = WAL").fetchone()
        if mode is None or str(mode[0]).lower() != "wal":
            raise sqlite3.OperationalError(f"could not switch to WAL (journal mode {mode})")
        db.execute("PRAGMA synchronous = NORMAL")
        self._migrate()

    def _ours(self) -> bool:
        """Whether the file is a history database of ours, or still empty (ours to create).

        Ours carry :data:`APPLICATION_ID`; a database made before the id was set
        is known by its ``migrations`` table naming our first migration.
        """
        app_id = self._db.execute("PRAGMA application_id").fetchone()[0]
        if app_id == APPLICATION_ID:
            return True
        if app_id != 0:
            return False
        tables = {
            str(row[0])
            for row in self._db.execute("SELECT name FROM sqlite_master WHERE type = 'table'")
        }
        if not tables:
            return True
        try:
            return "migrations" in tables and MIGRATIONS[0].name in self._applied()
        except sqlite3.OperationalError:
            # A table of that name with other columns: someone else's.
            return False

    def _applied(self) -> list[str]:
        exists = self._db.execute(
            "SELECT 1 FROM sqlite_master WHERE type = 'table' AND name = 'migrations'"
        ).fetchone()
        if exists is None:
            return []
        return [row[0] for row in self._db.execute("SELECT name FROM migrations ORDER BY rowid")]

    def _migrate(self) -> None:
        known = [m.name for m in MIGRATIONS]
        applied = self._applied()
        unknown = [name for name in applied if name not in known]
        if unknown:
            raise ChecklistError(
                Text(
                    f"历史数据库 {self.path} 由更新版本的 checklist 创建（迁移 {', '.join(unknown)}），"
                    "请升级 checklist 后再使用。",
                    f"The history database {self.path} was written by a newer checklist "
                    f"(migrations {', '.join(unknown)}); upgrade checklist to use it.",
                ),
                code=ErrorCode.history_newer,
            )
        if self._db.execute("PRAGMA application_id").fetchone()[0] != APPLICATION_ID:
            # New, or ours from before the id was set (recognised by _ours).
            with self._write():
                self._db.execute(f"PRAGMA application_id = {APPLICATION_ID}")
        for index, migration in enumerate(MIGRATIONS, start=1):
            if migration.name in applied:
                continue
            with self._write():
                # Another process may have applied it while this one waited
                # for the lock; the check under the lock is the one that counts.
                self._db.execute(
                    "CREATE TABLE IF NOT EXISTS migrations "
                    "(name TEXT PRIMARY KEY, applied_at TEXT NOT NULL)"
                )
                done = self._db.execute(
                    "SELECT 1 FROM migrations WHERE name = ?", (migration.name,)
                ).fetchone()
                if done is not None:
                    continue
                for statement in migration.statements:
                    self._db.execute(statement)
                if migration.rewrite is not None:
                    migration.rewrite(self._db)
                self._db.execute(
                    "INSERT INTO migrations (name, applied_at) VALUES (?, ?)",
                    (migration.name, _now()),
                )
                self._db.execute(f"PRAGMA user_version = {index}")

    def close(self) -> None:
        """Close the connection."""
        self._db.close()

    def __enter__(self) -> History:
        return self

    def __exit__(self, *_exc: object) -> None:
        self.close()

    @contextmanager
    def _write(self) -> Iterator[None]:
        """One write transaction, holding the write lock from its start."""
        self._db.execute("BEGIN IMMEDIATE")
        try:
            yield
        except BaseException:
            self._db.execute("ROLLBACK")
            raise
        self._db.execute("COMMIT")

    @contextmanager
    def _read(self) -> Iterator[None]:
        """One read transaction, so several SELECTs see one snapshot."""
        self._db.execute("BEGIN")
        try:
            yield
        finally:
            self._db.execute("COMMIT")

    # -- schema info ----------------------------------------------------------------

    @_sqlite_errors
    def migrations(self) -> tuple[tuple[str, str], ...]:
        """Applied migrations as (name, applied_at), in order."""
        rows = self._db.execute("SELECT name, applied_at FROM migrations ORDER BY rowid")
        return tuple((str(name), str(at)) for name, at in rows)

    @_sqlite_errors
    def schema_version(self) -> int:
        """``PRAGMA user_version``: how many migrations are applied."""
        row = self._db.execute("PRAGMA user_version").fetchone()
        return int(row[0])

    # -- units ----------------------------------------------------------------------

    def _unit_record(self, unit_id: int) -> UnitRecord:
        row = self._db.execute(
            "SELECT id, key, name, type, town FROM units WHERE id = ?", (unit_id,)
        ).fetchone()
        names = tuple(
            r[0]
            for r in self._db.execute(
                "SELECT name FROM unit_names WHERE unit_id = ? ORDER BY first_seen, rowid",
                (unit_id,),
            )
        )
        years = tuple(
            r[0]
            for r in self._db.execute(
                "SELECT year FROM assessments WHERE unit_id = ? AND typeof(year) = 'integer' "
                "ORDER BY year",
                (unit_id,),
            )
        )
        return UnitRecord(row[0], row[1], row[2], row[3], row[4], names, years)

    @_sqlite_errors
    def units(self) -> tuple[UnitRecord, ...]:
        """Every unit with at least one saved year, by name key."""
        with self._read():
            ids = [r[0] for r in self._db.execute("SELECT id FROM units ORDER BY key, town, id")]
            return tuple(self._unit_record(i) for i in ids)

    def _candidates(self, unit: UnitInfo) -> list[int]:
        """Units ``unit`` may be: one of their names has its key; failing that, a close key.

        Keys are stored with every name, so a lookup never re-normalises the
        whole database; type and town are checked only on the few matches.
        """
        key = unit_key(unit.name)
        if not key:
            # A name of punctuation only names no unit (and must not match
            # another such name on the empty key).
            return []
        rows = self._db.execute(
            "SELECT u.id, u.name, u.type, u.town, n.key "
            "FROM units u JOIN unit_names n ON n.unit_id = u.id ORDER BY u.id"
        ).fetchall()

        def fitting(matches: list[tuple[Any, ...]]) -> list[int]:
            ids = dict.fromkeys(
                row[0]
                for row in matches
                if compatible(unit, UnitInfo(row[1], row[2], None, row[3]))
            )
            return list(ids)

        exact = fitting([row for row in rows if row[4] == key])
        if exact:
            return exact
        return fitting([row for row in rows if same_key(key, row[4])])

    def _pick(self, candidates: list[int], unit: UnitInfo) -> int | None:
        if len(candidates) <= 1:
            return candidates[0] if candidates else None
        # Several units share the name (two 东林村 in different towns): the town
        # settles it, from the town field or from a town written in the name.
        town = unit_town(unit)
        if town:
            placed = [
                c
                for c in candidates
                if town_key(
                    self._db.execute("SELECT town FROM units WHERE id = ?", (c,)).fetchone()[0]
                )
                == town
            ]
            if len(placed) == 1:
                return placed[0]
        records = [self._unit_record(c) for c in candidates]
        listed = "；".join(f"{r.town or '?'} {r.name}" for r in records)
        listed_en = "; ".join(f"{r.name} ({r.town or '?'})" for r in records)
        raise ChecklistError(
            Text(
                f"历史数据库中有多个单位与“{unit.name}”同名：{listed}。请在名称前加上所属镇（街道），"
                "如“城厢镇东林村”，或在表中填写所属镇（街道）。",
                f"Several units in the history database match '{unit.name}': {listed_en}. "
                "Put the town in front of the name (城厢镇东林村), or fill in the town on the form.",
            ),
            code=ErrorCode.unit_ambiguous,
        )

    @_sqlite_errors
    def find_unit(self, name: str) -> UnitRecord | None:
        """The unit a typed name means (by name key, then fuzzy), or None; ChecklistError if ambiguous."""
        with self._read():
            unit = UnitInfo(name, None, None)
            found = self._pick(self._candidates(unit), unit)
            return self._unit_record(found) if found is not None else None

    @_sqlite_errors
    def require_unit(self, name: str) -> UnitRecord:
        """Like :meth:`find_unit`, but a ChecklistError listing the known units when none matches."""
        found = self.find_unit(name)
        if found is not None:
            return found
        fits = self._abbreviated(name)
        if len(fits) == 1:
            return fits[0]
        if fits:
            listed = "、".join(f"{r.name}（{r.town}）" if r.town else r.name for r in fits)
            listed_en = "; ".join(f"{r.name} ({r.town})" if r.town else r.name for r in fits)
            raise ChecklistError(
                Text(
                    f"“{name}”可能是以下单位：{listed}。请写出更完整的名称。",
                    f"'{name}' may be any of these units: {listed_en}. Type more of the name.",
                ),
                code=ErrorCode.unit_ambiguous,
            )
        known = [u.name for u in self.units()]
        shown = "、".join(known[:10]) + ("…" if len(known) > 10 else "")
        shown_en = ", ".join(known[:10]) + ("…" if len(known) > 10 else "")
        raise ChecklistError(
            Text(
                f"历史数据库 {self.path} 中没有单位“{name}”。"
                + (f"已有单位：{shown}。" if known else "数据库中还没有任何单位。"),
                f"No unit '{name}' in the history database {self.path}. "
                + (f"Known units: {shown_en}." if known else "The database holds no units yet."),
            ),
            code=ErrorCode.unit_not_found,
        )

    def _abbreviated(self, name: str) -> list[UnitRecord]:
        """Units one of whose names (present or former) ``name`` may abbreviate."""
        with self._read():
            rows = self._db.execute("SELECT unit_id, name FROM unit_names ORDER BY unit_id")
            ids = dict.fromkeys(uid for uid, full in rows if abbreviates(name, full))
            return [self._unit_record(uid) for uid in ids]

    # -- saving -------------------------------------------------------------------------

    def save(
        self,
        assessment: Assessment,
        result: Result,
        *,
        source: Path | None = None,
        replace: bool = False,
    ) -> Entry:
        """Store an assessment, its raw answers and its result; returns the saved entry.

        ``source`` is the file it was read from (its name and SHA-256 are
        kept). Saving a unit-year already saved is refused unless ``replace``.
        """
        with self.saving(assessment, result, source=source, replace=replace) as entry:
            return entry

    @contextmanager
    def saving(
        self,
        assessment: Assessment,
        result: Result,
        *,
        source: Path | None = None,
        replace: bool = False,
    ) -> Iterator[Entry]:
        """Decide and stage a save, holding the write lock; it commits when the block ends.

        Every reason to refuse (no unit name or year, already saved, a
        read-only or locked database) is raised on entering, before the caller
        writes anything; an exception inside the block (a report that could not
        be written) rolls the save back.
        """
        if self.read_only:
            raise ChecklistError(
                Text(
                    f"无法保存：历史数据库 {self.path} 是只读的（对它或它的文件夹没有写权限）。"
                    "请用 --db 指定可写的数据库。",
                    f"Cannot save: the history database {self.path} is read-only (no write "
                    "access to it or its folder). Name a writable database with --db.",
                ),
                code=ErrorCode.history_read_only,
            )
        try:
            with self._write():
                yield self._save(assessment, result, source=source, replace=replace)
        except sqlite3.Error as exc:
            raise _db_error(self.path, exc) from None

    def _save(
        self,
        assessment: Assessment,
        result: Result,
        *,
        source: Path | None,
        replace: bool,
    ) -> Entry:
        unit = result.unit
        if unit.name.strip() and not unit_key(unit.name):
            raise ChecklistError(
                Text(
                    f"无法保存：单位名称“{unit.name}”不含任何文字或数字。请在表中填写单位名称后再保存。",
                    f"Cannot save: the unit name '{unit.name}' has no letters or digits. "
                    "Fill in the unit name and save again.",
                ),
                code=ErrorCode.save_no_unit,
            )
        if not unit.name.strip():
            raise ChecklistError(
                Text(
                    "无法保存：未读到单位名称。请在表中填写单位名称后再保存。",
                    "Cannot save: the unit name is missing. Fill in the unit name and save again.",
                ),
                code=ErrorCode.save_no_unit,
            )
        if unit.year is None:
            raise ChecklistError(
                Text(
                    f"无法保存“{unit.name}”：未读到年度。请在表中填写年度后再保存。",
                    f"Cannot save '{unit.name}': the year is missing. Fill in the year and save again.",
                ),
                code=ErrorCode.save_no_year,
            )
        year = unit.year
        source_name = source.name if source is not None else Path(assessment.source).name
        sha = file_sha256(source) if source is not None else None
        now = _now()
        result_json = _json_dumps(_result_dict(result))
        unit_id = self._pick(self._candidates(unit), unit)
        if unit_id is None:
            unit_id = self._insert_unit(unit, now)
        existing = self._db.execute(
            "SELECT id, unit_name, source_name FROM assessments WHERE unit_id = ? AND year = ?",
            (unit_id, year),
        ).fetchone()
        if existing is not None:
            if not replace:
                raise ChecklistError(
                    Text(
                        f"“{existing[1]}” {year} 年度已保存在历史数据库中（来自 {existing[2] or '?'}）。"
                        "如要用这份覆盖，请加 --replace。",
                        f"'{existing[1]}' {year} is already saved in the history database "
                        f"(from {existing[2] or '?'}). Add --replace to overwrite it.",
                    ),
                    code=ErrorCode.already_saved,
                )
            self._db.execute("DELETE FROM assessments WHERE id = ?", (existing[0],))
        self._update_unit(unit_id, unit, now)
        cursor = self._db.execute(
            """
            INSERT INTO assessments (
                unit_id, year, unit_name, unit_type, town, filled_by, phone,
                source_name, source_sha256, scored_pack_id, scored_pack_version,
                scored_result, pack_id, pack_version, result, total, grade, saved_at
            ) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)
            """,
            (
                unit_id,
                year,
                unit.name,
                unit.type,
                unit.town,
                unit.filled_by,
                unit.phone,
                source_name,
                sha,
                result.pack_id,
                result.pack_version,
                result_json,
                result.pack_id,
                result.pack_version,
                result_json,
                result.score.total,
                result.score.grade,
                now,
            ),
        )
        assessment_id = cursor.lastrowid
        assert assessment_id is not None
        self._record_waivers(assessment_id, result)
        self._db.executemany(
            """
            INSERT INTO answers (
                assessment_id, rule_id, state, raw, value, cell, evidence, claimed,
                match_method, match_confidence
            ) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)
            """,
            [
                (
                    assessment_id,
                    rule_id,
                    answer.state.value,
                    answer.raw,
                    _json_dumps(_answer_value(answer)),
                    answer.cell,
                    answer.evidence,
                    answer.claimed,
                    answer.match_method,
                    answer.match_confidence,
                )
                for rule_id, answer in assessment.answers.items()
            ],
        )
        return self._entries("a.id = ?", (assessment_id,))[0]

    def _record_waivers(self, assessment_id: int, result: Result) -> None:
        """The waivers ``result`` applied, and the base of its pack, as the assessment's record."""
        self._db.execute("DELETE FROM waivers WHERE assessment_id = ?", (assessment_id,))
        self._db.executemany(
            """
            INSERT INTO waivers (assessment_id, rule_id, unit, town, reason, approved_by,
                                 approved_on, expires_on, veto, place)
            VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)
            """,
            [
                (
                    assessment_id,
                    w.rule_id,
                    w.unit,
                    w.town,
                    w.reason,
                    w.approved_by,
                    w.approved_on.isoformat(),
                    w.expires_on.isoformat(),
                    int(w.veto),
                    w.where,
                )
                for w in result.waivers
            ],
        )
        self._db.execute(
            "UPDATE assessments SET pack_base = ? WHERE id = ?", (result.pack_base, assessment_id)
        )

    @_sqlite_errors
    def waivers(self, unit: str, year: int) -> tuple[Waiver, ...]:
        """The waivers recorded for ``unit``'s saved ``year`` (as last scored)."""
        entry = self.get(unit, year).entry
        with self._read():
            rows = self._db.execute(
                """
                SELECT rule_id, unit, town, reason, approved_by, approved_on, expires_on, veto,
                       place
                FROM waivers WHERE assessment_id = ? ORDER BY rowid
                """,
                (entry.id,),
            ).fetchall()
        return tuple(
            Waiver(
                unit=r[1],
                rule_id=r[0],
                reason=r[3],
                approved_by=r[4],
                approved_on=dt.date.fromisoformat(r[5]),
                expires_on=dt.date.fromisoformat(r[6]),
                veto=bool(r[7]),
                town=r[2],
                where=r[8],
            )
            for r in rows
        )

    def _insert_unit(self, unit: UnitInfo, now: str) -> int:
        cursor = self._db.execute(
            "INSERT INTO units (key, name, type, town, created_at) VALUES (?, ?, ?, ?, ?)",
            (unit_key(unit.name), unit.name, unit.type, unit.town, now),
        )
        assert cursor.lastrowid is not None
        return cursor.lastrowid

    def _update_unit(self, unit_id: int, unit: UnitInfo, now: str) -> None:
        self._db.execute(
            "INSERT OR IGNORE INTO unit_names (unit_id, name, key, first_seen) VALUES (?, ?, ?, ?)",
            (unit_id, unit.name, unit_key(unit.name), now),
        )
        latest = self._db.execute(
            "SELECT MAX(year) FROM assessments WHERE unit_id = ? AND typeof(year) = 'integer'",
            (unit_id,),
        ).fetchone()[0]
        # The unit is shown under the name of its latest year; type and town
        # are filled in once known and never blanked by a form that lacks them.
        if latest is None or (unit.year is not None and unit.year >= latest):
            self._db.execute(
                "UPDATE units SET name = ?, key = ? WHERE id = ?",
                (unit.name, unit_key(unit.name), unit_id),
            )
        if unit.type:
            self._db.execute(
                "UPDATE units SET type = ? WHERE id = ? AND type IS NULL", (unit.type, unit_id)
            )
        if unit.town.strip():
            self._db.execute(
                "UPDATE units SET town = ? WHERE id = ? AND town = ''", (unit.town, unit_id)
            )

    # -- reading ------------------------------------------------------------------------

    _ENTRY_SQL = """
        SELECT a.id, a.unit_id, u.key, a.unit_name, a.unit_type, a.town, a.year,
               a.source_name, a.source_sha256, a.scored_pack_id, a.scored_pack_version,
               a.pack_id, a.pack_version, a.total, a.grade, a.saved_at, a.rescored_at
        FROM assessments a JOIN units u ON u.id = a.unit_id
    """

    # A row whose year or total is not a number (edited by hand, or damaged)
    # is left out of every listing and reported instead (see ``damage``).
    _SOUND = "typeof(a.year) = 'integer' AND typeof(a.total) IN ('integer', 'real')"

    def _entries(self, where: str = "1", params: tuple[Any, ...] = ()) -> tuple[Entry, ...]:
        for row in self._db.execute(
            "SELECT a.id, a.unit_name, a.year, a.total FROM assessments a "
            f"JOIN units u ON u.id = a.unit_id WHERE ({where}) AND NOT ({self._SOUND})",
            params,
        ):
            what = (
                Text(f"年度不是数字（{row[2]!r}）", f"the year is not a number ({row[2]!r})")
                if not isinstance(row[2], int)
                else Text(f"总分不是数字（{row[3]!r}）", f"the total is not a number ({row[3]!r})")
            )
            self._note_damage(row[0], row[1], row[2], what)
        rows = self._db.execute(
            f"{self._ENTRY_SQL} WHERE ({where}) AND {self._SOUND} "
            "ORDER BY u.key, u.town, a.unit_id, a.year",
            params,
        ).fetchall()
        return tuple(
            Entry(
                id=r[0],
                unit_id=r[1],
                unit_key=r[2],
                unit_name=r[3],
                unit_type=r[4],
                town=r[5],
                year=r[6],
                source_name=r[7],
                source_sha256=r[8],
                scored_pack=PackRef(r[9], r[10]),
                pack=PackRef(r[11], r[12]),
                total=r[13],
                grade=r[14],
                saved_at=r[15],
                rescored_at=r[16],
            )
            for r in rows
        )

    @_sqlite_errors
    def list_assessments(self, unit: str | None = None) -> tuple[Entry, ...]:
        """Saved assessments, by unit then year; only one unit's when ``unit`` names one."""
        if unit is None:
            with self._read():
                return self._entries()
        record = self.require_unit(unit)
        with self._read():
            return self._entries("a.unit_id = ?", (record.id,))

    def _note_damage(self, row_id: int, unit: str, year: object, what: Text) -> Text:
        message = Text(
            f"历史数据库中“{unit}” {year} 年度的记录已损坏：{what.zh}；已跳过，其余记录照常使用。",
            f"The saved record of '{unit}' {year} is damaged: {what.en}; it was skipped and "
            "every other record is used as usual.",
        )
        self._damage.setdefault(row_id, message)
        return message

    @property
    def damage(self) -> tuple[Text, ...]:
        """One line per damaged record met so far (unit, year, what is wrong)."""
        return tuple(self._damage.values())

    def _sound(self, entries: Sequence[Entry]) -> list[StoredAssessment]:
        """The entries read in full, leaving out (and reporting) any that are damaged."""
        found: list[StoredAssessment] = []
        for entry in entries:
            try:
                found.append(self._stored(entry))
            except _Damaged:
                continue
        return found

    def _stored(self, entry: Entry) -> StoredAssessment:
        """One entry read in full; :class:`_Damaged` when its stored JSON cannot be read."""
        try:
            return self._read_stored(entry)
        except (ValueError, KeyError, TypeError, AttributeError, IndexError) as exc:
            what = (
                Text(
                    "保存的结果或填报不是有效的 JSON",
                    "its saved result or answers are not valid JSON",
                )
                if isinstance(exc, json.JSONDecodeError)
                else Text(
                    "保存的结果或填报内容不完整", "its saved result or answers are incomplete"
                )
            )
            raise _Damaged(self._note_damage(entry.id, entry.unit_name, entry.year, what)) from None

    def _read_stored(self, entry: Entry) -> StoredAssessment:
        row = self._db.execute(
            "SELECT filled_by, phone, result, scored_result FROM assessments WHERE id = ?",
            (entry.id,),
        ).fetchone()
        answers: dict[str, Answer] = {}
        for r in self._db.execute(
            """
            SELECT rule_id, state, raw, value, cell, evidence, claimed, match_method,
                   match_confidence
            FROM answers WHERE assessment_id = ? ORDER BY rowid
            """,
            (entry.id,),
        ):
            answers[r[0]] = _answer_from_row(r)
        return StoredAssessment(
            entry=entry,
            unit=UnitInfo(
                name=entry.unit_name,
                type=entry.unit_type,
                year=entry.year,
                town=entry.town,
                filled_by=row[0],
                phone=row[1],
            ),
            answers=MappingProxyType(answers),
            result=_result_from_json(row[2]),
            scored_result=_result_from_json(row[3]),
        )

    @_sqlite_errors
    def get(self, unit: str, year: int) -> StoredAssessment:
        """The assessment of ``unit`` (a name) for ``year``; ChecklistError when not saved."""
        record = self.require_unit(unit)
        with self._read():
            entries = self._entries("a.unit_id = ? AND a.year = ?", (record.id, year))
            if entries:
                try:
                    return self._stored(entries[0])
                except _Damaged as damaged:
                    raise ChecklistError(damaged.message, code=ErrorCode.history_damaged) from None
        years = "、".join(str(y) for y in record.years) or "-"
        raise ChecklistError(
            Text(
                f"历史数据库中没有“{record.name}” {year} 年度的自评；已保存的年度：{years}。",
                f"No {year} assessment of '{record.name}' in the history database; "
                f"saved years: {years.replace('、', ', ')}.",
            ),
            code=ErrorCode.year_not_found,
        )

    @_sqlite_errors
    def unit_history(self, unit: str) -> UnitHistory:
        """A unit (by name) and every saved year of it, oldest first."""
        record = self.require_unit(unit)
        with self._read():
            entries = self._entries("a.unit_id = ?", (record.id,))
            return UnitHistory(record, tuple(self._sound(entries)))

    @_sqlite_errors
    def previous_year(
        self, unit: UnitInfo | str, year: int, *, pack: RulePack | None = None
    ) -> Result | None:
        """The result of the latest saved year before ``year`` of ``unit``, or None.

        ``unit`` is the UnitInfo of the new assessment (its type and town help
        tell same-named units apart) or a name. With ``pack``, the stored raw
        answers are re-scored under it (read-only) so the two years compare
        like for like.
        """
        info = UnitInfo(unit, None, None) if isinstance(unit, str) else unit
        with self._read():
            unit_id = self._pick(self._candidates(info), info)
            if unit_id is None:
                return None
            entries = self._entries("a.unit_id = ? AND a.year < ?", (unit_id, year))
            for entry in reversed(entries):
                try:
                    stored = self._stored(entry)
                except _Damaged:
                    continue
                break
            else:
                return None
        return rescored(stored, pack) if pack is not None else stored.result

    # -- changing -------------------------------------------------------------------------

    @_sqlite_errors
    def remove(self, unit: str, year: int) -> Entry:
        """Delete one saved assessment (and the unit, once it has no years left)."""
        stored = self.get(unit, year)
        entry = stored.entry
        with self._write():
            self._db.execute("DELETE FROM assessments WHERE id = ?", (entry.id,))
            left = self._db.execute(
                "SELECT COUNT(*) FROM assessments WHERE unit_id = ?", (entry.unit_id,)
            ).fetchone()[0]
            if left == 0:
                self._db.execute("DELETE FROM units WHERE id = ?", (entry.unit_id,))
        return entry

    @_sqlite_errors
    def rescore(self, pack: RulePack, unit: str | None = None) -> RescoreReport:
        """Re-score stored raw answers under ``pack`` and store the new results.

        Raw answers are only read, never changed; the result as first saved is
        kept too (``scored_result``). All assessments move together in one
        transaction.
        """
        record = self.require_unit(unit) if unit is not None else None
        done: list[RescoredEntry] = []
        now = _now()
        with self._write():
            where, params = ("a.unit_id = ?", (record.id,)) if record else ("1", ())
            for stored in self._sound(self._entries(where, params)):
                entry = stored.entry
                fresh = rescored(stored, pack)
                self._db.execute(
                    """
                    UPDATE assessments
                    SET result = ?, pack_id = ?, pack_version = ?, total = ?, grade = ?,
                        rescored_at = ?
                    WHERE id = ?
                    """,
                    (
                        _json_dumps(_result_dict(fresh)),
                        pack.id,
                        pack.version,
                        fresh.score.total,
                        fresh.score.grade,
                        now,
                        entry.id,
                    ),
                )
                self._record_waivers(entry.id, fresh)
                done.append(
                    RescoredEntry(
                        unit_name=entry.unit_name,
                        year=entry.year,
                        pack_before=entry.pack,
                        total_before=entry.total,
                        total_after=fresh.score.total,
                        grade_before=entry.grade,
                        grade_after=fresh.score.grade,
                    )
                )
            report = RescoreReport(PackRef(pack.id, pack.version), tuple(done))
            self._db.execute(
                """
                INSERT INTO rescores (pack_id, pack_version, pack_path, assessments, changed,
                                      applied_at)
                VALUES (?, ?, ?, ?, ?, ?)
                """,
                (pack.id, pack.version, pack.path, len(done), report.changed, now),
            )
        return report


class _Damaged(Exception):
    """A saved record that cannot be read; already noted in ``History.damage``."""

    def __init__(self, message: Text) -> None:
        super().__init__(message.en)
        self.message = message


def open_history(path: str | os.PathLike[str] | None = None, *, create: bool = True) -> History:
    """Open the history database (see :func:`resolve_db_path`); use it in a ``with`` block."""
    return History.open(path, create=create)


def save(
    assessment: Assessment,
    result: Result,
    *,
    db: str | os.PathLike[str] | None = None,
    source: Path | None = None,
    replace: bool = False,
) -> Entry:
    """Open the database, save one assessment and close it (for ``checklist score --save``)."""
    with open_history(db) as history:
        return history.save(assessment, result, source=source, replace=replace)


# --- row conversion --------------------------------------------------------------------


def _result_dict(result: Result) -> dict[str, Any]:
    from checklist.serialize import result_to_dict

    return result_to_dict(result, "zh")


def _result_from_json(text: str) -> Result:
    from checklist.serialize import result_from_dict

    data: dict[str, Any] = json.loads(text)
    return result_from_dict(data)


def _current_json(text: str) -> str:
    """A stored result re-written in the JSON form this version writes."""
    return _json_dumps(_result_dict(_result_from_json(text)))


def _answer_value(answer: Answer) -> object:
    from checklist.serialize import answer_to_dict

    return answer_to_dict(answer)["value"]


def _answer_from_row(row: Sequence[Any]) -> Answer:
    from checklist.serialize import answer_from_dict

    return answer_from_dict(
        {
            "state": row[1],
            "raw": row[2],
            "value": json.loads(row[3]) if row[3] is not None else None,
            "cell": row[4],
            "evidence": row[5],
            "claimed": row[6],
        },
        {"method": row[7], "confidence": row[8]},
    )
