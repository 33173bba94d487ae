import datetime as dt

from django.utils import timezone

from accountability import services

TODAY = dt.date.today()


def criticism(inspector, targets, *, title="关于对东峰煤矿予以通报批评的决定", issue=True, **fields):
    draft = services.action_draft(
        actor=inspector,
        kind="notice_criticism",
        targets=targets,
        title=title,
        reason=fields.pop("reason", "百日专项整治工作进展缓慢，自查自改不认真。"),
        requirements=fields.pop("requirements", "立即整改，10日内书面报送整改情况。"),
        **fields,
    )
    return services.action_issue(actor=inspector, action=draft) if issue else draft


def summons(inspector, targets, *, follow_up_on=None, issue=True, issued_on=None, summoned_at=None, **fields):
    summoned_at = summoned_at or timezone.now() - dt.timedelta(hours=2)
    draft = services.action_draft(
        actor=inspector,
        kind="summons",
        targets=targets,
        title=fields.pop("title", "约谈晋阳煤业东峰煤矿主要负责人"),
        reason=fields.pop("reason", "重大隐患逾期未整改。"),
        persons=fields.pop("persons", "王建国，东峰煤矿矿长"),
        summoned_by=fields.pop("summoned_by", "县应急管理局局长 李明"),
        summoned_at=summoned_at,
        place="县局三楼会议室",
        problems=fields.pop("problems", "3105回风巷甲烷传感器位置不符合规定。"),
        commitments=fields.pop("commitments", "7日内整改到位，矿长每周下井带班检查。"),
        follow_up_on=follow_up_on or TODAY + dt.timedelta(days=14),
        **fields,
    )
    if not issue:
        return draft
    return services.action_issue(actor=inspector, action=draft, issued_on=issued_on)
