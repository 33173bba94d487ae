class DomainError(Exception):
    """A business rule refused the operation. The message is Chinese and shown to the user as is."""

    def __init__(self, message, *, field=None):
        super().__init__(message)
        self.message = message
        self.field = field


class NotPermitted(DomainError):
    """The actor may not do this at all (not a bad value): the API answers 403 with the Chinese message."""


class StaleEdit(DomainError):
    """The write was based on a version of the record that is no longer current: the API answers 409
    (412 when the client named the version with If-Match). The message says what changed, by whom and when."""
