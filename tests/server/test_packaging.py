"""A plain install works: what the wheel holds and what it declares is all the server needs.

- Every third-party module that server/ and sync/ import is a declared dependency, so a
  ``pip install`` brings it (a module that only the test extra or a dependency's dependency
  brought in works in a checkout and fails on a server).
- pyproject.toml's pins are the versions the lock files hold (``make lock`` keeps them so).
- The wheel holds every data file of the source (catalogues, fonts, migrations), and a wheel
  installed into a fresh venv, away from the checkout, migrates SQLite, seeds the demo and
  answers a login and a list of plans.
"""

from __future__ import annotations

import ast
import json
import os
import re
import shutil
import subprocess
import sys
import textwrap
import tomllib
import zipfile
from importlib.metadata import packages_distributions
from pathlib import Path

import pytest
from packaging.requirements import Requirement
from packaging.utils import canonicalize_name

ROOT = Path(__file__).resolve().parents[2]
PACKAGES = ("server", "sync")
RUNTIME_LOCK = ROOT / "requirements.lock"
TEST_LOCK = ROOT / "requirements-test.lock"


def _pyproject() -> dict:
    return tomllib.loads((ROOT / "pyproject.toml").read_text(encoding="utf-8"))


def _requirements(*, extra: str | None = None) -> list[Requirement]:
    project = _pyproject()["project"]
    lines = project["optional-dependencies"][extra] if extra else project["dependencies"]
    return [Requirement(line) for line in lines]


def _source_files(suffix_is_python: bool) -> list[Path]:
    return sorted(
        path
        for package in PACKAGES
        for path in (ROOT / package).rglob("*")
        if path.is_file()
        and "__pycache__" not in path.parts
        and path.suffix != ".pyc"
        and (path.suffix == ".py") == suffix_is_python
    )


def _imported_top_level_modules() -> dict[str, set[str]]:
    """Top-level module name -> the files importing it (relative imports left out)."""
    found: dict[str, set[str]] = {}
    for path in _source_files(suffix_is_python=True):
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"), str(path))):
            if isinstance(node, ast.Import):
                names = [alias.name for alias in node.names]
            elif isinstance(node, ast.ImportFrom) and node.level == 0 and node.module:
                names = [node.module]
            else:
                continue
            for name in names:
                found.setdefault(name.partition(".")[0], set()).add(str(path.relative_to(ROOT)))
    return found


def test_every_third_party_import_is_a_declared_dependency():
    declared = {canonicalize_name(requirement.name) for requirement in _requirements()}
    distributions = packages_distributions()
    undeclared = {}
    for module, files in sorted(_imported_top_level_modules().items()):
        if module in sys.stdlib_module_names or module in PACKAGES:
            continue
        providers = {canonicalize_name(name) for name in distributions.get(module, [])}
        if not providers & declared:
            undeclared[module] = (sorted(providers) or ["no installed distribution"], files)
    assert not undeclared, (
        "imported by server/ or sync/ but not in [project].dependencies "
        "(module: (distribution, importing files)): " + repr(undeclared)
    )


def test_every_dependency_is_pinned_exactly():
    loose = [
        str(requirement)
        for extra in (None, "test")
        for requirement in _requirements(extra=extra)
        if not re.fullmatch(r"==[^,*]+", str(requirement.specifier))
    ]
    assert not loose, f"pin these exactly (name==version): {loose}"


def _locked_versions(lock: Path) -> dict[str, str]:
    # A pin may name extras (``psycopg[binary]==3.3.9``): the locks keep them (Makefile).
    pins = re.findall(
        r"^([A-Za-z0-9._-]+)(?:\[[^\]]*\])?==([^\s;\\]+)", lock.read_text(), re.MULTILINE
    )
    return {canonicalize_name(name): version for name, version in pins}


@pytest.mark.parametrize(
    ("lock", "extras"), [(RUNTIME_LOCK, (None,)), (TEST_LOCK, (None, "test"))], ids=["run", "test"]
)
def test_lock_holds_the_pinned_version_of_every_dependency(lock, extras):
    locked = _locked_versions(lock)
    disagree = {
        requirement.name: (
            str(requirement.specifier),
            locked.get(canonicalize_name(requirement.name)),
        )
        for extra in extras
        for requirement in _requirements(extra=extra)
        if locked.get(canonicalize_name(requirement.name)) != str(requirement.specifier)[2:]
    }
    assert not disagree, f"pyproject.toml and {lock.name} disagree (run make lock): {disagree}"


def test_runtime_lock_is_the_test_lock_without_the_test_tools():
    runtime, test = _locked_versions(RUNTIME_LOCK), _locked_versions(TEST_LOCK)
    assert {name: test.get(name) for name in runtime} == runtime


# --- the wheel ---------------------------------------------------------------------------


@pytest.fixture(scope="module")
def wheel(tmp_path_factory) -> Path:
    """The wheel, built from a copy of the source (a build in the checkout leaves build/)."""
    source = tmp_path_factory.mktemp("source")
    for name in ("pyproject.toml", "README.md"):
        shutil.copy2(ROOT / name, source / name)
    for package in PACKAGES:
        shutil.copytree(
            ROOT / package, source / package, ignore=shutil.ignore_patterns("__pycache__")
        )
    out = tmp_path_factory.mktemp("wheel")
    _run([sys.executable, "-m", "pip", "wheel", "--no-deps", "--quiet", "-w", out, source])
    (built,) = out.glob("folg-*.whl")
    return built


def _run(command: list, **kwargs) -> subprocess.CompletedProcess:
    result = subprocess.run(
        [str(part) for part in command], capture_output=True, text=True, **kwargs
    )
    assert result.returncode == 0, f"{command} failed:\n{result.stdout}\n{result.stderr}"
    return result


@pytest.mark.slow
def test_wheel_holds_every_data_file_of_the_source(wheel):
    with zipfile.ZipFile(wheel) as archive:
        shipped = set(archive.namelist())
    missing = [
        str(path.relative_to(ROOT))
        for path in _source_files(suffix_is_python=False)
        if path.relative_to(ROOT).as_posix() not in shipped
    ]
    assert not missing, f"add these to [tool.setuptools.package-data]: {missing}"


# Run by the installed venv's python: the app gunicorn serves (server.wsgi), one login and a
# list of plans, and proof that the code answering is the installed copy.
REQUEST_SCRIPT = textwrap.dedent(
    """
    import json, sys
    import server
    from server.wsgi import app

    client = app.test_client()
    login = client.post(
        "/api/auth/login", json={"email": "leder@demo.test", "password": "folg-demo"}
    )
    token = login.get_json()["token"] if login.status_code == 200 else None
    plans = client.get("/api/plans", headers={"Authorization": f"Bearer {token}"})
    refused = client.post(
        "/api/auth/login",
        json={"email": "leder@demo.test", "password": "wrong"},
        headers={"Accept-Language": "da"},
    )
    print(json.dumps({
        "danish": refused.get_json()["message"],
        "server_file": server.__file__,
        "login": login.status_code,
        "plans": plans.status_code,
        "plan_count": len(plans.get_json() or []),
    }))
    """
)


@pytest.mark.slow
def test_installed_wheel_migrates_seeds_and_answers_away_from_the_checkout(wheel, tmp_path):
    venv = tmp_path / "venv"
    _run([sys.executable, "-m", "venv", venv])
    python = venv / "bin" / "python"
    pip = [python, "-m", "pip", "install", "--quiet", "--disable-pip-version-check"]
    # Only the runtime lock: a module that only the test extra brings would be missing here.
    _run(pip + ["--require-hashes", "-r", RUNTIME_LOCK])
    _run(pip + ["--no-deps", wheel])

    work = tmp_path / "work"  # cwd: nothing of the checkout is importable from here
    work.mkdir()
    env = {
        "PATH": f"{venv / 'bin'}:{os.environ.get('PATH', '/usr/bin:/bin')}",
        "HOME": str(tmp_path),
        "LANG": "C.UTF-8",
        "FOLG_DATABASE_URL": f"sqlite:///{tmp_path / 'folg.sqlite3'}",
        "FOLG_SECRET_KEY": "packaging-test",
        "FOLG_VAPID_KEY_FILE": str(tmp_path / "vapid_private.pem"),
    }
    flask = [venv / "bin" / "flask", "--app", "server"]
    _run(flask + ["db", "upgrade"], cwd=work, env=env)
    _run(flask + ["seed-demo"], cwd=work, env=env)
    (work / "request.py").write_text(REQUEST_SCRIPT)
    answer = _run([python, "request.py"], cwd=work, env=env).stdout.strip().splitlines()[-1]

    result = json.loads(answer)
    assert Path(result["server_file"]).is_relative_to(venv), result
    assert (result["login"], result["plans"]) == (200, 200), result
    assert result["plan_count"] >= 1, result
    # The compiled catalogues came along: a refusal in Danish.
    assert result["danish"] == "Forkert e-mailadresse eller adgangskode.", result
