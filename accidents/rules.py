"""The figures of the accident register, stated once as data.

迟报: 《生产安全事故报告和调查处理条例》第九条 — 单位负责人接到报告后，应当于1小时内向事故发生地县级以上人民政府
安全生产监督管理部门报告. A register line reported to the county later than that after the accident is flagged 迟报.
A deployment may set `ACCIDENT_REPORT_WINDOW_MINUTES` in its settings (a province with a stricter rule); the default
is the 条例's.

提级调查: 第十九条 gives the level that normally investigates each grade of accident (一般 → 县级, 较大 → 设区的市级,
重大 → 省级, 特别重大 → 国务院); the notice asks that every accident during the campaign be investigated one level
higher (提级调查). The grade follows 第三条 from deaths, serious injuries and direct loss; an accident below 一般 (a
minor injury) is investigated by the county too, so its upgraded level is the city.
"""

import datetime as dt
from decimal import Decimal

from django.conf import settings
from django.db import models

#: 条例 第九条: one hour to the county department
DEFAULT_REPORT_WINDOW_MINUTES = 60
REPORT_RULE = "《生产安全事故报告和调查处理条例》第九条"


def report_window():
    """How long after the accident the report to the county may come (a timedelta)."""
    minutes = getattr(settings, "ACCIDENT_REPORT_WINDOW_MINUTES", DEFAULT_REPORT_WINDOW_MINUTES)
    return dt.timedelta(minutes=int(minutes))


def is_late(occurred_at, reported_at):
    """迟报: reported to the county later than the window allows after the accident."""
    if occurred_at is None or reported_at is None:
        return False
    return reported_at - occurred_at > report_window()


class InvestigationLevel(models.TextChoices):
    COUNTY = "county", "县级"
    CITY = "city", "设区的市级"
    PROVINCE = "province", "省级"
    STATE = "state", "国务院"


LEVEL_ORDER = [
    InvestigationLevel.COUNTY,
    InvestigationLevel.CITY,
    InvestigationLevel.PROVINCE,
    InvestigationLevel.STATE,
]


class AccidentGrade(models.TextChoices):
    BELOW = "below", "一般以下（轻伤等）"
    GENERAL = "general", "一般事故"
    LARGER = "larger", "较大事故"
    MAJOR = "major", "重大事故"
    EXTRAORDINARY = "extraordinary", "特别重大事故"


#: 第三条: (grade, deaths at least, serious injuries at least, direct loss at least in 元), gravest first
GRADE_THRESHOLDS = [
    (AccidentGrade.EXTRAORDINARY, 30, 100, Decimal("100000000")),
    (AccidentGrade.MAJOR, 10, 50, Decimal("50000000")),
    (AccidentGrade.LARGER, 3, 10, Decimal("10000000")),
]

#: 第十九条: who investigates each grade normally
NORMAL_LEVEL = {
    AccidentGrade.BELOW: InvestigationLevel.COUNTY,
    AccidentGrade.GENERAL: InvestigationLevel.COUNTY,
    AccidentGrade.LARGER: InvestigationLevel.CITY,
    AccidentGrade.MAJOR: InvestigationLevel.PROVINCE,
    AccidentGrade.EXTRAORDINARY: InvestigationLevel.STATE,
}


def grade_of(*, deaths, serious_injuries, minor_injuries, direct_loss):
    loss = direct_loss or Decimal(0)
    for grade, d, s, money in GRADE_THRESHOLDS:
        if deaths >= d or serious_injuries >= s or loss >= money:
            return grade
    if deaths or serious_injuries or loss:
        return AccidentGrade.GENERAL
    return AccidentGrade.BELOW


def is_upgraded(normal, lead):
    """Whether `lead` investigates above the `normal` level (提级); the state's own cases stay with the state."""
    top = LEVEL_ORDER[-1]
    return LEVEL_ORDER.index(lead) > LEVEL_ORDER.index(normal) or normal == lead == top


def upgraded_level(grade):
    """One level above the one that normally investigates (the state stays the state)."""
    normal = NORMAL_LEVEL[grade]
    index = LEVEL_ORDER.index(normal)
    return normal, LEVEL_ORDER[min(index + 1, len(LEVEL_ORDER) - 1)]
