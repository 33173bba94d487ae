"""What the hazard ledger tells the apps above it, which it may not import (tests/core/test_layers.py).

`major_hazards_changed` is sent by `services.mine_refresh_status` each time the major hazards of a mine changed: one
registered, imported, made major, closed, or removed by an undone import. It is sent synchronously, INSIDE the
transaction that changed the hazard and locked the mine row, not on commit: the enforcement app's receiver writes the
停产整顿 record (who, since when, which hazards, the status the mine had before) in that same transaction, so a
suspension is never lost between a committed status change and a crashed after-commit hook, and a receiver that
refuses (raises a DomainError) rolls the whole step back.

Arguments: `mine` (the Mine row, locked, its status already updated), `previous_status` (the mine's status before
this step), `has_open_major` (whether a major hazard of the mine is still open), `actor` (the user, or None),
`hazard` (the one hazard of the step, or None for an import or its undo) and `change` (one of CHANGES)."""

from django.dispatch import Signal

OPENED = "opened"  # registered or imported as major, or made major by an edit
CLOSED = "closed"  # accepted (验收销号)
CHANGED = "changed"  # edited: level or content of a major hazard
REMOVED = "removed"  # an import undone took major hazards away
CHANGES = (OPENED, CLOSED, CHANGED, REMOVED)

major_hazards_changed = Signal()
