"""Posting a page's form as a browser would: every field with the value the page rendered, then the changes."""


def form_data(response, name="form", **changes):
    """The data a browser posts for the form `name` of a rendered page (hidden `row_version` included)."""
    form = response.context[name]
    data = {}
    for field_name in form.fields:
        value = form[field_name].value()
        if value is None:
            value = ""
        elif isinstance(value, list | tuple):
            value = [str(v) for v in value]
        elif hasattr(value, "isoformat"):
            value = value.isoformat()
        data[field_name] = value
    data.update(changes)
    return data
