"""An action as the bureau issues it, laid out by core.documents (GB/T 9704): 版头 with its 文号, the title, the units
it is addressed to, the text by kind (通报批评: 事由 and 要求; 约谈: who, when, the problems, the commitments, the
follow-up date; 问责: the persons, 事由 and the measure), the signature and date. A draft says so in its 附注."""

from core.documents import chinese_date, new_official_document

from .models import ActionKind


def action_docx(action):
    bureau = action.bureau.name
    targets = [t.organization.name for t in action.targets.all()]
    document = new_official_document(
        action.title,
        number=action.number,
        issuer=bureau,
        date=action.issued_on,
        addressee="、".join(targets) + "：" if targets else "",
        mark=f"{bureau}文件",
    )
    if action.kind == ActionKind.NOTICE_CRITICISM:
        document.heading("基本情况", 1, numbered=True)
        document.paragraphs(action.reason)
        if action.persons:
            document.paragraph(action.persons.replace("\n", "；"), lead="涉及人员：")
        document.heading("处理意见和要求", 1, numbered=True)
        document.paragraphs(action.requirements, empty="请被通报单位深刻汲取教训，立即整改，并将整改情况书面报送县局。")
    elif action.kind == ActionKind.SUMMONS:
        when = chinese_date(action.summoned_at) if action.summoned_at else "—"
        persons = "、".join(line.strip() for line in action.persons.splitlines() if line.strip())
        summoned = "、".join(targets) + (f"（{persons}）" if persons else "")
        document.paragraph(f"{when}，{action.summoned_by or '县局'}在{action.place or '县局'}约谈了{summoned}。")
        document.heading("约谈事由", 1, numbered=True)
        document.paragraphs(action.reason)
        document.heading("约谈指出的问题", 1, numbered=True)
        document.paragraphs(action.problems)
        document.heading("整改承诺", 1, numbered=True)
        document.paragraphs(action.commitments)
        document.heading("跟踪复查", 1, numbered=True)
        follow_up = chinese_date(action.follow_up_on) if action.follow_up_on else "—"
        document.paragraph(f"县局将于{follow_up}对承诺事项的落实情况进行跟踪复查。")
        if action.follow_up_done_on:
            document.paragraph(f"{chinese_date(action.follow_up_done_on)}复查：{action.follow_up_result}")
        if action.requirements:
            document.heading("要求", 1, numbered=True)
            document.paragraphs(action.requirements)
    else:
        document.heading("问责事由", 1, numbered=True)
        document.paragraphs(action.reason)
        if action.persons:
            document.paragraph(action.persons.replace("\n", "；"), lead="问责对象：")
        document.heading("问责决定", 1, numbered=True)
        document.paragraph(action.get_measure_display() or "—", lead="问责方式：")
        if action.requirements:
            document.paragraphs(action.requirements)
    document.close(note="草稿，尚未签发" if action.is_draft else "")
    return document.save()


def action_filename(action):
    return f"{action.get_kind_display()}{action.number or '（草稿）'}"
