"""The dialogue's tests use the sync tests' raw protocol client and the push tests' receiver."""

from tests.push.conftest import push_app, receiver  # noqa: F401 (fixtures)
from tests.sync.conftest import api  # noqa: F401 (a fixture)
