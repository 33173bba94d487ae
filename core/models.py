"""What every ledger import keeps: its batches, the column mappings a mine taught, and files waiting for a confirm.

They live here, beside the import pipeline (core.ledger_import), because every ledger (hazards, 三违, the workforce
records) shares them; each ledger row points to its batch with a nullable `import_batch` (rows typed in on a page
have none), and so does what an import creates beside its rows (the roster's new 车间/班组), so that an undo finds
exactly what the batch wrote."""

import datetime as dt
import uuid

from django.conf import settings
from django.db import models

from .scoping import MineScopedQuerySet

#: how long an import can be undone, and how long an uploaded file waits for its confirm
UNDO_WINDOW = dt.timedelta(hours=24)
PENDING_LIFETIME = dt.timedelta(hours=2)


def import_batch_field(**options):
    """A ledger row's `import_batch`: the batch that brought it in, None when typed in on a page.

    A key without a database constraint: an import writes it on every row (10,000 checks at the commit of a
    10,000-line import, each finding the batch the same transaction had just created), and nothing it guards against
    happens here — batches are never deleted (an undo marks its batch and deletes the rows), the key is set by the
    import itself, never from a user's input, and Django still refuses to delete a batch its rows point to (PROTECT).
    Indexed by each model where its rows are looked up by batch (a partial index: most rows are typed in)."""
    return models.ForeignKey(
        "core.ImportBatch",
        verbose_name="导入批次",
        null=True,
        blank=True,
        editable=False,
        on_delete=models.PROTECT,
        related_name="+",
        db_index=False,
        db_constraint=False,
        **options,
    )


def recorded_by_field(**options):
    """A ledger line's `created_by` (登记人): who typed it in or imported it.

    A key without a database constraint, for the reason of `import_batch_field`: an import writes the same user on
    every line it brings in, and users are deactivated, never deleted (Django would still set the key to NULL if one
    were). Not indexed: never searched by."""
    return models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name="登记人",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        db_index=False,
        db_constraint=False,
        **options,
    )


class LedgerKind(models.TextChoices):
    HAZARDS = "hazards", "隐患台账"
    VIOLATIONS = "violations", "“三违”台账"
    POSITIONING = "positioning", "人员定位下井记录"
    ROSTER = "roster", "人员名册"


class BatchStatus(models.TextChoices):
    IMPORTED = "imported", "已导入"
    UNDONE = "undone", "已撤销"


class ImportBatchQuerySet(MineScopedQuerySet):
    pass


class ImportBatch(models.Model):
    """One import: who brought which file into which mine's ledger, and what came of it. Kept after an undo (the
    undo's who and when are its record)."""

    kind = models.CharField("台账", max_length=20, choices=LedgerKind.choices)
    mine = models.ForeignKey("accounts.Mine", verbose_name="煤矿", on_delete=models.PROTECT, related_name="+")
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name="导入人", null=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField("导入时间", auto_now_add=True)
    file_name = models.CharField("文件名", max_length=200, blank=True)
    total_rows = models.PositiveIntegerField("数据行", default=0)
    created_count = models.PositiveIntegerField("新增", default=0)
    skipped_count = models.PositiveIntegerField("跳过（重复）", default=0)
    error_rows = models.PositiveIntegerField("错误行（未导入）", default=0)
    warning_count = models.PositiveIntegerField("提醒", default=0)
    mapping = models.JSONField("手工对应的列", default=dict, blank=True)
    status = models.CharField("状态", max_length=20, choices=BatchStatus.choices, default=BatchStatus.IMPORTED)
    undone_at = models.DateTimeField("撤销时间", null=True, blank=True)
    undone_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name="撤销人",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )

    objects = ImportBatchQuerySet.as_manager()

    class Meta:
        verbose_name = verbose_name_plural = "导入批次"
        indexes = [models.Index(fields=["mine", "kind", "-created_at"], name="import_batch_mine_kind")]

    def __str__(self):
        return f"{self.get_kind_display()} {self.file_name}（{self.created_at:%Y-%m-%d %H:%M}）"

    @property
    def undo_until(self):
        return self.created_at + UNDO_WINDOW

    @property
    def is_undone(self):
        return self.status == BatchStatus.UNDONE

    def may_be_undone_by(self, user):
        """Who may take an import back, besides being allowed to import into its mine: whoever made it, or the mine's
        own side (its officers, its enterprise's), whose ledger it is — not a bureau user who did not make it: a
        regulator does not delete the records a mine brought in."""
        return self.created_by_id == user.pk or not user.is_bureau_user

    @property
    def within_undo_window(self):
        """Not undone and not yet a day old: whether 撤销 may still be offered (the undo service checks again, with
        whether its rows were worked on since)."""
        from django.utils import timezone

        return not self.is_undone and timezone.now() <= self.undo_until


class ImportMapping(models.Model):
    """The columns a mine mapped by hand for one ledger (sheet header → field), applied to its next file."""

    mine = models.ForeignKey("accounts.Mine", verbose_name="煤矿", on_delete=models.CASCADE, related_name="+")
    kind = models.CharField("台账", max_length=20, choices=LedgerKind.choices)
    mapping = models.JSONField("列对应", default=dict)
    updated_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name="设置人", null=True, on_delete=models.SET_NULL, related_name="+"
    )
    updated_at = models.DateTimeField("设置时间", auto_now=True)

    class Meta:
        verbose_name = verbose_name_plural = "导入列对应"
        constraints = [models.UniqueConstraint(fields=["mine", "kind"], name="import_mapping_one_per_mine_kind")]

    def __str__(self):
        return f"{self.get_kind_display()}列对应"


def pending_upload_name(instance, filename):
    # A random name: the stored path tells nothing about the file and cannot be guessed.
    return f"imports/pending/{uuid.uuid4().hex}.bin"


class PendingImport(models.Model):
    """An uploaded file between its preview and the confirm: kept on the server, found again only by its random
    token together with the user, the mine and the ledger it was uploaded for, and only until it expires."""

    token = models.CharField("令牌", max_length=64, unique=True)
    kind = models.CharField("台账", max_length=20, choices=LedgerKind.choices)
    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+")
    mine = models.ForeignKey("accounts.Mine", on_delete=models.CASCADE, related_name="+")
    file = models.FileField(upload_to=pending_upload_name, max_length=200)
    file_name = models.CharField("文件名", max_length=200)
    sha256 = models.CharField(max_length=64)
    #: the columns the user mapped on the page (header → field); `mapped_by_hand`: they replace the remembered ones
    mapping = models.JSONField(default=dict, blank=True)
    mapped_by_hand = models.BooleanField(default=False)
    #: what the preview showed (core.ledger_import.plan_digest): the confirm writes that, or refuses
    digest = models.CharField(max_length=64, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)
    expires_at = models.DateTimeField()

    class Meta:
        verbose_name = verbose_name_plural = "待确认的导入"

    def __str__(self):
        return self.file_name


class IdempotencyStatus(models.TextChoices):
    DONE = "done", "已完成"


class IdempotencyKey(models.Model):
    """One write a client sent with an `Idempotency-Key` header, and the answer it got (core.idempotency).

    The row is written in the same transaction as the view's writes, so a request that crashed leaves neither, and a
    repeat of a request that succeeded (its answer lost on a phone's bad line) gets that answer again instead of a
    second record. Only answers below 400 are kept: a refused record can be corrected and sent under the same key."""

    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+")
    key = models.CharField("幂等键", max_length=100)
    method = models.CharField("方法", max_length=10)
    path = models.CharField("路径", max_length=400)
    #: a hash of what was sent (fields, file names and sizes), to refuse the same key on a different request
    fingerprint = models.CharField(max_length=64)
    status = models.CharField("状态", max_length=10, choices=IdempotencyStatus.choices, default=IdempotencyStatus.DONE)
    response_status = models.PositiveSmallIntegerField("响应状态码", null=True, blank=True)
    response_body = models.BinaryField(default=b"", blank=True)
    response_headers = models.JSONField(default=dict, blank=True)
    created_at = models.DateTimeField("时间", auto_now_add=True, db_index=True)

    class Meta:
        verbose_name = verbose_name_plural = "幂等请求"
        constraints = [models.UniqueConstraint(fields=["user", "key"], name="idempotency_key_unique_per_user")]

    def __str__(self):
        return f"{self.method} {self.path} ({self.key})"
