"""What each kind of report holds: the narrative the officer writes, the numbers only they know, and what the
system fills in from the ledgers (frozen when submitted)."""

from campaign.models import DeadlineKind

NARRATIVE = {
    DeadlineKind.WORK_PLAN: [
        ("goals", "工作目标", True),
        ("organization", "组织领导（领导组、工作组及分工）", True),
        ("measures_1", "一、挖根源，全面提升安全管理的措施", True),
        ("measures_2", "二、建机制，确保常态长效长治的措施", True),
        ("measures_3", "三、强措施，消除隐患堵塞漏洞的措施", True),
        ("measures_4", "四、守底线，筑牢安全生产防线的措施", True),
        ("schedule", "时间安排", False),
    ],
    DeadlineKind.SELF_CHECK: [
        ("summary", "自查自改总体情况（覆盖的单元、环节、岗位、部位）", True),
        ("mechanism", "形成的常态化工作机制", False),
    ],
    DeadlineKind.MONTHLY: [
        ("done", "本月工作开展情况", True),
        ("problems", "存在的问题", False),
        ("next_steps", "下一步工作打算", False),
    ],
    DeadlineKind.SUMMARY: [
        ("done", "专项整治工作开展情况", True),
        ("common_problems", "共性问题和突出隐患分析", True),
        ("causes", "深层次矛盾和原因", True),
        ("improvements", "规章制度、管理规定、规程措施补齐情况", True),
        ("next_steps", "下一步工作打算", False),
    ],
}

MANUAL_NUMBERS = {
    DeadlineKind.MONTHLY: [("deaths", "死亡人数"), ("injuries", "工伤人数")],
    DeadlineKind.SUMMARY: [("deaths", "死亡人数"), ("injuries", "工伤人数")],
}

#: kinds whose content carries ledger figures; the self-check lists also freeze the hazard lists
WITH_FIGURES = (DeadlineKind.SELF_CHECK, DeadlineKind.MONTHLY, DeadlineKind.SUMMARY)


def narrative_fields(kind):
    return NARRATIVE.get(kind, [])


def manual_fields(kind):
    return MANUAL_NUMBERS.get(kind, [])


def missing_required(kind, content):
    narrative = content.get("narrative", {})
    return [
        label for name, label, required in narrative_fields(kind) if required and not narrative.get(name, "").strip()
    ]
