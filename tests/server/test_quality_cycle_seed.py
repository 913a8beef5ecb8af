"""The default årshjul holds what seeds 003 and 004 date, and nothing else (issue 18, point 6).

Read against copies of the seeds (``tests/fixtures/seeds/``): every task quotes its seed, the
quote is in the seed, and the month (and day) of the task are the ones the quote names; every
month seed 004 names is a task. 004 is an OCR of a PDF, so "hösten" is "hésten" there.
"""

from __future__ import annotations

import re
from datetime import date
from pathlib import Path

import pytest

from server.services.quality_cycle import default_due_date, defaults

SEEDS = Path(__file__).resolve().parent.parent / "fixtures" / "seeds"
SEED_FILES = {"003": "003_bf9c0b3d805345b1.txt", "004": "004_2aa41568004cc6d4.txt"}
# Swedish month names, and the autumn: due at its end (30 November).
MONTHS = {
    "januari": 1,
    "februari": 2,
    "mars": 3,
    "april": 4,
    "maj": 5,
    "juni": 6,
    "juli": 7,
    "augusti": 8,
    "september": 9,
    "oktober": 10,
    "november": 11,
    "december": 12,
    "hösten": 11,
    "hésten": 11,
}
MONTH_WORD = re.compile(r"\b(?:(\d{1,2}) )?(" + "|".join(MONTHS) + r")\b", re.IGNORECASE)


def seed_text(seed: str) -> str:
    text = (SEEDS / SEED_FILES[seed]).read_text(encoding="utf-8")
    return " ".join(text.split())


TASKS = defaults()["annual_tasks"]


@pytest.mark.parametrize("task", TASKS, ids=[t["kind"] for t in TASKS])
def test_each_task_quotes_its_seed_and_is_dated_as_the_quote_says(task):
    assert task["quote"] in seed_text(task["seed"])
    named = MONTH_WORD.findall(task["quote"])
    assert len(named) == 1, "a quote names one month"
    day, month = named[0]
    assert task["month"] == MONTHS[month.lower()]
    assert task.get("day") == (int(day) if day else None)


def test_every_month_seed_004_names_is_a_task_and_no_other():
    named = {MONTHS[m.lower()] for _, m in MONTH_WORD.findall(seed_text("004"))}
    assert named == {t["month"] for t in TASKS if t["seed"] == "004"}
    assert {t["kind"] for t in TASKS if t["seed"] == "003"} == {"competence_survey"}
    # The kvalitetsberättelse and the three compilations a year have no date in the seeds.
    assert "quality_report" not in {t["kind"] for t in TASKS}


def test_the_october_competence_survey_of_seed_003s_table_is_in_the_arshjul():
    row = next(
        line for line in seed_text("003").split("Personalens kompetens")[1:] if "oktober" in line
    )
    assert "enkät i oktober" in row
    (task,) = [t for t in TASKS if t["kind"] == "competence_survey"]
    assert default_due_date(task, 2027) == date(2027, 10, 31)


def test_a_month_without_a_day_is_due_on_its_last_day_leap_years_too():
    (sent,) = [t for t in TASKS if t["kind"] == "survey_sent"]
    assert default_due_date(sent, 2027) == date(2027, 2, 28)
    assert default_due_date(sent, 2028) == date(2028, 2, 29)
    (due,) = [t for t in TASKS if t["kind"] == "survey_due"]
    assert default_due_date(due, 2028) == date(2028, 3, 1)
