class DomainError(Exception):
    """A business rule refused the operation. The message is Chinese and shown to the user as is."""

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
    """The actor may not do this at all (not a bad value): the API answers 403 with the Chinese message."""


class StaleEdit(DomainError):
    """The write was based on a version of the record that is no longer current: the API answers 409
    (412 when the client named the version with If-Match). The message says what changed, by whom and when."""
