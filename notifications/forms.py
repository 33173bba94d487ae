from django import forms

from .models import Channel, DeliveryStatus, RobotKind


class RobotForm(forms.Form):
    kind = forms.ChoiceField(label="类型", choices=RobotKind.choices)
    name = forms.CharField(label="名称", max_length=60, help_text="如“县局值班群”。")
    webhook_url = forms.CharField(
        label="Webhook 地址",
        max_length=500,
        help_text="在群设置 → 群机器人 → 添加机器人后复制。保存后页面只显示隐去密钥的地址。",
    )
    # never rendered back: a blank field on a change keeps the stored secret
    secret = forms.CharField(
        label="加签密钥（钉钉）",
        max_length=200,
        required=False,
        widget=forms.PasswordInput(render_value=False, attrs={"autocomplete": "off"}),
        help_text="钉钉机器人安全设置选“加签”，填写以 SEC 开头的密钥；修改时留空表示不变。",
    )
    active = forms.BooleanField(label="启用", required=False, initial=True)


class DeliveryFilterForm(forms.Form):
    status = forms.ChoiceField(label="状态", choices=[("", "全部状态"), *DeliveryStatus.choices], required=False)
    channel = forms.ChoiceField(label="渠道", choices=[("", "全部渠道"), *Channel.choices], required=False)


class QuietHoursForm(forms.Form):
    start = forms.TimeField(
        label="免打扰开始",
        widget=forms.TimeInput(attrs={"type": "time"}, format="%H:%M"),
        error_messages={"invalid": "请按“时:分”填写。"},
    )
    end = forms.TimeField(
        label="免打扰结束",
        widget=forms.TimeInput(attrs={"type": "time"}, format="%H:%M"),
        error_messages={"invalid": "请按“时:分”填写。"},
    )
