"""The campaign's organisation (the notice's section 二): its working groups and their members.

Services (keyword-only, one transaction each, the permission asked of campaign.permissions, a Chinese DomainError
when refused) and the page's read."""

from django.db import IntegrityError, transaction
from django.db.models import Max, Prefetch

from core.concurrency import check_row_version
from core.errors import DomainError, InvalidState, NotPermitted

from .models import POST_RANK, GroupKind, GroupMember, MemberPost, WorkingGroup
from .permissions import can_keep_organisation, may_hold_a_post

NOT_ALLOWED = "只有本局执法人员可以维护专项整治的组织机构。"

GROUP_FIELDS = ("kind", "name", "located_at", "phone", "duties", "order")
MEMBER_FIELDS = ("post", "user", "name", "title", "phone", "order")

#: the longest text each field takes (the model's max_length), checked before the database would refuse it
LIMITS = {"name": 100, "located_at": 100, "phone": 40, "title": 60}


def _text(fields, name, label, limit=None):
    value = (fields.get(name) or "").strip()
    if limit and len(value) > limit:
        raise DomainError(f"{label}不能超过 {limit} 个字。", field=name)
    fields[name] = value
    return value


def _check_group(fields):
    if fields.get("kind") not in GroupKind.values:
        raise DomainError("请选择工作组类别。", field="kind")
    if not _text(fields, "name", "名称", LIMITS["name"]):
        raise DomainError("请填写工作组名称。", field="name")
    _text(fields, "located_at", "设在", LIMITS["located_at"])
    _text(fields, "phone", "联系电话", LIMITS["phone"])
    if len(_text(fields, "duties", "职责")) > 2000:
        raise DomainError("职责不能超过 2000 字。", field="duties")


def _save(record, message, field="name"):
    try:
        with transaction.atomic():
            record.save()
    except IntegrityError as exc:
        raise DomainError(message, field=field) from exc


def _next_order(queryset):
    return (queryset.aggregate(top=Max("order"))["top"] or 0) + 1


@transaction.atomic
def working_group_create(*, actor, campaign, kind, name, located_at="", phone="", duties="", order=None):
    if not can_keep_organisation(actor, campaign):
        raise NotPermitted(NOT_ALLOWED)
    fields = {"kind": kind, "name": name, "located_at": located_at, "phone": phone, "duties": duties}
    _check_group(fields)
    group = WorkingGroup(campaign=campaign, **fields)
    group.order = order or _next_order(WorkingGroup.objects.filter(campaign=campaign))
    _save(group, "本期专项整治已有同名的工作组。")
    return group


def _locked_group(group):
    return WorkingGroup.objects.select_for_update(of=("self",)).select_related("campaign").get(pk=group.pk)


@transaction.atomic
def working_group_update(*, actor, group, row_version=None, **fields):
    group = _locked_group(group)
    if not can_keep_organisation(actor, group.campaign):
        raise NotPermitted(NOT_ALLOWED)
    check_row_version(group, row_version, fields=GROUP_FIELDS)
    merged = {name: fields.get(name, getattr(group, name)) for name in GROUP_FIELDS}
    _check_group(merged)
    changed = [name for name in GROUP_FIELDS if name in fields and getattr(group, name) != merged[name]]
    for name in changed:
        setattr(group, name, merged[name] if name != "order" else (merged["order"] or group.order))
    if changed:
        _save(group, "本期专项整治已有同名的工作组。")
    return group


@transaction.atomic
def working_group_delete(*, actor, group, row_version=None):
    """Only an empty group: one click must not take a whole list of people with it (remove them one by one)."""
    group = _locked_group(group)
    if not can_keep_organisation(actor, group.campaign):
        raise NotPermitted(NOT_ALLOWED)
    check_row_version(group, row_version)
    if group.members.exists():
        raise InvalidState(f"“{group.name}”还有成员，请先移除成员，再删除工作组。")
    group.delete()


def _check_member(group, fields, *, member=None):
    if fields.get("post") not in MemberPost.values:
        raise DomainError("请选择组内职务。", field="post")
    user = fields.get("user")
    name = _text(fields, "name", "姓名", 60)
    _text(fields, "title", "单位职务", LIMITS["title"])
    _text(fields, "phone", "联系电话", LIMITS["phone"])
    if user is None and not name:
        raise DomainError(
            "请选择系统用户，或填写姓名（不是系统用户的人员、或人员范围如“全体监管专员”）。", field="name"
        )
    if user is not None:
        if not may_hold_a_post(user, group.campaign):
            raise DomainError("系统用户应为本局在岗人员；其他人员请填写姓名和职务。", field="user")
        others = GroupMember.objects.filter(group=group, user=user)
        if member is not None:
            others = others.exclude(pk=member.pk)
        if others.exists():
            raise DomainError(f"{user.display_name} 已在本组中。", field="user")


@transaction.atomic
def group_member_add(*, actor, group, post, user=None, name="", title="", phone="", order=None):
    group = _locked_group(group)  # members of one group are numbered one at a time
    if not can_keep_organisation(actor, group.campaign):
        raise NotPermitted(NOT_ALLOWED)
    fields = {"post": post, "user": user, "name": name, "title": title, "phone": phone}
    _check_member(group, fields)
    member = GroupMember(group=group, **fields)
    member.order = order or _next_order(group.members.all())
    member.save()
    return member


def _locked_member(member):
    # of=self: PostgreSQL refuses FOR UPDATE on the nullable side of the joins select_related adds
    locked = GroupMember.objects.select_for_update(of=("self",))
    return locked.select_related("group__campaign", "user").get(pk=member.pk)


@transaction.atomic
def group_member_update(*, actor, member, row_version=None, **fields):
    member = _locked_member(member)
    if not can_keep_organisation(actor, member.group.campaign):
        raise NotPermitted(NOT_ALLOWED)
    check_row_version(member, row_version, fields=MEMBER_FIELDS)
    merged = {name: fields.get(name, getattr(member, name)) for name in MEMBER_FIELDS}
    _check_member(member.group, merged, member=member)
    changed = [name for name in MEMBER_FIELDS if name in fields and getattr(member, name) != merged[name]]
    for name in changed:
        setattr(member, name, merged[name] if name != "order" else (merged["order"] or member.order))
    if changed:
        member.save()
    return member


@transaction.atomic
def group_member_remove(*, actor, member, row_version=None):
    member = _locked_member(member)
    if not can_keep_organisation(actor, member.group.campaign):
        raise NotPermitted(NOT_ALLOWED)
    check_row_version(member, row_version)
    member.delete()


# ------------------------------------------------------------------ reads


def members_in_order(members):
    """组长 first, then 副组长…, each post in the order it was entered."""
    return sorted(members, key=lambda m: (POST_RANK.get(m.post, len(POST_RANK)), m.order, m.pk))


def organisation_of(*, campaign):
    """The campaign's groups with their members (two queries, whatever their number)."""
    members = Prefetch("members", queryset=GroupMember.objects.select_related("user").order_by("order", "pk"))
    groups = list(WorkingGroup.objects.filter(campaign=campaign).prefetch_related(members).order_by("order", "pk"))
    for group in groups:
        group.members_ordered = members_in_order(group.members.all())
    return groups
