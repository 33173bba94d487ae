"""`{{ text|highlight:words }}`: the searched words marked in a result; everything else escaped."""

import re

from django import template
from django.utils.html import escape
from django.utils.safestring import mark_safe

register = template.Library()


@register.filter
def highlight(text, words):
    text = str(text or "")
    words = sorted({w for w in words or () if w}, key=len, reverse=True)
    if not words:
        return escape(text)
    # Split the raw text on the words and escape each piece: marking the escaped text could cut an entity (&amp;).
    pieces = re.split("(" + "|".join(re.escape(w) for w in words) + ")", text, flags=re.IGNORECASE)
    return mark_safe("".join(f"<mark>{escape(p)}</mark>" if i % 2 else escape(p) for i, p in enumerate(pieces)))
