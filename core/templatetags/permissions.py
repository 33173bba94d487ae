"""`{% can "hazards.accept" hazard as ok %}{% if ok %}…{% endif %}` — the same predicate the service checks
(core.permissions.may), for the signed-in user of the page. Without `as`, it prints nothing useful: always use `as`."""

from django import template

from core.permissions import may

register = template.Library()


@register.simple_tag(takes_context=True)
def can(context, name, *args):
    return may(context.get("user"), name, *args)
