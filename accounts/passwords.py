import re

from django.core.exceptions import ValidationError


class CharacterClassValidator:
    """A password must mix letters and digits (and may not be all one kind of character)."""

    def validate(self, password, user=None):
        if not (re.search(r"[A-Za-z]", password) and re.search(r"\d", password)):
            raise ValidationError("密码必须同时包含字母和数字。", code="password_character_classes")

    def get_help_text(self):
        return "密码必须同时包含字母和数字。"


class MinimumLengthValidator:
    """Django's rule, with the Chinese message its catalogue lacks for this plural form."""

    def __init__(self, min_length=10):
        self.min_length = min_length

    def validate(self, password, user=None):
        if len(password) < self.min_length:
            raise ValidationError(f"密码太短，至少需要 {self.min_length} 个字符。", code="password_too_short")

    def get_help_text(self):
        return f"密码至少需要 {self.min_length} 个字符。"
