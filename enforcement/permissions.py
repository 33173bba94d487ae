"""Who may do what with enforcement documents. Services enforce these; views, templates (`{% can "enforcement.…" %}`)
and the API offer only what they allow. With `mine=None` a rule answers "anywhere" (a list page's button)."""

from accounts.permissions import (
    inspectors_q,
    is_bureau_user,
    is_inspector,
    is_mine_officer,
    is_regulator,
    regulators_q,
)
from core.scoping import mine_in_scope, scope_of


def _at(user, mine):
    return mine is None or mine_in_scope(user, mine)


def can_issue(user, mine=None):
    """Draft, issue and serve documents: the bureau's officers, for mines of their bureau."""
    return is_inspector(user) and _at(user, mine)


def can_draft_at_inspection(user, inspection):
    """Draft a document at an inspection (现场检查记录, 责令限期整改指令书 …): the county's officers for the mines of
    their county; a city's (province's) regulators at the city's own inspection, in the city's name (issue 22)."""
    from hazards.permissions import is_own_higher_inspection

    if inspection.higher_bureau_id is not None:  # the city's inspection: its own officers record it, not the county's
        return is_own_higher_inspection(user, inspection)
    return can_issue(user, inspection.mine)


def can_draft_from(user, *, mine=None, inspection=None, follows=None):
    """Draft a new document from what it is made from: the county's officers for the mines of their county (after a
    document of their own bureau); a city's (province's) regulators only at the city's own inspection or after a
    document of the city's — with nothing of its own to start from, the page is 403 for them."""
    if is_regulator(user):
        from hazards.permissions import is_own_higher_inspection

        own_inspection = inspection is not None and is_own_higher_inspection(user, inspection)
        return own_inspection or (follows is not None and can_write_document(user, follows))
    if follows is not None and not scope_of(user).allows_bureau(follows.bureau_id):
        return False
    if inspection is not None and inspection.higher_bureau_id is not None:
        return False  # a 现场检查记录 of the city's inspection signed by the county's officers would be false
    return can_issue(user, mine)


def issuing_bureau_id(user, mine):
    """The bureau a new document of `user` is issued by (its series, officers and authority): a city's regulator
    issues in the city's name, everyone else in the name of the mine's county."""
    return user.organization_id if is_regulator(user) else getattr(mine, "bureau_id", None)


def can_write_document(user, document):
    """Edit, delete, issue and serve a document: the officers of the bureau whose document it is (`bureau`, its
    number series) — the county's inspectors for the county's, a city's regulators for the city's own. Neither
    writes the other's: the city reads the county's documents, the county the city's issued ones."""
    if is_regulator(user):
        return document.bureau_id == user.organization_id and mine_in_scope(user, document.mine)
    return can_issue(user, document.mine) and scope_of(user).allows_bureau(document.bureau_id)


def can_see_drafts(user):
    """The bureau's drafts are its own business: a mine or enterprise sees a document once it is issued."""
    return is_bureau_user(user)


def can_keep_document_settings(user):
    """The bureau's number formats, the issuing authority's name and its officers' 执法证号: its inspectors; a city's
    (province's) its regulators, for the city's own series (its documents at its own inspections)."""
    return is_inspector(user) or is_regulator(user)


def document_officers_q():
    """Who may be named a document's officer at their own bureau (a queryset filter over User, the bureau added by
    the caller): a county's inspectors, a city's regulators."""
    return inspectors_q() | regulators_q()


def can_download_archive(user):
    """A month's documents as one .zip: the bureau's users (a mine downloads its own documents one by one)."""
    return is_bureau_user(user)


def may_be_officer(user, bureau_id):
    """A document's officers: active inspectors of the issuing bureau holding a certificate number."""
    return (
        user is not None
        and user.is_active
        and (is_inspector(user) or is_regulator(user))
        and user.organization_id == bureau_id
        and bool(user.certificate_no.strip())
    )


# ---------------------------------------------------------------- penalty cases (行政处罚)
#
# Who sees a case: the bureau's users always; the mine and its enterprise once its 行政处罚告知书 was served (stage
# 告知 and after), never the bureau's internal work before it (立案审批, 调查取证). The 案卷 itself (立案审批表, the
# evidence, the officers' opinions) stays the bureau's: the mine reads the case's page and the documents served on it.


def can_handle_penalty(user, mine=None):
    """File and run a penalty case (立案 … 结案), upload its evidence, record payments: the bureau's law-enforcement
    officers, for mines of their bureau (not the leadership group, which reads)."""
    return is_inspector(user) and _at(user, mine)


def can_read_case_file(user, mine=None):
    """The 案卷 (its 卷内目录, 立案审批表, evidence and internal records): the bureau's users."""
    return is_bureau_user(user) and _at(user, mine)


def can_keep_provisions(user):
    """Keep the bureau's list of 处罚依据 and its penalty parameters: its law-enforcement officers."""
    return is_inspector(user)


# ---------------------------------------------------------------- 停产整顿 and 复产验收
#
# Who sees a suspension: the bureau's users of its county, the mine and its enterprise (the record is about them, and
# its order is served on them). The order is issued and the 复产验收 decided by the bureau's law-enforcement officers;
# only the suspended mine's own officers apply for 复产验收.


def can_order_suspension(user, mine=None):
    """Issue the 责令停产整顿指令书 of a suspension: the bureau's officers, for mines of their bureau."""
    return is_inspector(user) and _at(user, mine)


def can_apply_resumption(user, mine=None):
    """Apply for 复产验收: the officers of the suspended mine itself (not its enterprise, not the bureau)."""
    return is_mine_officer(user) and (mine is None or mine.pk == user.organization_id)


def can_decide_resumption(user, mine=None):
    """Accept or refuse a 复产验收 with its 复产验收意见书: the bureau's law-enforcement officers."""
    return is_inspector(user) and _at(user, mine)


def can_see_bureau_items(user):
    """The bureau's own campaign items (县局落实事项) and their figures: the bureau's users."""
    return is_bureau_user(user)
