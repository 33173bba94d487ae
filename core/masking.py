"""Masking of secrets in text that leaves the process: log records, error messages kept on a page.

What is masked: the values of query parameters and JSON fields that carry credentials (a robot's `access_token` or
`key`, a 钉钉 `sign`, an SMS request's `Signature` and `AccessKeyId`), 钉钉 加签 secrets (`SEC…`), mobile numbers
(138****1234), and every value registered at run time by the code that holds a secret (`register_secret`), so a
secret that matches no pattern is still caught. `SecretMaskingFilter` is installed on the log handlers
(config/settings.py LOGGING): a handler filter, because a filter on a logger would miss records of its children."""

import logging
import re
import threading

MASK = "***"
_NAMES = r"access_?token|key|secret|sign|signature|accesskeyid|accesskeysecret|password|passwd|token"
_PATTERNS = (
    # ?access_token=…&sign=…  (and the same names percent-encoded inside a canonical string: %26sign%3D…)
    (re.compile(rf"(?i)(\b(?:{_NAMES})=)[^&\s\"'<>]+"), rf"\1{MASK}"),
    (re.compile(rf"(?i)(%26(?:{_NAMES})%3D)[^%&\s\"'<>]+"), rf"\1{MASK}"),
    # "secret": "…", 'sign': '…'
    (re.compile(rf"(?i)([\"'](?:{_NAMES})[\"']\s*:\s*[\"'])[^\"']*"), rf"\1{MASK}"),
    (re.compile(r"\bSEC[0-9a-fA-F]{16,}\b"), f"SEC{MASK}"),
    (re.compile(r"(?<!\d)(1[3-9]\d)\d{4}(\d{4})(?!\d)"), r"\1****\2"),
)
_registered = set()
_lock = threading.Lock()


def register_secret(value):
    """Mask `value` wherever it appears from now on (values shorter than 6 characters would mask ordinary words)."""
    if value and len(value) >= 6:
        with _lock:
            _registered.add(value)


def mask(text):
    if not text:
        return text
    text = str(text)
    for value in sorted(_registered, key=len, reverse=True):
        if value in text:
            text = text.replace(value, MASK)
    for pattern, replacement in _PATTERNS:
        text = pattern.sub(replacement, text)
    return text


class SecretMaskingFilter(logging.Filter):
    """Rewrites a record's message (and its traceback) with the secrets masked; never drops a record."""

    def filter(self, record):
        try:
            message = record.getMessage()
        except Exception:  # a malformed record is the logging module's to report, not ours
            return True
        masked = mask(message)
        if masked != message:
            record.msg, record.args = masked, None
        if record.exc_info and not record.exc_text:
            record.exc_text = logging.Formatter().formatException(record.exc_info)
        if record.exc_text:
            record.exc_text = mask(record.exc_text)
        return True
