"""An entity's validation is one function (DESIGN.md §3), used by the service, the form, the API and the importer.

Each ledger states its rules once as `<entity>_problems(instance) -> [(field, message)]`: every problem with the
field it belongs to (None: the record as a whole), in the order a person would fix them. The service raises the
first one as a DomainError (the form shows it on its field, the API answers 400 with it); the importer reports all
of them as row errors under the column the file spells for the field. So a ledger line is refused the same way,
with the same Chinese message, however it arrives.
"""

from django.core.exceptions import ValidationError

from .errors import DomainError
from .excel import RowError


def field_problems(instance, names):
    """The values of `names` on `instance` that break their model field's validators (the bounds of core.bounds:
    dates, numbers, lengths), as (field, message). Empty values are the field's `blank`/`null` to judge, not this."""
    problems = []
    for name in names:
        model_field = instance._meta.get_field(name)
        value = getattr(instance, model_field.attname)
        if value is None or value == "" or model_field.is_relation:
            continue
        try:
            value = model_field.to_python(value)  # a script may pass 1000 for 1000.00 元
        except ValidationError:
            continue  # not a value of the field's type at all: the form, the serializer or the parser says so
        try:
            model_field.run_validators(value)
        except ValidationError as exc:
            problems.extend((name, message) for message in exc.messages)
    return problems


def raise_first(problems):
    """For a service: the first problem as the DomainError the form, the API and a script all see."""
    if problems:
        name, message = problems[0]
        raise DomainError(message, field=name)


def problems_as_row_errors(number, problems, headers, errors, *, model, whole_record_column):
    """For an importer: the problems of row `number` as RowErrors under the column the file spells for each field
    (the field's verbose name when the file has no such column); a problem of the whole record (field None) goes
    under the column of `whole_record_column`, the field whose value makes the rule apply.

    A cell that already has an error in `errors` (it could not be read, or broke its bound) is not reported again,
    so one pass over the row reports each thing once. Returns the new errors (also appended to `errors`)."""
    already = {(e.column, e.message) for e in errors if e.row == number}
    bad_columns = {e.column for e in errors if e.row == number}
    new = []
    for name, message in problems:
        field_name = name or whole_record_column
        column = headers.get(field_name) or str(model._meta.get_field(field_name).verbose_name)
        if (column, message) in already or (name and column in bad_columns):
            continue
        already.add((column, message))
        new.append(RowError(number, column, message))
    errors.extend(new)
    return new
