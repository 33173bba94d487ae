"""What the campaign app tells the apps above it, which it may not import (tests/core/test_layers.py).

`progress_reviewed` is sent by campaign.verification each time the bureau verified or returned a declared item, INSIDE
the review's transaction: the notifications app's receiver writes the unit's notice (bell and e-mail) in that same
transaction, so a returned item is never left without its notice, nor a notice without its return. Arguments:
`progress` (the RequirementProgress, its state already changed), `declaration` (the ProgressDeclaration just
reviewed), `actor` (the bureau's user).

`campaign_revised` is sent with a CampaignRevision when a campaign is published (version 1) or changed after
publishing (each later version); notifications tells the organisations concerned, once per version."""

from django.dispatch import Signal

progress_reviewed = Signal()
campaign_revised = Signal()  # kwargs: revision (campaign.CampaignRevision)
