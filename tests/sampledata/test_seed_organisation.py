"""The demo county carries the notice's real organisation (阳应急发〔2024〕280号, section 二) and its 包保."""

import datetime as dt

import pytest
import time_machine
from django.core.management import call_command

from accounts.models import Bureau, MineSupervisor
from campaign.models import Campaign, GroupMember, WorkingGroup

pytestmark = pytest.mark.django_db


def organisation():
    campaign = Campaign.objects.get(code="yc-demo")
    return {
        group.get_kind_display(): [
            (m.get_post_display(), m.display_name, m.display_title)
            for m in group.members.select_related("user").order_by("order", "pk")
        ]
        for group in WorkingGroup.objects.filter(campaign=campaign)
    }


def test_seed_demo_records_the_notices_organisation_once():
    with time_machine.travel(dt.datetime(2026, 11, 28, 8, tzinfo=dt.UTC), tick=False):
        call_command("seed_demo", "--password", "demo-pass-1")
        first = (organisation(), sorted(MineSupervisor.objects.values_list("mine__short_name", "supervisor__username")))
        call_command("seed_demo", "--password", "demo-pass-1")
        assert (
            organisation(),
            sorted(MineSupervisor.objects.values_list("mine__short_name", "supervisor__username")),
        ) == first
    groups = first[0]
    assert groups["领导组"][:3] == [
        ("组长", "陈永明", "县应急管理局局长"),
        ("副组长", "刘二红", "县应急管理局总工程师"),
        ("副组长", "靳郭龙", "县应急指挥中心副主任"),
    ]
    office = WorkingGroup.objects.get(kind="office")
    assert office.located_at == "县应急局煤矿执法一股" and office.phone == "4220723"
    team = groups["检查工作组"]
    assert [n for p, n, _ in team if p == "组长"] == ["刘二红", "靳郭龙"]
    assert [n for p, n, _ in team if p == "副组长"] == ["刘伟", "马晋斌", "原银顺"]
    assert [n for p, n, _ in team if p == "成员"] == ["煤矿执法股室全体人员", "全体监管专员"]
    # The demo inspector is 刘伟, a system user; the other names are people without an account.
    assert GroupMember.objects.get(group__kind="inspection", post="deputy", user__username="inspector")
    assert ("东峰煤矿", "inspector") in first[1] and ("西岭煤矿", "inspector") in first[1]
    (north,) = [u for m, u in first[1] if m == "北坡煤矿"]
    assert north != "inspector"
    bureau = Bureau.objects.get(name="阳城县应急管理局")  # the demo also has 沁水 under the same city
    assert bureau.contact_phone == "4220723" and bureau.contact_email == "jjy0425@163.com"
