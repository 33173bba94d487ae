"""The maintained figures of the dashboards (dashboards.models' tallies): their one definition, the database triggers
that keep them, the full recount and the check that the two agree.

Why triggers and not an "apply delta" call in every service: the hazards and 三违 are written by the services, two
import pipelines (rows go in by COPY on PostgreSQL, bulk_create elsewhere), import undo, sweeps and `update()` calls,
deletes, the admin, data migrations and generate_scale_data — a call forgotten in one of them is a dashboard wrong
forever, and a test cannot list the write paths somebody adds next year. A trigger sees every write in the writing
transaction whatever issued it. On PostgreSQL they are statement-level triggers with transition tables: an import of
10,000 rows is one grouped upsert per tally, not 10,000. On SQLite (the README's default) the same buckets are kept
by row-level triggers built from the same definitions below; the tests run both (tests/dashboards/test_figures.py).
A mine moved to another county (its `bureau` changed) moves its counts between the county tallies by a trigger on
the organisations, read from its per-mine tallies. Not seen by triggers: TRUNCATE (`rebuild_dashboard_figures`).

Each tally is (source table, key columns → SQL expressions over the source row `r`, which rows count). The
expressions are the SQL form of the rules in hazards.models (open_q: status is not 已销号); the property test
(tests/dashboards/test_figures.py) holds the two equal."""

import re
from dataclasses import dataclass

from django.db import DEFAULT_DB_ALIAS, connection, connections, router, transaction

from hazards.models import HazardStatus

#: the due date stored for a hazard without one: never before any day, so never overdue (as `due_on < today` on NULL)
NO_DUE_DATE = "9999-12-31"
#: the county tallies read the mine's county through a join (not a subquery per row: a rebuild joins a million rows)
_MINE_JOIN = ("accounts_organization o", "o.id = r.mine_id AND o.bureau_id IS NOT NULL")
_NOT_CLOSED = f"r.status <> '{HazardStatus.CLOSED.value}'"
_DUE = f"COALESCE(r.due_on, '{NO_DUE_DATE}')"


@dataclass(frozen=True)
class Tally:
    table: str
    source: str
    keys: tuple  # ((column, SQL expression over `r`), …)
    where: str = "1 = 1"
    join: tuple = ()  # (table and alias, condition): another table the keys read

    def rows(self, source, alias="r"):
        """The FROM … WHERE … of the counted rows of `source` (a table or a transition table) as `alias`."""
        if self.join:
            table, condition = self.join
            return f"FROM {source} {alias} JOIN {table} ON {_on(condition, alias)} WHERE {_on(self.where, alias)}"
        return f"FROM {source} {alias} WHERE {_on(self.where, alias)}"

    @property
    def columns(self):
        return ", ".join(c for c, _ in self.keys)

    def exprs(self, alias="r"):
        return ", ".join(_on(e, alias) for _, e in self.keys)


def _on(sql, alias):
    return re.sub(r"\br\.", f"{alias}.", sql)


TALLIES = (
    Tally(
        "dashboards_hazardtally",
        "hazards_hazard",
        (("mine_id", "r.mine_id"), ("status", "r.status"), ("level", "r.level"), ("specialty", "r.specialty")),
    ),
    Tally(
        "dashboards_hazardduetally",
        "hazards_hazard",
        (("mine_id", "r.mine_id"), ("level", "r.level"), ("due_on", _DUE)),
        _NOT_CLOSED,
    ),
    Tally(
        "dashboards_countyhazardtally",
        "hazards_hazard",
        (("bureau_id", "o.bureau_id"), ("status", "r.status"), ("level", "r.level"), ("specialty", "r.specialty")),
        join=_MINE_JOIN,
    ),
    Tally(
        "dashboards_countyhazardduetally",
        "hazards_hazard",
        (("bureau_id", "o.bureau_id"), ("level", "r.level"), ("due_on", _DUE)),
        _NOT_CLOSED,
        _MINE_JOIN,
    ),
    Tally(
        "dashboards_violationtally",
        "violations_violation",
        (("mine_id", "r.mine_id"), ("occurred_on", "r.occurred_on"), ("type", "r.type"), ("severity", "r.severity")),
    ),
    Tally(
        "dashboards_countyviolationtally",
        "violations_violation",
        (("bureau_id", "o.bureau_id"), ("occurred_on", "r.occurred_on"), ("severity", "r.severity")),
        join=_MINE_JOIN,
    ),
)
SOURCES = tuple(dict.fromkeys(t.source for t in TALLIES))


# --- PostgreSQL: one statement-level trigger per source table and event, over its transition tables -------------


def _pg_delta(tally, parts):
    """One grouped upsert adding +1 per row of `new_rows` and -1 per row of `old_rows` (`parts`: which of the two)."""
    selects = [
        f"SELECT {tally.exprs()}, {sign} AS d {tally.rows(rows)}"
        for rows, sign in (("new_rows", 1), ("old_rows", -1))
        if rows in parts
    ]
    names = ", ".join(f"k{i}" for i in range(len(tally.keys)))
    return (
        f"INSERT INTO {tally.table} ({tally.columns}, n) "
        f"SELECT {names}, SUM(d) FROM ({' UNION ALL '.join(selects)}) AS x({names}, d) "
        f"GROUP BY {names} HAVING SUM(d) <> 0 ORDER BY {names} "  # a fixed order: two writers lock buckets alike
        f"ON CONFLICT ({tally.columns}) DO UPDATE SET n = {tally.table}.n + EXCLUDED.n;"
    )


_PG_EVENTS = {
    "insert": ("REFERENCING NEW TABLE AS new_rows", ("new_rows",)),
    "update": ("REFERENCING OLD TABLE AS old_rows NEW TABLE AS new_rows", ("new_rows", "old_rows")),
    "delete": ("REFERENCING OLD TABLE AS old_rows", ("old_rows",)),
}


def _pg_install(cursor, tallies, moves):
    for source in SOURCES:
        for event, (referencing, parts) in _PG_EVENTS.items():
            name = f"figures_{source}_{event}"
            body = "\n".join(_pg_delta(t, parts) for t in tallies if t.source == source)
            cursor.execute(
                f"CREATE OR REPLACE FUNCTION {name}() RETURNS trigger LANGUAGE plpgsql AS $$\n"
                f"BEGIN\n{body}\nRETURN NULL;\nEND $$;"
            )
            cursor.execute(f"DROP TRIGGER IF EXISTS {name} ON {source};")
            cursor.execute(
                f"CREATE TRIGGER {name} AFTER {event.upper()} ON {source} {referencing} "
                f"FOR EACH STATEMENT EXECUTE FUNCTION {name}();"
            )
    cursor.execute(
        "CREATE OR REPLACE FUNCTION figures_mine_moved() RETURNS trigger LANGUAGE plpgsql AS $$\n"
        f"BEGIN\n{_move_statements('OLD', 'NEW', moves)}\nRETURN NULL;\nEND $$;"
    )
    cursor.execute("DROP TRIGGER IF EXISTS figures_mine_moved ON accounts_organization;")
    cursor.execute(
        "CREATE TRIGGER figures_mine_moved AFTER UPDATE OF bureau_id ON accounts_organization FOR EACH ROW "
        "WHEN (OLD.bureau_id IS DISTINCT FROM NEW.bureau_id) EXECUTE FUNCTION figures_mine_moved();"
    )


def _pg_uninstall(cursor):
    cursor.execute("DROP TRIGGER IF EXISTS figures_mine_moved ON accounts_organization;")
    cursor.execute("DROP FUNCTION IF EXISTS figures_mine_moved();")
    for source in SOURCES:
        for event in _PG_EVENTS:
            name = f"figures_{source}_{event}"
            cursor.execute(f"DROP TRIGGER IF EXISTS {name} ON {source};")
            cursor.execute(f"DROP FUNCTION IF EXISTS {name}();")


# --- a mine moved to another county: its counts move between the county tallies ---------------------------------

#: (county tally, the per-mine tally it sums, the columns they share besides the county/mine)
_MOVES = (
    ("dashboards_countyhazardtally", "dashboards_hazardtally", "status, level, specialty"),
    ("dashboards_countyhazardduetally", "dashboards_hazardduetally", "level, due_on"),
    ("dashboards_countyviolationtally", "dashboards_violationtally", "occurred_on, severity"),
)


def _move_statements(old, new, moves, qualified=True):
    """SQL moving the mine `old`.id's counts from county `old`.bureau_id to `new`.bureau_id (row aliases), for the
    `moves` (of _MOVES)."""
    statements = []
    for county, per_mine, shared in moves:
        target = f"{county}.n" if qualified else "n"  # PostgreSQL wants it qualified, SQLite's triggers bare
        for alias, sign in ((old, "-"), (new, "")):
            statements.append(
                f"INSERT INTO {county} (bureau_id, {shared}, n) "
                f"SELECT {alias}.bureau_id, {shared}, {sign}SUM(n) FROM {per_mine} "
                f"WHERE mine_id = {old}.id AND {alias}.bureau_id IS NOT NULL GROUP BY {shared} "
                f"ON CONFLICT (bureau_id, {shared}) DO UPDATE SET n = {target} + excluded.n;"
            )
    return " ".join(statements)


# --- SQLite: row-level triggers (SQLite has no statement-level ones) from the same definitions ------------------


def _sqlite_upsert(tally, alias, sign):
    # INSERT … SELECT … WHERE: SQLite parses an upsert after a SELECT only when the SELECT has a WHERE clause.
    if tally.join:
        table, condition = tally.join
        rows = f"FROM {table} WHERE {_on(condition, alias)} AND {_on(tally.where, alias)}"
    else:
        rows = f"WHERE {_on(tally.where, alias)}"
    return (
        f"INSERT INTO {tally.table} ({tally.columns}, n) SELECT {tally.exprs(alias)}, {sign} {rows} "
        f"ON CONFLICT ({tally.columns}) DO UPDATE SET n = n + excluded.n;"
    )


def _sqlite_install(cursor, tallies, moves):
    for tally in tallies:
        for event, steps in (
            ("insert", (("NEW", 1),)),
            ("update", (("OLD", -1), ("NEW", 1))),
            ("delete", (("OLD", -1),)),
        ):
            name = f"figures_{tally.table}_{event}"
            body = " ".join(_sqlite_upsert(tally, alias, sign) for alias, sign in steps)
            cursor.execute(f"DROP TRIGGER IF EXISTS {name};")
            cursor.execute(
                f"CREATE TRIGGER {name} AFTER {event.upper()} ON {tally.source} FOR EACH ROW BEGIN {body} END;"
            )
    cursor.execute("DROP TRIGGER IF EXISTS figures_mine_moved;")
    cursor.execute(
        "CREATE TRIGGER figures_mine_moved AFTER UPDATE OF bureau_id ON accounts_organization FOR EACH ROW "
        f"WHEN OLD.bureau_id IS NOT NEW.bureau_id BEGIN {_move_statements('OLD', 'NEW', moves, qualified=False)} END;"
    )


def _sqlite_uninstall(cursor):
    cursor.execute("DROP TRIGGER IF EXISTS figures_mine_moved;")
    for tally in TALLIES:
        for event in ("insert", "update", "delete"):
            cursor.execute(f"DROP TRIGGER IF EXISTS figures_{tally.table}_{event};")


#: each vendor's (install, uninstall) of the triggers: the product runs on PostgreSQL or SQLite only
_TRIGGERS = {"postgresql": (_pg_install, _pg_uninstall), "sqlite": (_sqlite_install, _sqlite_uninstall)}


def _present(conn, cursor):
    """The tallies (and the moves between them) whose tables exist: a migration installs the triggers from this code,
    which may name a tally that a later migration creates."""
    tables = set(conn.introspection.table_names(cursor))
    return (
        [t for t in TALLIES if t.table in tables],
        [m for m in _MOVES if m[0] in tables and m[1] in tables],
    )


def install_triggers(schema_editor=None):
    """The triggers keeping every tally whose table exists (again: each install replaces the last)."""
    conn = schema_editor.connection if schema_editor is not None else connection
    with conn.cursor() as cursor:
        _TRIGGERS[conn.vendor][0](cursor, *_present(conn, cursor))


def _expected_triggers(vendor, tallies):
    if vendor == "postgresql":
        names = {
            f"figures_{source}_{event}" for source in dict.fromkeys(t.source for t in tallies) for event in _PG_EVENTS
        }
    else:
        names = {f"figures_{t.table}_{event}" for t in tallies for event in ("insert", "update", "delete")}
    return names | {"figures_mine_moved"}


def _installed_triggers(conn, cursor):
    if conn.vendor == "postgresql":
        cursor.execute("SELECT tgname FROM pg_trigger WHERE NOT tgisinternal AND tgname LIKE 'figures%'")
    else:
        cursor.execute("SELECT name FROM sqlite_master WHERE type = 'trigger' AND name LIKE 'figures%'")
    return {name for (name,) in cursor.fetchall()}


def ensure_triggers(using=DEFAULT_DB_ALIAS):
    """After every `migrate` (DashboardsConfig): the triggers as this code defines them, and a full recount when one
    was missing — SQLite alters a table by building a new one and dropping the old, and the old one's triggers go
    with it, so a migration of the hazards after the triggers were installed left the hazards uncounted. True if it
    recounted."""
    conn = connections[using]
    if conn.vendor not in _TRIGGERS or not router.allow_migrate(using, "dashboards"):  # a replica replays its primary
        return False
    with conn.cursor() as cursor:
        tallies, moves = _present(conn, cursor)
        if not tallies:  # migrated back past the tallies
            return False
        missing = _expected_triggers(conn.vendor, tallies) - _installed_triggers(conn, cursor)
        _TRIGGERS[conn.vendor][0](cursor, tallies, moves)
    if missing:
        rebuild(using)
    return bool(missing)


def uninstall_triggers(schema_editor=None):
    conn = schema_editor.connection if schema_editor is not None else connection
    with conn.cursor() as cursor:
        _TRIGGERS[conn.vendor][1](cursor)


# --- the full recount -----------------------------------------------------------------------------------------------


def _recount_sql(tally):
    return f"SELECT {tally.exprs()}, COUNT(*) {tally.rows(tally.source)} GROUP BY {tally.exprs()}"


def rebuild(using=None, *, tables=None):
    """Recount every tally whose table exists (or those of `tables`) from the ledgers (idempotent). On PostgreSQL the
    ledgers are locked against writes (SHARE) for the few seconds it takes, so no write slips between the count and
    its triggers."""
    conn = connections[using or DEFAULT_DB_ALIAS]
    with transaction.atomic(using=conn.alias), conn.cursor() as cursor:
        tallies, _ = _present(conn, cursor)
        if tables is not None:
            tallies = [t for t in tallies if t.table in tables]
        if not tallies:
            return
        if conn.vendor == "postgresql":
            cursor.execute(f"LOCK TABLE {', '.join(dict.fromkeys(t.source for t in tallies))} IN SHARE MODE")
        for tally in tallies:
            cursor.execute(f"DELETE FROM {tally.table}")
            # in bucket order: a mine's (a county's) rows land together, so a county's dashboard reads few pages
            order = ", ".join(str(i + 1) for i in range(len(tally.keys)))
            cursor.execute(f"INSERT INTO {tally.table} ({tally.columns}, n) {_recount_sql(tally)} ORDER BY {order}")
            if conn.vendor == "postgresql":
                cursor.execute(f"ANALYZE {tally.table}")  # the planner's row counts: the whole table was replaced


def differences():
    """{table: [(bucket, maintained, recounted), …]} where the tallies and a recount disagree (empty: they agree)."""
    found = {}
    with connection.cursor() as cursor:
        for tally in TALLIES:
            cursor.execute(f"SELECT {tally.columns}, n FROM {tally.table} WHERE n <> 0")
            kept = {tuple(_plain(v) for v in row[:-1]): row[-1] for row in cursor.fetchall()}
            cursor.execute(_recount_sql(tally))
            counted = {tuple(_plain(v) for v in row[:-1]): row[-1] for row in cursor.fetchall()}
            wrong = [(k, kept.get(k, 0), counted.get(k, 0)) for k in sorted(set(kept) | set(counted), key=str)]
            wrong = [w for w in wrong if w[1] != w[2]]
            if wrong:
                found[tally.table] = wrong
    return found


def _plain(value):
    return value.isoformat() if hasattr(value, "isoformat") else value
