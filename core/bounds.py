"""Plausible bounds of everything a user types, sends or imports: dates, numbers and texts.

The rule is stated once, here, and attached to the model fields as `validators=`: ModelForms (and the admin) run
them in their model validation, ModelSerializers copy them; the plain forms and serializers take the model field's
own validators with `validators_of`; the ledger importers run them on every cell (core.ledger_import.bound_errors).
So a date of year 1 or 9999, 1,000,000 days off or a 100,000-character text is refused the same way everywhere,
with a Chinese message, before anything is written.

Dates. The floor is one fixed date rather than "the campaign ± a few years": many records belong to no campaign
(certificates, rosters, red-line lists, ledger lines imported from before the campaign), a campaign can be cloned
to new dates after its records exist, and a campaign's own dates need a bound too. 2000-01-01 is well before
anything these ledgers hold (a 特种作业操作证 is valid six years and reviewed every three; mines' ledgers go back a
few years), and the 2024 campaign data of the tests and the demo is far inside it. "Today" is always
`timezone.localdate()` (the bureau's day, Asia/Shanghai), never the machine's date.
"""

import contextlib
import datetime as dt

from django.core.exceptions import ValidationError
from django.core.validators import MaxLengthValidator, MaxValueValidator, MinValueValidator
from django.utils import timezone
from django.utils.deconstruct import deconstructible

#: no record of the product carries a date before this (see the module's docstring for why a fixed floor)
DATE_FLOOR = dt.date(2000, 1, 1)
#: a planned date (due date, deadline, effective date, retraining due …) is at most this many years ahead
PLANNED_YEARS = 5
#: a certificate's expiry: 特种作业操作证 are valid six years
EXPIRY_YEARS = 10

#: notes, reasons, findings, replies: a paragraph or a few
NOTE_CHARS = 2000
#: descriptions, measures, plans, notices, bulletins: a page or two
LONG_TEXT_CHARS = 5000

MAX_SUSPENSION_DAYS = 365  # 停工学习: a year off is already the end of the job
MAX_FINE_YUAN = 100_000  # a 三违 fine on one person is tens to a few thousand yuan
MAX_FUNDS_YUAN = 100_000_000  # one hazard's rectification: beyond 1亿元 it is a construction project
MAX_SCORE = 100
MAX_SESSION_HOURS = 24  # 学时 of one session
MAX_DAY_MINUTES = 24 * 60  # a trip underground, a time at the face, a dispatch lead
MAX_CAPACITY_MT = 10_000  # 万吨/年: the largest mines in the country are far below
MAX_FIGURE = 1_000_000  # counts and figures of a report or a task's progress
MAX_ORDER = 10_000  # positions in a list, version numbers
MAX_FILE_BYTES = 1024 * 1024 * 1024  # a stored upload (the upload limit itself is far lower)


#: how far the machine's date may be from the bureau's (time zones from UTC-12 to UTC+14, and a day to spare): a date
#: this far before the machine's is before the bureau's today too, and is checked without `timezone.localdate()`,
#: which an import of 10,000 rows would otherwise ask for 40,000 times
CLOCKS_APART = dt.timedelta(days=3)


def _date_text(day):
    return f"{day.year}年{day.month}月{day.day}日"


def _years_after(day, years):
    try:
        return day.replace(year=day.year + years)
    except ValueError:  # 29 February
        return day.replace(year=day.year + years, day=28)


def _as_local_date(value):
    if isinstance(value, dt.datetime):
        if timezone.is_aware(value):
            # Year 1 or 9999 may not convert: out of range either way, and said so by the caller.
            with contextlib.suppress(OverflowError, ValueError):
                value = timezone.localtime(value)
        return value.date()
    return value


@deconstructible
class DateBounds:
    """A date (or the local date of a datetime) not before DATE_FLOOR and not after today + `days_ahead` days
    + `years_ahead` years."""

    def __init__(self, *, days_ahead=0, years_ahead=0):
        self.days_ahead = days_ahead
        self.years_ahead = years_ahead

    def latest(self):
        return _years_after(timezone.localdate(), self.years_ahead) + dt.timedelta(days=self.days_ahead)

    def __call__(self, value):
        day = _as_local_date(value)
        if not isinstance(day, dt.date):
            return  # not a date: the field's own parsing says so
        if day < DATE_FLOOR:
            raise ValidationError(f"日期不能早于 {_date_text(DATE_FLOOR)}。", code="date_too_early")
        if day < dt.date.today() - CLOCKS_APART:
            return  # before any "today" of the bureau's: the common case of a ledger's dates, without its time zone
        latest = self.latest()
        if day > latest:
            if not self.days_ahead and not self.years_ahead:
                raise ValidationError("日期不能晚于今天。", code="date_in_future")
            if not self.years_ahead and self.days_ahead == 1:
                raise ValidationError("日期不能晚于明天。", code="date_too_late")
            raise ValidationError(f"日期不能晚于 {_date_text(latest)}。", code="date_too_late")

    def __eq__(self, other):
        return (
            isinstance(other, DateBounds)
            and self.days_ahead == other.days_ahead
            and self.years_ahead == other.years_ahead
        )

    def __hash__(self):
        return hash((self.days_ahead, self.years_ahead))


#: something that has happened (found on, occurred on, held on, done on, a trip, a handover): not after today
past_date = DateBounds()
#: something that happens soon after it is recorded (the shift a handover is dispatched for): not after tomorrow
next_day_date = DateBounds(days_ahead=1)
#: something planned (due date, deadline, effective date, a campaign's dates): at most PLANNED_YEARS ahead
planned_date = DateBounds(years_ahead=PLANNED_YEARS)
#: a certificate's expiry date
expiry_date = DateBounds(years_ahead=EXPIRY_YEARS)


def at_most(limit, what, unit=""):
    """`what` (e.g. "停工学习天数") is at most `limit`, said so in Chinese."""
    return MaxValueValidator(limit, message=f"{what}不能超过 {limit:,}{unit}。")


def at_least(limit, what, unit=""):
    return MinValueValidator(limit, message=f"{what}不能小于 {limit}{unit}。")


def not_negative(what):
    return MinValueValidator(0, message=f"{what}不能为负数。")


def text_at_most(limit):
    """A text of at most `limit` characters; the message says how long the one given is."""
    return MaxLengthValidator(limit, message=f"内容不能超过 {limit} 字（现有 %(show_value)d 字）。")


def note_text():
    return text_at_most(NOTE_CHARS)


def long_text():
    return text_at_most(LONG_TEXT_CHARS)


def validators_of(model, field_name):
    """The model field's validators, for a plain form or serializer field that feeds it: the same rule, once."""
    return list(model._meta.get_field(field_name).validators)


def up_to(limit, what, unit=""):
    """Not negative and at most `limit`: the validators of an amount, a count or a duration."""
    return [not_negative(what), at_most(limit, what, unit)]


def figure(what):
    """A count or figure of a report or a task."""
    return up_to(MAX_FIGURE, what)


def score(what):
    """An exam score or pass mark: 0 to MAX_SCORE."""
    return up_to(MAX_SCORE, what, " 分")
