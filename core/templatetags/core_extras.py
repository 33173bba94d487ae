import re

from django import template
from django.utils.safestring import mark_safe

register = template.Library()


@register.filter
def dict_get(mapping, key):
    return mapping.get(key) if mapping else None


_LINK = re.compile(r"<a\b[^>]*>(.*?)</a>", re.S)


class _UnlinkedNode(template.Node):
    def __init__(self, nodelist):
        self.nodelist = nodelist

    def render(self, context):
        return mark_safe(_LINK.sub(r'<span class="text-body">\1</span>', self.nodelist.render(context)))


@register.tag
def unlinked(parser, token):
    """`{% unlinked %}…{% endunlinked %}`: the enclosed HTML with its links turned into plain text — for describing
    pages the reader may not open (another role's part of the user guide), so no page offers what it refuses."""
    nodelist = parser.parse(("endunlinked",))
    parser.delete_first_token()
    return _UnlinkedNode(nodelist)
