"""What the ``flask`` commands print speaks the terminal's language (LANGUAGE, LC_ALL,
LC_MESSAGES, LANG), refusals and reports alike. The help texts stay English on purpose
(docs/translation.md, *Command-line help*)."""

from __future__ import annotations

import pytest

from server.i18n import refresh_locale
from tests.i18n.catalogue import LANGUAGES, english_in

pytestmark = pytest.mark.parametrize("language", LANGUAGES)

PASSWORD = "Fire lange ord i en sætning 2026"


@pytest.fixture
def terminal(monkeypatch):
    """Speak ``language`` in the terminal, as an operator with LANG=da_DK.UTF-8 would."""

    def speak(language: str) -> None:
        for name in ("LC_ALL", "LC_MESSAGES", "LANG"):
            monkeypatch.delenv(name, raising=False)
        monkeypatch.setenv("LANGUAGE", language)
        monkeypatch.setenv("FOLG_NEW_USER_PASSWORD", PASSWORD)
        refresh_locale()  # the test's app context outlives one command

    return speak


def _run(runner, *args: str) -> str:
    result = runner.invoke(args=list(args))
    return result.output


EXPECTED = {
    "da": {
        "unit": "Oprettede dk_tilbud 'Lærkevej'",
        "user": "Oprettede leder@kommune.test (manager i Lærkevej).",
        "password": "Ny adgangskode sat for leder@kommune.test",
        "catalogues": "kilde:",
        "reminders": "Satte 0 nye påmindelser i kø (0 var allerede i kø).",
        "gc": "Ville slette 0 færdigbehandlede notifikationer",
        "refusal": "Angiv enten --organisation",
    },
    "sv": {
        "unit": "Skapade dk_tilbud 'Lærkevej'",
        "user": "Skapade leder@kommune.test (manager i Lærkevej).",
        "password": "Nytt lösenord satt för leder@kommune.test",
        "catalogues": "källa:",
        "reminders": "Köade 0 nya påminnelser (0 fanns redan i kön).",
        "gc": "Skulle radera 0 färdigbehandlade notiser",
        "refusal": "Ange antingen --organisation",
    },
}


def test_what_the_commands_print_is_in_the_terminals_language(runner, terminal, language):
    terminal(language)
    printed = {
        "unit": _run(
            runner,
            *("create-unit", "--name", "Lærkevej", "--kind", "dk_tilbud"),
            *("--organisation", "Kommunen", "--country", "DK"),
        ),
        "user": _run(
            runner,
            *("create-user", "--email", "leder@kommune.test", "--name", "Leder"),
            *("--role", "manager:Lærkevej"),
        ),
        "password": _run(runner, "reset-password", "--email", "leder@kommune.test"),
        "catalogues": _run(runner, "catalogues", "list"),
        "reminders": _run(runner, "send-reminders", "--no-send"),
        "gc": _run(runner, "sync-gc", "--dry-run"),
        "refusal": _run(runner, "create-unit", "--name", "X", "--kind", "dk_tilbud"),
    }

    for what, words in EXPECTED[language].items():
        assert words in printed[what], (what, printed[what])
    assert english_in(list(printed.values()), language) == []
