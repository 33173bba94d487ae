"""The demo county's accident register: one minor injury (轻伤) at 东峰煤矿 (mine1) during the campaign, reported to the
county within the hour, and its 提级调查 led by the city (晋城市应急管理局), recorded by the county bureau and still
open — the inspector may write its findings and close it with the report.

It also shows what 四无 from records means: mine1's 无工伤事故 is not met, whatever its monthly report typed.
Idempotent: a mine that already has an accident in the register is left as it is."""

import datetime as dt

from django.utils import timezone

from .models import Accident
from .services import accident_create, investigation_update

PLACE = "1302综采工作面机尾"


def seed_accidents(*, campaign, orgs, users, today=None):
    today = today or timezone.localdate()
    mine, officer, inspector = orgs["mine1"], users["mine1"], users["inspector"]
    if Accident.objects.filter(mine=mine).exists():
        return
    # A week into the campaign (and never in the future): the 十一月 report covers it.
    day = min(today - dt.timedelta(days=1), campaign.starts_on + dt.timedelta(days=7))
    occurred = timezone.make_aware(dt.datetime.combine(day, dt.time(10, 20)))
    accident = accident_create(
        actor=officer,
        mine=mine,
        occurred_at=occurred,
        place=PLACE,
        kind="roof",
        deaths=0,
        serious_injuries=0,
        minor_injuries=1,
        direct_loss=3500,
        description=(
            "早班检修期间，1302综采工作面机尾处煤壁片帮，一块约0.2立方米的煤块砸中正在清理浮煤的支护工张某左小腿，"
            "造成软组织挫伤，经矿医院诊治为轻伤，已安排休养。现场已停止作业，补打护帮板后恢复。"
        ),
        reporter_name="王志刚（东峰煤矿调度室）",
        reported_at=occurred + dt.timedelta(minutes=35),
    )
    investigation_update(
        actor=inspector,
        investigation=accident.investigation,
        lead_organization="晋城市应急管理局",
        team="市应急管理局牵头，县应急管理局、县公安局、县总工会参加，邀请顶板专业专家1名",
        measures="（调查中）矿井已对全部回采工作面开展护帮板使用专项检查。",
    )
