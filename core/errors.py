class DomainError(Exception):
    """A business rule refused the operation. The message is Chinese and shown to the user as is."""

    def __init__(self, message, *, field=None):
        super().__init__(message)
        self.message = message
        self.field = field
