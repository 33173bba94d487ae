class IdConverter:
    """A database id in a URL: 1 to 18 digits, so it always fits a bigint (a longer one is simply not found)."""

    regex = "[0-9]{1,18}"

    def to_python(self, value):
        return int(value)

    def to_url(self, value):
        return str(value)


ID_REGEX = IdConverter.regex
