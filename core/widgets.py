import html
from dataclasses import dataclass

from django import forms
from django.forms.utils import flatatt
from django.utils.choices import CallableChoiceIterator
from django.utils.safestring import mark_safe


def _key_of(option_value):
    """An option's value as the browser sends it back (what a chosen value is compared with)."""
    return "" if option_value is None else str(option_value)


def _option(option_value, label, selected=False):
    key = _key_of(option_value)
    # html.escape is what django.utils.html.escape calls, without its lazy-string wrapper: a province's bar escapes
    # 5,000 mines' names, and the wrapper cost more than the rest of the <select>. An id (an int) has nothing to escape.
    value_text = key if type(option_value) is int else html.escape(key)
    return f'<option value="{value_text}"{" selected" if selected else ""}>{html.escape(str(label))}</option>'


@dataclass(frozen=True)
class WrittenOptions:
    """Flat (value, label) choices already written as their <option> tags, none selected; `first` is the first pair
    (FastSelect's `required` reads it). A long list kept in the cache as this one string (a province's 5,000 mines)
    is drawn with a replace per chosen value, not unpickled and written pair by pair on every page."""

    text: str = ""
    first: tuple | None = None

    @classmethod
    def of(cls, choices):
        choices = list(choices)
        return cls("".join(_option(value, label) for value, label in choices), choices[0] if choices else None)

    def __add__(self, other):
        return WrittenOptions(self.text + other.text, self.first if self.first is not None else other.first)

    def selecting(self, chosen):
        """The options with each of `chosen` (the values as sent back) selected, as FastSelect writes them pair by
        pair. Every value is written escaped (an id's escape is itself), so a chosen value's escape matches its own
        option's opening tag only: nothing in a label or another value can contain `<option value="…">`."""
        text = self.text
        for key in chosen:
            tag = f'<option value="{html.escape(key)}">'
            text = text.replace(tag, f'<option value="{html.escape(key)}" selected>')
        return text


class FastSelect(forms.Select):
    """A <select> written directly, not one template per option: a bureau's filter bar lists thousands of mines, and
    Django's template-rendered options took most of the page's time (0.4 s for 5,000 mines). Flat (value, label)
    choices only, as a filter bar has, or WrittenOptions."""

    def render(self, name, value, attrs=None, renderer=None):
        final_attrs = self.build_attrs(self.attrs, {**(attrs or {}), "name": name})
        chosen = {str(v) for v in self.format_value(value)}
        choices = self._flat_choices()
        if isinstance(choices, WrittenOptions):
            options = choices.selecting(chosen)
        else:
            options = "".join(_option(option, label, _key_of(option) in chosen) for option, label in choices)
        return mark_safe(f"<select{flatatt(final_attrs)}>{options}</select>")  # every value and label is escaped

    def use_required_attribute(self, initial):
        # Select's own reads the first choice through the normalising iterator, which normalises the whole list first.
        if not forms.Widget.use_required_attribute(self, initial):
            return False
        choices = self._flat_choices()
        first_choice = choices.first if isinstance(choices, WrittenOptions) else next(iter(choices), None)
        return first_choice is not None and self._choice_has_empty_value(first_choice)

    def _flat_choices(self):
        # Choices given as a callable are normalised pair by pair when iterated (Django's normalize_choices: 10,000
        # calls for 5,000 mines) although flat pairs come out as they went in; read the callable's pairs directly.
        choices = self.choices
        if isinstance(choices, CallableChoiceIterator):
            return choices.func()
        return choices


#: a date field as the browser's date picker (ISO dates both ways), for every form and filter bar
DATE = forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")
