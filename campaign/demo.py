from django.utils import timezone

from .models import Campaign
from .services import campaign_clone, start_date_for_phase_today
from .template_data import read_template

DEMO_CODE = "yc-demo"


def seed_campaign(*, bureau, actor, today=None):
    """The demo campaign: the 2024 template cloned so that today falls in its enforcement phase."""
    existing = Campaign.objects.filter(code=DEMO_CODE).first()
    if existing:
        return existing
    today = today or timezone.localdate()
    template = Campaign.objects.get(code=read_template()["code"])
    starts_on = start_date_for_phase_today(source=template, phase_code="enforcement", today=today)
    return campaign_clone(source=template, code=DEMO_CODE, starts_on=starts_on, bureau=bureau, actor=actor)
