import html

from django import forms
from django.forms.utils import flatatt
from django.utils.choices import CallableChoiceIterator
from django.utils.safestring import mark_safe


class FastSelect(forms.Select):
    """A <select> written directly, not one template per option: a bureau's filter bar lists thousands of mines, and
    Django's template-rendered options took most of the page's time (0.4 s for 5,000 mines). Flat (value, label)
    choices only, as a filter bar has."""

    def render(self, name, value, attrs=None, renderer=None):
        final_attrs = self.build_attrs(self.attrs, {**(attrs or {}), "name": name})
        chosen = {str(v) for v in self.format_value(value)}
        parts = [f"<select{flatatt(final_attrs)}>"]
        for option_value, label in self._flat_choices():
            key = "" if option_value is None else str(option_value)
            selected = " selected" if key in chosen else ""
            # html.escape is what django.utils.html.escape calls, without its lazy-string wrapper: a province's bar
            # escapes 5,000 mines' names per page, and the wrapper cost more than the rest of the <select>. An id
            # (an int) has nothing to escape.
            value_text = key if type(option_value) is int else html.escape(key)
            parts.append(f'<option value="{value_text}"{selected}>{html.escape(str(label))}</option>')
        parts.append("</select>")
        return mark_safe("".join(parts))  # every value and label is escaped above

    def use_required_attribute(self, initial):
        # Select's own reads the first choice through the normalising iterator, which normalises the whole list first.
        if not forms.Widget.use_required_attribute(self, initial):
            return False
        first_choice = next(iter(self._flat_choices()), None)
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
