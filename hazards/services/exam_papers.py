"""逢查必考 papers from the 判定标准 (notice 2.2.d: the standard as training content; issue 25 item 3): an inspector
draws questions at random from its 80 情形 for the people examined at an inspection, prints the paper, and grades
each person's answers into an exam result (the pass mark and retraining of exam_record follow).

Two kinds of question, each with four options and one right answer:
- 类别: "下列情形属于哪一类重大事故隐患？" — the item's text; options its category and three other categories;
- 情形: "下列情形中，属于“<category>”重大事故隐患的是：" — options the item and three items of other categories.
Drawn by `random.Random(seed)` over the standard's items in their order, so the same seed draws the same paper."""

import random
import secrets
from decimal import Decimal

from django.db import transaction

from core.errors import DomainError, NotPermitted

from ..models import ExamPaper, HazardStandard, MajorHazardItem
from ..permissions import can_write_at_inspection
from .inspections import exam_record

#: a paper's number of questions: the default, and the bounds an inspector may choose within
PAPER_SIZE, PAPER_SIZE_MIN, PAPER_SIZE_MAX = 10, 5, 30
#: seeds are printed as the paper's number (six digits)
SEED_MAX = 999_999
OPTION_LETTERS = "ABCD"
KIND_CATEGORY, KIND_SITUATION = "category", "situation"


def standard_items(standard):
    """The standard's 情形 as the drawing reads them, in their order (category, item): one query."""
    return list(
        MajorHazardItem.objects.filter(category__standard=standard)
        .select_related("category__standard")
        .order_by("category__no", "no")
    )


def draw_questions(items, *, seed, size):
    """`size` questions drawn from `items` (MajorHazardItem with their category) by `seed`: a pure function, so a
    printed paper is drawn again from its number. Each question: item (pk), kind, prompt, options (4), answer (index
    of the right option), citation."""
    rng = random.Random(seed)
    categories = {}
    for item in items:
        categories.setdefault(item.category.no, item.category)
    questions = []
    for item in rng.sample(items, min(size, len(items))):
        others = [c for no, c in categories.items() if no != item.category.no]
        kind = rng.choice((KIND_CATEGORY, KIND_SITUATION))
        if kind == KIND_CATEGORY:
            prompt = f"下列情形属于哪一类重大事故隐患？“{item.text}”"
            right = item.category.name
            wrong = [c.name for c in rng.sample(others, 3)]
        else:
            prompt = f"下列情形中，属于“{item.category.name}”重大事故隐患的是："
            right = item.text
            pool = [i for i in items if i.category.no != item.category.no]
            wrong = [i.text for i in rng.sample(pool, 3)]
        options = [right, *wrong]
        rng.shuffle(options)
        questions.append(
            {
                "item": item.pk,
                "kind": kind,
                "prompt": prompt,
                "options": options,
                "answer": options.index(right),
                "citation": item.citation,
            }
        )
    return questions


def _standard_in_force():
    standard = HazardStandard.objects.filter(is_current=True).order_by("-version").first()
    if standard is None:
        raise DomainError("尚未载入现行的《煤矿重大事故隐患判定标准》，不能组卷。")
    return standard


@transaction.atomic
def exam_paper_draw(*, actor, inspection, size=PAPER_SIZE, seed=None):
    """Draw a paper for an inspection's exams from the standard in force. `seed` (a printed paper's number) draws that
    paper again; without it, a new one at random."""
    if not can_write_at_inspection(actor, inspection):
        raise NotPermitted("只有县局执法人员（上级部门检查时为其监管人员）可以组卷考试。")
    if not PAPER_SIZE_MIN <= size <= PAPER_SIZE_MAX:
        raise DomainError(f"题量应在 {PAPER_SIZE_MIN} 到 {PAPER_SIZE_MAX} 之间。", field="size")
    if seed is None:
        seed = secrets.randbelow(SEED_MAX) + 1
    elif not 0 <= seed <= SEED_MAX:
        raise DomainError("试卷编号应为 6 位以内的数字。", field="seed")
    standard = _standard_in_force()
    items = standard_items(standard)
    if len(items) < 4:
        raise DomainError("判定标准的情形不足 4 项，不能组卷。")
    return ExamPaper.objects.create(
        inspection=inspection,
        standard=standard,
        seed=seed,
        questions=draw_questions(items, seed=seed, size=size),
        created_by=actor,
    )


def grade(paper, answers):
    """(score 0–100 with one decimal, number right) of `answers` (an option index or None per question)."""
    right = sum(1 for q, a in zip(paper.questions, answers, strict=True) if a == q["answer"])
    score = (Decimal(100) * right / len(paper.questions)).quantize(Decimal("0.1"))
    return score, right


@transaction.atomic
def exam_paper_grade(*, actor, paper, person_name, post, answers):
    """Grade one person's answers to `paper` and record the exam result with its score (the pass mark and the
    retraining of a failure as exam_record decides them), the paper and the answers kept with it."""
    answers = list(answers)
    if len(answers) != len(paper.questions):
        raise DomainError(f"应作答 {len(paper.questions)} 题，收到 {len(answers)} 题。", field="answers")
    if any(a is not None and (not isinstance(a, int) or not 0 <= a < len(OPTION_LETTERS)) for a in answers):
        raise DomainError("答案应为 A、B、C、D 之一（未答可留空）。", field="answers")
    score, _right = grade(paper, answers)
    return exam_record(
        actor=actor,
        inspection=paper.inspection,
        person_name=person_name,
        post=post,
        score=score,
        paper=paper,
        answers=answers,
    )
