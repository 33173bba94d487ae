"""The kinds of notice a person or a unit chooses channels for (短信、企业微信、钉钉).

Every app's sweep names its notice by a `topic` (a plain string, so the apps above need not import anything here);
the kinds group those topics into the dozen a county's officers recognise. A topic not listed falls under OTHER.
The urgent kinds (an accident, a major hazard and 停产整顿) go at once, also in quiet hours."""

from django.db import models


class NoticeKind(models.TextChoices):
    ACCIDENT = "accident", "事故报告"
    MAJOR_HAZARD = "major_hazard", "重大隐患与停产整顿"
    HAZARD = "hazard", "隐患整改期限"
    SUBMISSION_DUE = "submission_due", "报送提醒与逾期"
    SUBMISSION_REVIEW = "submission_review", "报送审核与催报"
    ENFORCEMENT = "enforcement", "执法文书"
    PENALTY = "penalty", "行政处罚"
    ACCOUNTABILITY = "accountability", "约谈与问责"
    VIOLATION = "violation", "三违与追溯"
    TRAINING = "training", "培训与持证"
    CAMPAIGN = "campaign", "专项行动与任务进展"
    OTHER = "other", "其他通知"


#: the kinds that never wait for the end of quiet hours
URGENT_KINDS = frozenset({NoticeKind.ACCIDENT, NoticeKind.MAJOR_HAZARD})

_TOPICS = {
    NoticeKind.ACCIDENT: ("accident_reported",),
    NoticeKind.MAJOR_HAZARD: ("hazard_escalation", "suspension", "leader_review_due", "leader_review_overdue"),
    NoticeKind.HAZARD: ("hazard_due", "hazard_overdue"),
    NoticeKind.SUBMISSION_DUE: ("submission_reminder", "submission_overdue", "submission_escalation"),
    NoticeKind.SUBMISSION_REVIEW: ("submission_reviewed", "submission_urged"),
    NoticeKind.ENFORCEMENT: ("enforcement", "document_due", "document_review_due", "document_deadline_passed"),
    NoticeKind.PENALTY: ("penalty_statement_ended", "penalty_payment_due", "penalty_payment_overdue"),
    NoticeKind.ACCOUNTABILITY: (
        "accountability_issued",
        "summons_follow_up_reminder",
        "summons_follow_up_overdue",
        "summons_follow_up_escalation",
    ),
    NoticeKind.VIOLATION: (
        "backtrack_overdue",
        "violation_accountability_overdue",
        "repeat_offender",
        "tipoff_escalated",
        "bulletin_duty",
    ),
    NoticeKind.TRAINING: ("retraining_overdue", "certificate_expiry"),
    NoticeKind.CAMPAIGN: ("progress_reviewed", "campaign_version"),
}
KIND_OF_TOPIC = {topic: kind for kind, topics in _TOPICS.items() for topic in topics}


def kind_of(topic):
    return KIND_OF_TOPIC.get(topic, NoticeKind.OTHER)


def is_urgent(topic):
    return kind_of(topic) in URGENT_KINDS
