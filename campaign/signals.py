"""What the campaign tells the apps above it without importing them (the apps depend one way,
tests/core/test_layers.py): `campaign_revised` is sent with a CampaignRevision when a campaign is published (version 1)
or changed after publishing (each later version); notifications tells the organisations concerned, once per version."""

from django.dispatch import Signal

campaign_revised = Signal()  # kwargs: revision (campaign.CampaignRevision)
