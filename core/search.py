"""Keyword search, as every app's search selector reads it: a query is a few words, and a row matches when each word is
found in one of its fields (an AND of ORs), case-insensitively. `icontains` escapes `%` and `_`, so what a person
types is matched as typed, on SQLite and PostgreSQL alike."""

from functools import reduce
from operator import and_, or_

from django.db.models import Q

from .errors import DomainError

MIN_CHARS = 2  # one character (“煤”, “水”) would match most of a ledger
MAX_CHARS = 50
MAX_WORDS = 5


def search_words(text):
    """The words of a query, or a DomainError saying in Chinese what is wrong with it."""
    text = (text or "").strip()
    if not text:
        raise DomainError("请输入要查找的内容，例如隐患地点、人员姓名、文件名。")
    words = text.split()  # spaces, full-width ones too (str.split splits on every Unicode space)
    letters = sum(len(w) for w in words)
    if letters < MIN_CHARS:
        raise DomainError(f"请至少输入 {MIN_CHARS} 个字再查找。")
    if len(text) > MAX_CHARS:
        raise DomainError(f"查找内容不能超过 {MAX_CHARS} 个字，请缩短后再查找。")
    if len(words) > MAX_WORDS:
        raise DomainError(f"最多 {MAX_WORDS} 个词，请去掉一些词再查找。")
    return words


def words_q(words, fields, *, choices=None):
    """Rows where every word is in one of `fields` (lookups such as "description" or "mine__name").

    `choices`: {field: TextChoices} whose Chinese labels are searched too (“暗访” finds the inspections so made)."""

    def one(word):
        q = reduce(or_, (Q(**{f"{field}__icontains": word}) for field in fields))
        for field, options in (choices or {}).items():
            values = [value for value, label in options.choices if word in str(label)]
            if values:
                q |= Q(**{f"{field}__in": values})
        return q

    return reduce(and_, (one(word) for word in words))
