"""The heavy reads on a PostgreSQL streaming replica (issue 22, item 5), when `DATABASE_REPLICA_URL` is set.

Routing is explicit: a read goes to the replica only inside `reads_from_replica` (a decorator on the dashboards,
charts, exports and the archive; a context manager for a task or a command). Everything else reads the primary, and
every write goes to the primary. Inside such a block a read still goes to the primary when

- the block (the request) has written anything: it must read what it wrote;
- the request comes from a browser that wrote a moment ago (the pin cookie, below): a user who saves something and
  opens the dashboard must see it there, however far the replica is behind;
- the primary's connection is inside a transaction: what it reads belongs to that transaction;
- the replica does not answer: it is marked down for a while and its reads fall back to the primary (the view is run
  again on the primary if the replica failed in the middle of it and nothing was written yet).

Without `DATABASE_REPLICA_URL` there is no `replica` alias, no router and no middleware (config/settings.py), and the
decorator changes nothing.
"""

import contextlib
import contextvars
import functools
import logging
import time
from dataclasses import dataclass

from django.conf import settings
from django.db import DEFAULT_DB_ALIAS, connections
from django.db.utils import Error as DatabaseError

REPLICA = "replica"
logger = logging.getLogger(__name__)

# The pin: after a request that wrote (or any POST/PUT/PATCH/DELETE), that browser reads the primary for
# DATABASE_REPLICA_PIN_SECONDS. A signed cookie rather than a session flag: it costs no session write on the primary
# per POST and no session read per page, it works across every web process and machine without shared state, and it
# pins what the user actually looks at, their browser (a second device of the same user may see the replica's
# slightly older state for a second; nothing is lost). Signed so that its age is the server's (max_age is checked
# against the signature's timestamp, not only the browser's expiry). A script using the API keeps the cookie with its
# session (requests.Session does) or reads the primary's pages.
PIN_COOKIE = "replica_pin"
PIN_SALT = "core.replica.pin"
# A replica that failed to connect is not tried again by this process for this long: a page must not wait for a
# connection timeout every time while the replica is down.
DOWN_SECONDS = 30
_down_until = 0.0


@dataclass
class _Reads:
    """What routing needs to know about the work in progress (one request, task or command)."""

    replica_depth: int = 0  # nesting of reads_from_replica blocks
    wrote: bool = False  # a write went to the primary: read it back from there
    pinned: bool = False  # the browser wrote a moment ago
    used_replica: bool = False


_reads: contextvars.ContextVar[_Reads | None] = contextvars.ContextVar("replica_reads", default=None)


def configured():
    return REPLICA in settings.DATABASES


def pin_seconds():
    return getattr(settings, "DATABASE_REPLICA_PIN_SECONDS", 10)


def _routing_enabled():
    # The test settings turn it off for the suite (its tests read in the same uncommitted transaction they wrote in);
    # tests/core/test_replica.py turns it on and waits for the replica's replay.
    return configured() and getattr(settings, "DATABASE_REPLICA_ROUTING", True)


def mark_down(reason):
    global _down_until
    _down_until = time.monotonic() + DOWN_SECONDS
    logger.warning("只读副本不可用（%s），%s 秒内改读主库", reason, DOWN_SECONDS)
    with contextlib.suppress(DatabaseError):
        connections[REPLICA].close()


def _replica_answers():
    if time.monotonic() < _down_until:
        return False
    connection = connections[REPLICA]
    if connection.connection is not None:
        return True  # an open connection; if it died since, the query fails and the decorator retries on the primary
    try:
        connection.ensure_connection()
    except DatabaseError as exc:
        mark_down(exc.__class__.__name__)
        return False
    return True


def _read_alias():
    state = _reads.get()
    if state is None or not state.replica_depth or state.wrote or state.pinned or not _routing_enabled():
        return DEFAULT_DB_ALIAS
    if connections[DEFAULT_DB_ALIAS].in_atomic_block:
        return DEFAULT_DB_ALIAS
    if not _replica_answers():
        return DEFAULT_DB_ALIAS
    state.used_replica = True
    return REPLICA


class ReplicaRouter:
    """Installed only with a replica. Always names an alias, never None: left to itself Django would send a related
    lookup to the database its instance came from, so a row read on the replica would pull its relations from the
    replica even outside a replica block."""

    def db_for_read(self, model, **hints):
        return _read_alias()

    def db_for_write(self, model, **hints):
        state = _reads.get()
        if state is not None:
            state.wrote = True
        return DEFAULT_DB_ALIAS

    def allow_relation(self, obj1, obj2, **hints):
        return True  # one database, two doors

    def allow_migrate(self, db, app_label, model_name=None, **hints):
        # The standby replays the primary's migrations; it cannot run any itself.
        return False if db == REPLICA else None


class _ReplicaBlock:
    def __enter__(self):
        state = _reads.get()
        self._token = None
        if state is None:  # outside a request (a task, a command)
            state = _Reads()
            self._token = _reads.set(state)
        state.replica_depth += 1
        self.state = state
        return self

    def __exit__(self, *exc):
        self.state.replica_depth -= 1
        if self._token is not None:
            _reads.reset(self._token)
        return False

    def failed_on_replica(self):
        """The error came from the replica (its connection is gone) and nothing was written: safe to run again."""
        if not self.state.used_replica or self.state.wrote:
            return False
        connection = connections[REPLICA]
        if connection.connection is not None and connection.is_usable():
            return False
        mark_down("连接中断")
        return True


def reads_from_replica(func=None):
    """Decorator of a view (or a DRF view method) or, called without arguments, a context manager: the reads inside
    go to the replica, as far as the rules above allow."""
    if func is None:
        return _ReplicaBlock()

    @functools.wraps(func)
    def wrapper(*args, **kwargs):
        with _ReplicaBlock() as block:
            try:
                return func(*args, **kwargs)
            except DatabaseError:
                if not block.failed_on_replica():
                    raise
        # The replica went away in the middle and nothing was written: the same reads again, on the primary (the
        # replica is marked down, so the block reads the primary now).
        with _ReplicaBlock():
            return func(*args, **kwargs)

    return wrapper


def read_alias():
    """Where a read would go now (for tests and logs)."""
    return _read_alias() if configured() else DEFAULT_DB_ALIAS


class ReplicaPinMiddleware:
    """One routing state per request; after a request that wrote, or any unsafe method, pins the browser to the
    primary for a few seconds (see PIN_COOKIE)."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        state = _Reads(pinned=self._pinned(request))
        token = _reads.set(state)
        try:
            response = self.get_response(request)
        finally:
            _reads.reset(token)
        wrote = state.wrote or request.method not in ("GET", "HEAD", "OPTIONS", "TRACE")
        # Only the signed-in read what the replica serves; an anonymous worker's report gets no cookie of ours.
        user = getattr(request, "user", None)
        if wrote and user is not None and user.is_authenticated:
            response.set_signed_cookie(
                PIN_COOKIE,
                "1",
                salt=PIN_SALT,
                max_age=pin_seconds(),
                secure=settings.SESSION_COOKIE_SECURE,
                httponly=True,
                samesite="Lax",
            )
        return response

    @staticmethod
    def _pinned(request):
        if PIN_COOKIE not in request.COOKIES:
            return False
        return request.get_signed_cookie(PIN_COOKIE, default=None, salt=PIN_SALT, max_age=pin_seconds()) == "1"


def wait_for_replay(timeout=30):
    """Wait until the replica has replayed everything the primary has written so far (tests; scripts that must read
    their own writes through the replica). Returns the seconds waited; raises TimeoutError."""
    with connections[DEFAULT_DB_ALIAS].cursor() as cursor:
        cursor.execute("SELECT pg_current_wal_lsn()")
        (target,) = cursor.fetchone()
    started = time.monotonic()
    while True:
        try:
            with connections[REPLICA].cursor() as cursor:
                cursor.execute("SELECT pg_last_wal_replay_lsn() >= %s::pg_lsn", [target])
                (done,) = cursor.fetchone()
        except DatabaseError:  # the database itself may not have arrived yet
            connections[REPLICA].close()
            done = False
        if done:
            return time.monotonic() - started
        if time.monotonic() - started > timeout:
            raise TimeoutError(f"the replica has not replayed {target} after {timeout} s")
        time.sleep(0.02)
