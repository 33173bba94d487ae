"""The .docx of an enforcement document, by its kind: `document_docx(document)` dispatches to the builder registered
for the kind (`@register_builder(DocumentKind.X)` on a function of the document that returns the saved file). Every
builder lays its document out with core.documents (GB/T 9704); the views answer with core.views.docx_response.

Builders live in the modules `enforcement/docx_<part>.py` of each part of the enforcement phase (documents,
suspension, penalty): they are found and imported here the first time a document is asked for, so a part adds its
kinds without editing this registry."""

import pkgutil
from importlib import import_module
from pathlib import Path

from .models import DocumentKind

_BUILDERS = {}
_FALLBACK = []
_DISCOVERED = []


def register_builder(kind):
    """Decorator: `fn(document) -> BytesIO` builds the .docx of documents of `kind`."""
    kind = DocumentKind(kind)

    def register(fn):
        _BUILDERS[kind] = fn
        return fn

    return register


def register_fallback(fn):
    """Decorator: the builder of any kind nobody registered a builder for yet (its fields laid out from kinds.py), so
    a kind a part has not laid out yet still downloads."""
    _FALLBACK[:] = [fn]
    return fn


def _discover():
    if _DISCOVERED:
        return
    package = Path(__file__).resolve().parent
    for module in pkgutil.iter_modules([str(package)]):
        if module.name.startswith("docx_"):
            import_module(f"{__package__}.{module.name}")
    _DISCOVERED.append(True)


def has_builder(kind):
    _discover()
    return DocumentKind(kind) in _BUILDERS


def document_docx(document):
    """The document as a .docx (a BytesIO, read from the start): its kind's builder, or the generic one."""
    _discover()
    builder = _BUILDERS.get(DocumentKind(document.kind)) or (_FALLBACK[0] if _FALLBACK else None)
    if builder is None:
        raise LookupError(f"no .docx builder for {document.kind}")
    return builder(document)
