from django import forms
from django.contrib.auth.forms import AuthenticationForm


class LoginForm(AuthenticationForm):
    error_messages = {
        "invalid_login": "用户名或密码不正确，请重新输入（注意区分大小写）。",
        "inactive": "该账号已停用，请联系系统管理员。",
    }

    username = forms.CharField(label="用户名", max_length=150, widget=forms.TextInput(attrs={"autofocus": True}))
    password = forms.CharField(label="密码", strip=False, widget=forms.PasswordInput)


class NoticePreferenceForm(forms.ModelForm):
    class Meta:
        from .models import User

        model = User
        fields = ["email", "email_notices"]
        labels = {"email": "电子邮箱", "email_notices": "同时用电子邮件通知我"}
