from django import forms
from django.forms.utils import flatatt
from django.utils.html import escape
from django.utils.safestring import mark_safe


class FastSelect(forms.Select):
    """A <select> written directly, not one template per option: a bureau's filter bar lists thousands of mines, and
    Django's template-rendered options took most of the page's time (0.4 s for 5,000 mines)."""

    def render(self, name, value, attrs=None, renderer=None):
        final_attrs = self.build_attrs(self.attrs, {**(attrs or {}), "name": name})
        chosen = {str(v) for v in self.format_value(value)}
        parts = [f"<select{flatatt(final_attrs)}>"]
        for option_value, label in self.choices:
            key = "" if option_value is None else str(option_value)
            selected = " selected" if key in chosen else ""
            parts.append(f'<option value="{escape(key)}"{selected}>{escape(label)}</option>')
        parts.append("</select>")
        return mark_safe("".join(parts))  # every value and label is escaped above


#: a date field as the browser's date picker (ISO dates both ways), for every form and filter bar
DATE = forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")
