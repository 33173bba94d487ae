import pytest
from django.core.files.uploadedfile import SimpleUploadedFile

FIXTURES = __import__("pathlib").Path(__file__).resolve().parents[1] / "fixtures"


@pytest.fixture
def sample_ledger():
    return SimpleUploadedFile("hazard-ledger-sample.xlsx", (FIXTURES / "hazard-ledger-sample.xlsx").read_bytes())
