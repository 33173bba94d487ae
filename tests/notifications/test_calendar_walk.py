"""Walk the 2024 campaign calendar day by day for a small county and check every notice that goes out."""

import datetime as dt
from collections import defaultdict
from decimal import Decimal

import pytest
import time_machine
from django.utils import timezone

from accountability import services as accountability
from hazards.models import LeaderReview, leader_review_due
from hazards.services import exam_record, inspection_create
from notifications.models import Notification
from reporting import services as reporting
from sweeps.registry import run_all_sweeps
from tests.factories import HazardFactory, ViolationFactory, running_campaign

pytestmark = pytest.mark.django_db

PLAN = dict.fromkeys(("goals", "organization", "measures_1", "measures_2", "measures_3", "measures_4"), "内容")
D = dt.date


def noon(day):
    return dt.datetime(day.year, day.month, day.day, 4, tzinfo=dt.UTC)  # 12:00 in Shanghai


def summon(inspector, mine, day, follow_up_on):
    """The bureau summons `mine` on `day` (约谈) and will check its commitments on `follow_up_on`."""
    draft = accountability.action_draft(
        actor=inspector,
        kind="summons",
        targets=[mine],
        title="约谈东峰煤矿主要负责人",
        reason="重大隐患整治不力",
        summoned_by="局长",
        summoned_at=noon(day) - dt.timedelta(hours=2),
        problems="中央水仓隐患逾期未整改",
        commitments="立即整改",
        follow_up_on=follow_up_on,
    )
    return accountability.action_issue(actor=inspector, action=draft, issued_on=day)


def follow_up(inspector, day):
    from accountability.models import AccountabilityAction

    talk = AccountabilityAction.objects.get(title="约谈东峰煤矿主要负责人")
    accountability.summons_follow_up(actor=inspector, action=talk, done_on=day, result="承诺已落实")


def send(officer, deadline, day):
    submission = reporting.submission_open(actor=officer, deadline=deadline)
    reporting.submission_save(actor=officer, submission=submission, narrative={**PLAN, "summary": "x", "done": "x"})
    reporting.submission_submit(actor=officer, submission=submission, now=noon(day))


@pytest.fixture
def walk(county):
    campaign = running_campaign(bureau=county.bureau)
    deadlines = {d.code: d for d in campaign.deadlines.all()}
    HazardFactory(mine=county.mine1, found_on=D(2024, 11, 5), due_on=D(2024, 11, 10), location="中央水仓")
    HazardFactory(
        mine=county.mine3,
        found_on=D(2024, 11, 6),
        due_on=D(2024, 11, 12),
        location="1105掘进面",
        level="major",
        contingency_plan="撤人",
    )
    ViolationFactory(mine=county.mine1, occurred_on=D(2024, 11, 2), person_name="张永")
    # 四(四)3: a major hazard found by a higher department owes its main leader's 检查 (15 days by default), even
    # once rectified and closed.
    superior = HazardFactory(
        mine=county.mine3,
        found_on=D(2024, 11, 8),
        due_on=D(2024, 11, 9),
        status="closed",
        accepted_on=D(2024, 11, 9),
        location="3101回风巷",
        level="major",
        contingency_plan="撤人",
        source="superior_inspection",
    )
    LeaderReview.objects.create(hazard=superior, due_on=leader_review_due(superior.found_on, None))
    with time_machine.travel(noon(D(2024, 11, 5)), tick=False):
        inspection = inspection_create(
            actor=county.inspector, mine=county.mine1, inspected_on=D(2024, 11, 5), mode="open"
        )
        exam_record(actor=county.inspector, inspection=inspection, person_name="孙海", post="电工", score=Decimal(60))

    actions = {
        D(2024, 10, 29): lambda: send(county.mine2_officer, deadlines["work_plan"], D(2024, 10, 29)),
        D(2024, 10, 30): lambda: send(county.ent1_officer, deadlines["work_plan"], D(2024, 10, 30)),
        D(2024, 11, 10): lambda: send(county.mine1_officer, deadlines["work_plan"], D(2024, 11, 10)),
        D(2024, 11, 20): lambda: summon(county.inspector, county.mine1, D(2024, 11, 20), D(2024, 12, 10)),
        D(2024, 12, 20): lambda: follow_up(county.inspector, D(2024, 12, 20)),
    }
    log = defaultdict(list)  # (username, topic) -> [(day, key)]
    day = D(2024, 10, 20)
    while day <= D(2025, 2, 10):
        with time_machine.travel(noon(day), tick=False):
            if day in actions:
                actions[day]()
            before = Notification.objects.count()
            run_all_sweeps(today=day)
            assert sum(run_all_sweeps(today=day).values()) == 0, f"second run on {day} sent again"
            for n in Notification.objects.order_by("id")[before:].select_related("recipient"):
                log[(n.recipient.username, n.topic)].append((timezone.localtime(n.created_at).date(), n.key))
        day += dt.timedelta(days=1)
    return {"deadlines": deadlines, "log": log, "county": county}


def days(log, user, topic, deadline=None):
    """The days `user` got notices of `topic` (about `deadline`, for submission keys
    "submission:<step>:<deadline>:…")."""
    return [d for d, key in log[(user, topic)] if deadline is None or key.split(":")[2] == str(deadline)]


def check_work_plan_reminders_overdue_and_escalation(walk):
    log, tag = walk["log"], walk["deadlines"]["work_plan"].pk
    assert days(log, "mine1", "submission_reminder", tag) == [D(2024, 10, 24), D(2024, 10, 28), D(2024, 10, 30)]
    # mine1 sends on 11-10: overdue on the day after the due date and a week later, then nothing.
    assert days(log, "mine1", "submission_overdue", tag) == [D(2024, 11, 1), D(2024, 11, 8)]
    # mine2 sent on 10-29: the reminders before, nothing after.
    assert days(log, "mine2", "submission_reminder", tag) == [D(2024, 10, 24), D(2024, 10, 28)]
    assert days(log, "mine2", "submission_overdue", tag) == []
    # ent1 sent on 10-30; as mine1's enterprise it is told of mine1's overdue report.
    assert days(log, "ent1", "submission_reminder", tag) == [D(2024, 10, 24), D(2024, 10, 28)]
    assert days(log, "ent1", "submission_overdue", tag) == [D(2024, 11, 1), D(2024, 11, 8)]
    # mine3 never sends: weekly overdue notices for the catch-up window of 60 days.
    overdue3 = days(log, "mine3", "submission_overdue", tag)
    assert overdue3[:3] == [D(2024, 11, 1), D(2024, 11, 8), D(2024, 11, 15)]
    assert overdue3[-1] == D(2024, 12, 27) and len(overdue3) == 9
    escalations = days(log, "inspector", "submission_escalation", tag)
    assert escalations[:2] == [D(2024, 11, 1), D(2024, 11, 8)] and len(escalations) == 9
    first = next(
        key
        for d, key in log[("inspector", "submission_escalation")]
        if d == D(2024, 11, 1) and key.split(":")[2] == str(tag)
    )
    body = Notification.objects.get(recipient__username="inspector", key=first).body
    assert "东峰煤矿" in body and "北坡煤矿" in body and "西岭煤矿" not in body


def check_no_one_outside_the_bureau_hears_of_it(walk):
    assert not any(user == "other_inspector" for user, _ in walk["log"])


def check_self_check_lists_are_owed_by_mines_only(walk):
    tag = walk["deadlines"]["self_check_lists"].pk
    assert days(walk["log"], "mine1", "submission_reminder", tag) == [D(2024, 11, 18), D(2024, 11, 22), D(2024, 11, 24)]
    assert days(walk["log"], "ent1", "submission_reminder", tag) == []


def check_hazard_backtrack_retraining_and_bulletin_notices(walk):
    log = walk["log"]
    assert days(log, "mine1", "hazard_due") == [D(2024, 11, 7)]
    assert days(log, "mine1", "hazard_overdue") == [D(2024, 11, 11)]
    assert days(log, "mine3", "hazard_overdue") == [D(2024, 11, 13)]
    assert days(log, "inspector", "hazard_escalation") == [D(2024, 11, 13)]  # the major one only
    assert days(log, "mine1", "backtrack_overdue") == [D(2024, 11, 10)]
    assert days(log, "mine1", "retraining_overdue") == [D(2024, 12, 6)]
    assert days(log, "inspector", "retraining_overdue") == [D(2024, 12, 6)]
    assert days(log, "inspector", "bulletin_duty") == [D(2024, 11, 25), D(2024, 12, 25), D(2025, 1, 25)]


def check_summons_follow_up(walk):
    """A 约谈's follow-up date is chased like every deadline: the summoned mine reminded 7, 3 and 1 days before; the
    day after and weekly while not recorded, the mine told it is overdue and the bureau's inspectors asked to carry
    it out (the escalation); nothing once recorded (on 12-20), nobody else told."""
    log = walk["log"]
    assert days(log, "mine1", "summons_follow_up_reminder") == [D(2024, 12, 3), D(2024, 12, 7), D(2024, 12, 9)]
    assert days(log, "mine1", "summons_follow_up_overdue") == [D(2024, 12, 11), D(2024, 12, 18)]
    assert days(log, "inspector", "summons_follow_up_escalation") == [D(2024, 12, 11), D(2024, 12, 18)]
    for user in ("mine2", "mine3", "ent1", "leader"):
        assert not [t for u, t in log if u == user and t.startswith("summons")], user


def check_accountability_chain_notices(walk):
    """四(四)3: the 三违 without its 科队长 accountability and 分管负责人 检查 after 7 days, told once to the mine and
    its enterprise; the main leader's 检查 of the 上级检查 major hazard (due 11月23日) reminded once per step, then
    overdue to the mine and the bureau."""
    log = walk["log"]
    assert days(log, "mine1", "violation_accountability_overdue") == [D(2024, 11, 10)]
    assert days(log, "ent1", "violation_accountability_overdue") == [D(2024, 11, 10)]
    assert days(log, "mine3", "leader_review_due") == [D(2024, 11, 16), D(2024, 11, 20), D(2024, 11, 22)]
    assert [key.split(":")[1] for _, key in log[("mine3", "leader_review_due")]] == ["d-7", "d-3", "d-1"]
    assert days(log, "mine3", "leader_review_overdue") == [D(2024, 11, 24)]
    assert days(log, "inspector", "leader_review_overdue") == [D(2024, 11, 24)]
    assert days(log, "inspector", "leader_review_due") == []  # reminders are the enterprise's
    assert days(log, "mine1", "leader_review_due") == []


@pytest.mark.slow  # ~5 s: the walk over the whole campaign calendar
def test_the_2024_campaign_calendar(walk):
    """One walk, every check (the walk is the slow part). Each sweep also ran twice a day and sent nothing new."""
    check_work_plan_reminders_overdue_and_escalation(walk)
    check_no_one_outside_the_bureau_hears_of_it(walk)
    check_self_check_lists_are_owed_by_mines_only(walk)
    check_hazard_backtrack_retraining_and_bulletin_notices(walk)
    check_summons_follow_up(walk)
    check_accountability_chain_notices(walk)


@pytest.mark.slow  # ~2 s: two weeks of sweeps
def test_the_campaigns_reminder_days_decide_which_day_a_reminder_goes_out(county):
    """The reminders before a deadline follow the campaign's reminder days (campaign.figures.REMINDER_DAYS): the
    notice's 7/3/1 until the bureau sets 5/2 on 10-25, then 5 and 2 days before the work plan's 10-31."""
    from campaign.thresholds import campaign_thresholds_update

    campaign = running_campaign(bureau=county.bureau)
    deadline = campaign.deadlines.get(code="work_plan")
    assert deadline.due_on == D(2024, 10, 31)
    sent = []
    day = D(2024, 10, 20)
    while day <= D(2024, 11, 2):
        with time_machine.travel(noon(day), tick=False):
            if day == D(2024, 10, 25):
                campaign_thresholds_update(actor=county.inspector, campaign=campaign, reminder_days="5,2")
            before = Notification.objects.count()
            run_all_sweeps(today=day)
            sent += [
                (day, n.key.split(":")[1])
                for n in Notification.objects.order_by("id")[before:]
                if n.recipient_id == county.mine1_officer.pk
                and n.topic == "submission_reminder"
                and n.key.split(":")[2] == str(deadline.pk)
            ]
        day += dt.timedelta(days=1)
    assert sent == [(D(2024, 10, 24), "d-7"), (D(2024, 10, 26), "d-5"), (D(2024, 10, 29), "d-2")]


# ---------------------------------------------------------------- the same walk with the channels on (issue 23)


@pytest.fixture
def channels_on(county, settings):
    """Every kind to SMS for every unit and the bureau, and to the bureau's 企业微信 and 钉钉 robots; every person has
    a phone. The receivers stand in for the robots and the SMS service; the 企业微信 one fails its first two calls."""
    from notifications.kinds import NoticeKind
    from notifications.models import ChannelPreference, Robot
    from tests.notifications.receivers import Receiver
    from tests.notifications.test_channels import DING_SECRET, SMS_SECRET, aliyun_check, ding_check

    wecom = Receiver(answers=[(500, {}), (500, {}), (200, {"errcode": 0})]).start()
    ding = Receiver(check=ding_check(DING_SECRET)).start()
    sms = Receiver(answers=[(200, {"Code": "OK"})], check=aliyun_check("LTAIwalk0001", SMS_SECRET)).start()
    settings.SMS_PROVIDER, settings.SMS_ENDPOINT = "aliyun", f"{sms.url}/"
    settings.SMS_ACCESS_KEY_ID, settings.SMS_ACCESS_KEY_SECRET = "LTAIwalk0001", SMS_SECRET
    settings.SMS_SIGN_NAME, settings.SMS_TEMPLATE_CODE = "阳城应急", "SMS_1"
    Robot.objects.create(organization=county.bureau, kind="wecom", name="值班群", webhook_url=f"{wecom.url}/?key=k1")
    Robot.objects.create(
        organization=county.bureau,
        kind="dingtalk",
        name="钉钉群",
        webhook_url=f"{ding.url}/?access_token=tok123456",
        secret=DING_SECRET,
    )
    units = [county.bureau, county.ent1, county.ent2, county.mine1, county.mine2, county.mine3]
    ChannelPreference.objects.bulk_create(
        ChannelPreference(
            organization=org, kind=kind, channels=["sms", "wecom", "dingtalk"] if org == county.bureau else ["sms"]
        )
        for org in units
        for kind in NoticeKind.values
    )
    for i, user in enumerate(
        (county.inspector, county.leader, county.ent1_officer, county.mine1_officer, county.mine2_officer)
    ):
        user.phone = f"1390000{i:04d}"
        user.save()  # mine3's officer has no phone: no SMS for it
    yield {"wecom": wecom, "dingtalk": ding, "sms": sms}
    for r in (wecom, ding, sms):
        r.stop()


@pytest.mark.slow  # ~10 s: the calendar walk, then every delivery sent against local receivers
def test_the_calendar_walk_with_channels_on_sends_each_notice_once_per_channel(channels_on, walk):
    from notifications.models import Delivery
    from notifications.outbox import deliveries_send

    county = walk["county"]
    with time_machine.travel(noon(D(2025, 2, 11)), tick=False) as clock:
        for _ in range(200):  # retries after 1 and 2 minutes; each robot 20 a minute
            deliveries_send()
            if not Delivery.objects.filter(status="pending").exists():
                break
            clock.shift(dt.timedelta(minutes=1))
    assert set(Delivery.objects.values_list("status", flat=True)) == {"sent"}
    bureau_people = {county.inspector.pk, county.leader.pk}
    bureau_keys = set(Notification.objects.filter(recipient_id__in=bureau_people).values_list("key", flat=True))
    with_phone = set(Notification.objects.exclude(recipient__phone="").values_list("pk", flat=True))
    assert len(bureau_keys) > 30 and len(with_phone) > 100
    for channel in ("wecom", "dingtalk"):
        keys = list(Delivery.objects.filter(channel=channel).values_list("key", flat=True))
        assert sorted(keys) == sorted(bureau_keys), channel  # each of the bureau's notices once, whoever it went to
        assert len(channels_on[channel].accepted) == len(keys), channel
    sms = list(Delivery.objects.filter(channel="sms").values_list("notification_id", flat=True))
    assert sorted(sms) == sorted(with_phone) and len(channels_on["sms"].accepted) == len(sms)
    assert len(channels_on["wecom"].requests) == len(bureau_keys) + 2  # two refused, retried, none doubled
    phones = sorted(r.form()["PhoneNumbers"] for r in channels_on["sms"].accepted)
    assert "13900000003" in phones and not Delivery.objects.filter(notification__recipient=county.mine3_officer)
