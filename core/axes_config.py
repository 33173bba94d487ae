from axes.apps import AppConfig as AxesConfig


class LoginLockoutConfig(AxesConfig):
    """django-axes (login failures and lockouts) as the admin names it: its app has no verbose name of its own, so the
    admin would show “Axes”. Its tables and columns are translated in locale/; what only code can name, in
    core/admin.py. (A module of its own: two AppConfigs in core/apps.py would leave Django unsure which is core's.)"""

    verbose_name = "登录失败与锁定"
