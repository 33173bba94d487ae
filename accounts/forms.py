from django import forms
from django.contrib.auth.forms import AuthenticationForm

from core.concurrency import RowVersionFormMixin
from core.mines import visible_mines
from core.widgets import DATE

from .models import SupervisorDuty
from .selectors import supervisor_candidates


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


class MineSupervisorForm(forms.Form):
    """监管专员包保: which mine (when adding), who, and their share of it. The service decides who may be named."""

    mine = forms.ModelChoiceField(label="煤矿", queryset=None, empty_label="请选择煤矿")
    supervisor = forms.ModelChoiceField(label="监管专员", queryset=None, empty_label="请选择监管专员")
    duty = forms.ChoiceField(label="包保分工", choices=())
    since = forms.DateField(label="包保起始日期", required=False, widget=DATE)
    note = forms.CharField(label="备注", max_length=200, required=False, help_text="如：驻矿监管、分管采掘系统")

    def __init__(self, *args, user, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["duty"].choices = SupervisorDuty.choices
        self.fields["supervisor"].queryset = supervisor_candidates(bureau_id=user.bureau_id)
        self.fields["supervisor"].label_from_instance = lambda u: f"{u.display_name}（{u.title or u.username}）"
        self.fields["mine"].queryset = visible_mines(user)


class MineSupervisorEditForm(RowVersionFormMixin, MineSupervisorForm):
    """The same, for an assignment already there: its mine stays, the page names the version it showed."""

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        del self.fields["mine"]


class BureauContactsForm(forms.Form):
    contact_phone = forms.CharField(label="联系电话", max_length=40, required=False)
    contact_email = forms.EmailField(
        label="电子邮箱", max_length=100, required=False, error_messages={"invalid": "请输入有效的电子邮箱地址。"}
    )
