"""When a dated thing deserves a notice, as pure functions of the date: a sweep run late sends the step that
applies now, never each step it missed, so catching up after downtime does not flood anyone."""

from campaign import figures

#: the 2024 notice's reminder days (7, 3, 1); a campaign sets its own (campaign.figures.reminder_days), which the
#: sweeps pass in. (The figure itself is not re-exported under its own name here: two sweeps once imported it from
#: this module expecting a tuple of days and got the figure.)
DEFAULT_REMINDER_DAYS = figures.REMINDER_DAYS.default
#: items past due longer than this are not chased again after a long outage (they were escalated then)
CATCH_UP_DAYS = 60


def reminder_step(days_left, reminder_days=DEFAULT_REMINDER_DAYS):
    """'d-7', 'd-3' or 'd-1' (of `reminder_days`) for the reminder that applies with `days_left` days to go, else
    None."""
    if days_left < 0:
        return None
    for days in sorted(reminder_days):
        if days_left <= days:
            return f"d-{days}"
    return None


def overdue_round(days_overdue):
    """0 on the first day after the due date, then 1, 2, … each further week while still missing."""
    if days_overdue < 1:
        return None
    return (days_overdue - 1) // 7


def md(day):
    """11月3日"""
    return f"{day.month}月{day.day}日"


def ymd(day):
    """2024年11月3日"""
    return f"{day.year}年{day.month}月{day.day}日"
