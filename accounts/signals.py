"""API tokens die with the password they were obtained with, and with the account.

A token is a second password that never expires. Whoever had one keeps it after the owner changes the password
(the change form, the admin's set-password page, `set_password` in a shell) or after the account is deactivated,
unless the tokens go too. Watching the password field itself catches every path, including ones added later.
(Sessions need nothing here: Django ends the other sessions of a user whose password hash changed.)
"""

from django.db.models.signals import post_save, pre_save
from django.dispatch import receiver
from rest_framework.authtoken.models import Token

WATCHED = {"password", "is_active"}


@receiver(pre_save, sender="accounts.User")
def note_credential_change(sender, instance, raw=False, update_fields=None, **kwargs):
    instance._rotate_tokens = False
    if raw or instance.pk is None or (update_fields is not None and not WATCHED & set(update_fields)):
        return
    before = sender._base_manager.filter(pk=instance.pk).values("password", "is_active").first()
    if before is not None and (
        before["password"] != instance.password or (before["is_active"] and not instance.is_active)
    ):
        instance._rotate_tokens = True


@receiver(post_save, sender="accounts.User")
def rotate_tokens(sender, instance, raw=False, **kwargs):
    if getattr(instance, "_rotate_tokens", False):
        Token.objects.filter(user_id=instance.pk).delete()
        instance._rotate_tokens = False
