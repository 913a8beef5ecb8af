"""The dialogue's tests use the sync tests' raw protocol client."""

from tests.sync.conftest import api  # noqa: F401 (a fixture)
