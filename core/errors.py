class DomainError(Exception):
    """A business rule refused the operation. The message is Chinese and shown to the user as is.

    The class says why, and the API answers with its `status` (DESIGN.md §4): a bad value (this class) 400,
    `NotPermitted` 403, `NotFound` 404, `InvalidState` 409. Pages show the message whatever the class."""

    status = 400

    def __init__(self, message, *, field=None):
        super().__init__(message)
        self.message = message
        self.field = field


DATABASE_BUSY_MESSAGE = "系统正忙：另一项导入或保存正在写入数据，请稍后重试。"


def is_database_busy(exc):
    """SQLite's "database is locked": another writer held the database longer than the connection's timeout.
    The request can be tried again; it is not a server error."""
    from django.db import OperationalError

    return isinstance(exc, OperationalError) and "database is locked" in str(exc)


class NotPermitted(DomainError):
    """The actor may see the object but may not do this to it (its role or organisation does not allow it, whatever
    the values): the API answers 403 with the Chinese message."""

    status = 403


class NotFound(DomainError):
    """The actor may not see the object (or it does not exist): the API answers 404, as for an unknown id."""

    status = 404


class InvalidState(DomainError):
    """The object's state forbids the step (accepting a closed hazard, editing a published bulletin, submitting an
    approved submission): the API answers 409 Conflict; the step may become possible when the state changes."""

    status = 409


class StaleEdit(InvalidState):
    """The write was based on a version of the record that is no longer current: the API answers 409
    (412 when the client named the version with If-Match). The message says what changed, by whom and when."""
