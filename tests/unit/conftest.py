"""Unit tests run without a database: the reference lists read as their seed (db.reference)."""
from __future__ import annotations

import pytest

from services import reference_data


@pytest.fixture(autouse=True)
def seeded_reference_data(monkeypatch):
    monkeypatch.setattr(reference_data, "current", reference_data.seed_data)
