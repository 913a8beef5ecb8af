"""Survey links: made by a manager, answered once by someone with no account (seed 004).

    manager (REST, online)                       respondent (a phone, no login)
    create_links ── N tokens, shown once ──────> GET  /s/<token>   the questions
    list_links / link_summary (answered, open)   POST /s/<token>   answer_link
    reissue_link ── a new token; the old dies    │
    withdraw_link                                └─> survey_responses, as if typed in

A link's state (``state_of``)::

    open ──answer──> answered        (final: a second answer is refused, translated)
      │ └──expires_on passes──> expired ──reissue──> open (a new token, a new date)
      └──withdraw──> withdrawn       (final)

The answer is checked by the very rules that check a typed-in response (the write schema and
``quality.TABLES["survey_responses"].check``), becomes an ordinary synced ``survey_responses``
row of the link's unit, and so flows into everything that reads responses: the PWA's survey
summary, the kvalitetsberättelse, devices through sync. The link is marked used by one
conditional UPDATE (``answered_on IS NULL``), so two simultaneous answers cannot both count.

Tokens are 32 random bytes (``secrets``), stored as SHA-256 only. Guessing is hopeless, but
a client address that asks for tokens that do not exist is slowed down all the same
(``check_guessing`` / ``count_guess``: after ``FREE_GUESSES`` misses, waits that double up to
15 minutes), in ``login_throttles`` under a key of its own, so a typo is free and a scan is not.

Plain functions, no Flask; they change the session and never commit, except that a counted
miss is committed at once (it must outlive the refused request, as the login throttle's does).
"""

from __future__ import annotations

import hashlib
import math
import secrets
import uuid
from dataclasses import dataclass
from datetime import date, datetime, timedelta
from typing import Any

from sqlalchemy import func, select, update
from sqlalchemy.dialects import postgresql, sqlite
from sqlalchemy.orm import Session

from server import clock
from server.i18n import _, _l
from server.models import (
    CaseRecord,
    LoginThrottle,
    SurveyLink,
    SurveyQuestion,
    SurveyResponse,
    Unit,
)
from server.models.survey_links import (
    LINK_LANGUAGES,
    LINK_STATES,
    state_of,
)
from server.models.versioning import act_as, lock_clock
from server.services import quality
from server.services.access import Principal
from server.services.errors import InvalidInput, InvalidState, NotFound, RateLimited, field_error
from server.services.login_throttle import _client_party, required_wait
from server.services.quality_pseudonymity import IDENTITY_NUMBER_REASON, contains_identity_number

DEFAULT_DAYS = 30  # how long a link lasts unless the manager says otherwise
MAX_DAYS = 366
FREE_GUESSES = 20
MAX_GUESS_WAIT = timedelta(minutes=15)
FORGET_GUESSES_AFTER = timedelta(days=1)
TOKEN_BYTES = 32
# seed 004: the yearly survey goes out in February, "med svar senast 1 mars".
ANNUAL_DUE = (3, 1)
ANNUAL_RESPONDENTS = ("staff", "commissioner", "partner")

LINK_NOT_FOUND = _l(
    "This survey link does not exist. Check that the whole address was copied from the message."
)
LINK_ANSWERED = _l("This survey link has already been used: the survey was answered. Thank you!")
LINK_WITHDRAWN = _l(
    "This survey link has been withdrawn. Ask the person who sent it to you for a new one."
)
TOO_MANY_GUESSES = _l(
    "Too many attempts with survey links that do not exist. Wait a little and try again."
)
NO_ANSWER = _l("Answer at least one question before you send.")
NOT_A_QUESTION = _l("Not a question of this survey.")
TEXT_TOO_LONG = _l("A text answer is at most 2000 characters.")
MAX_TEXT = 2000


@dataclass(frozen=True)
class IssuedLink:
    """A link and its token: the only moment the token exists outside the respondent's hands."""

    link: SurveyLink
    token: str


def hash_token(token: str) -> str:
    return hashlib.sha256(token.encode()).hexdigest()


def new_token() -> str:
    return secrets.token_urlsafe(TOKEN_BYTES)


def default_expiry(survey: str, today: date) -> date:
    """1 March for the yearly survey sent before it (seed 004); else 30 days from today."""
    if survey == "annual":
        due = date(today.year, *ANNUAL_DUE)
        if today <= due:
            return due
    return today + timedelta(days=DEFAULT_DAYS)


# ---- the manager's side ---------------------------------------------------------------------


def create_links(
    session: Session, principal: Principal, values: dict[str, Any], now: datetime
) -> list[IssuedLink]:
    """``count`` links to one survey of one unit, or one for a closed case."""
    unit = _managed_unit(session, principal, values["unit_id"])
    survey, respondent = values["survey"], values["respondent"]
    case_id = values.get("case_record_id")
    count = values.get("count", 1)
    today = now.date()
    if not _active_questions(session, unit, survey):
        raise field_error("survey", _("The verksamhet has no active questions in this survey yet."))
    if survey == "annual" and respondent not in ANNUAL_RESPONDENTS:
        raise field_error(
            "respondent", _("The yearly survey goes to staff, commissioners and partners.")
        )
    if survey == "end_of_intervention" and respondent != "client":
        raise field_error("respondent", _("The end-of-intervention survey asks the client."))
    if case_id is not None:
        _require_closed_case(session, unit, survey, case_id)
        if count != 1:
            raise field_error("count", _("A closed case gets one link."))
    expires_on = _expiry(values.get("expires_on"), survey, today)
    first = (
        session.scalar(select(func.max(SurveyLink.number)).where(SurveyLink.unit_id == unit.id))
        or 0
    )
    issued = []
    for offset in range(1, count + 1):
        token = new_token()
        link = SurveyLink(
            id=uuid.uuid4(),
            unit_id=unit.id,
            survey=survey,
            respondent=respondent,
            case_record_id=case_id,
            number=first + offset,
            label=values.get("label"),
            language=values.get("language") or "sv",
            token_hash=hash_token(token),
            expires_on=expires_on,
            created_by=principal.user_id,
            created_at=now,
            issued_at=now,
            issued_count=1,
        )
        session.add(link)
        issued.append(IssuedLink(link, token))
    session.flush()
    return issued


def reissue_link(
    session: Session,
    principal: Principal,
    link_id: uuid.UUID,
    expires_on: date | None,
    now: datetime,
) -> IssuedLink:
    """A new token for an unanswered link (to send again): the old token stops working."""
    link = get_link(session, principal, link_id)
    state = state_of(link, now.date())
    if state in ("answered", "withdrawn"):
        raise InvalidState(
            _("An answered or withdrawn link is not sent again; make a new one if needed.")
        )
    if expires_on is None and state == "expired":
        expires_on = default_expiry(link.survey, now.date())
    if expires_on is not None:
        link.expires_on = _expiry(expires_on, link.survey, now.date())
    token = new_token()
    link.token_hash = hash_token(token)
    link.issued_at = now
    link.issued_count += 1
    session.flush()
    return IssuedLink(link, token)


def withdraw_link(
    session: Session, principal: Principal, link_id: uuid.UUID, now: datetime
) -> SurveyLink:
    link = get_link(session, principal, link_id)
    if link.answered_on is not None:
        raise InvalidState(_("The link was answered; the answer stays in the survey."))
    link.withdrawn_at = link.withdrawn_at or now
    session.flush()
    return link


def get_link(session: Session, principal: Principal, link_id: uuid.UUID) -> SurveyLink:
    link = session.get(SurveyLink, link_id)
    if link is None or not principal.can("manage_plans", link.unit_id):
        raise NotFound(_("No such survey link."))
    return link


def list_links(
    session: Session,
    principal: Principal,
    unit_id: uuid.UUID,
    survey: str | None = None,
    state: str | None = None,
    today: date | None = None,
) -> list[SurveyLink]:
    """The links of a unit and of the units below it that the manager manages, by number."""
    unit = _managed_unit(session, principal, unit_id)
    units = [unit.id]
    if unit.kind == "se_verksamhet":
        units += [
            u.id for u in quality.enheter_of(session, unit) if principal.can("manage_plans", u.id)
        ]
    query = select(SurveyLink).where(SurveyLink.unit_id.in_(units))
    if survey is not None:
        query = query.where(SurveyLink.survey == survey)
    links = list(session.scalars(query.order_by(SurveyLink.created_at, SurveyLink.number)))
    if state is not None:
        day = today or clock.now().date()
        links = [link for link in links if state_of(link, day) == state]
    return links


def link_summary(
    session: Session, principal: Principal, unit_id: uuid.UUID, today: date
) -> list[dict[str, Any]]:
    """Per survey: how many links were made, answered, are open, expired or withdrawn."""
    counts: dict[str, dict[str, Any]] = {}
    for link in list_links(session, principal, unit_id):
        row = counts.setdefault(
            link.survey, {"survey": link.survey, "links": 0, **dict.fromkeys(LINK_STATES, 0)}
        )
        row["links"] += 1
        row[state_of(link, today)] += 1
    return list(counts.values())


def _managed_unit(session: Session, principal: Principal, unit_id: uuid.UUID) -> Unit:
    principal.require("manage_plans", unit_id, "unit")
    unit = quality.live_unit(session, unit_id)
    if unit.kind not in quality.SWEDISH_UNIT_KINDS:
        raise field_error("unit_id", _("Survey links belong to a Swedish verksamhet or enhet."))
    return unit


def _require_closed_case(session: Session, unit: Unit, survey: str, case_id: uuid.UUID) -> None:
    if survey != "end_of_intervention":
        raise field_error("case_record_id", _("Only the end-of-intervention survey names a case."))
    case = session.get(CaseRecord, case_id)
    if case is None or case.deleted or case.unit_id != unit.id:
        raise field_error("case_record_id", _("No such case in this enhet."))
    if case.ended_on is None:
        raise field_error("case_record_id", _("The case is not closed yet: give it an end date."))
    taken = session.scalar(
        select(SurveyLink.id).where(
            SurveyLink.case_record_id == case.id, SurveyLink.withdrawn_at.is_(None)
        )
    )
    if taken is not None:
        raise field_error(
            "case_record_id", _("The case has a link already; send that one again instead.")
        )


def _expiry(wanted: date | None, survey: str, today: date) -> date:
    if wanted is None:
        return default_expiry(survey, today)
    if wanted < today:
        raise field_error("expires_on", _("The last day to answer cannot be in the past."))
    if wanted > today + timedelta(days=MAX_DAYS):
        raise field_error("expires_on", _("A link lasts at most a year."))
    return wanted


def _active_questions(session: Session, unit: Unit, survey: str) -> list[SurveyQuestion]:
    verksamhet = quality.verksamhet_of(session, unit) or unit
    return list(
        session.scalars(
            select(SurveyQuestion)
            .where(
                SurveyQuestion.unit_id == verksamhet.id,
                SurveyQuestion.survey == survey,
                SurveyQuestion.deleted.is_(False),
                SurveyQuestion.active.is_(True),
            )
            .order_by(SurveyQuestion.position, SurveyQuestion.seq)
        )
    )


# ---- the respondent's side ------------------------------------------------------------------


def find_link(session: Session, token: str, client_address: str, now: datetime) -> SurveyLink:
    """The link of a token, whatever its state (so its refusal can speak its language).

    A token that matches no link counts as a guess of ``client_address`` (committed), and an
    address past its free guesses is refused before any lookup."""
    key = _guess_key(client_address)
    check_guessing(session, key, now)
    link = None
    if 20 <= len(token) <= 100:
        link = session.scalar(select(SurveyLink).where(SurveyLink.token_hash == hash_token(token)))
    if link is None:
        count_guess(session, key, now)
        raise NotFound(LINK_NOT_FOUND)
    return link


def refuse_unless_open(session: Session, link: SurveyLink, today: date) -> None:
    """Raise, in the current language, why the link can no longer be answered. A link whose
    case was deleted is withdrawn with it (what was erased is not asked about)."""
    state = state_of(link, today)
    if state == "open" and link.case_record_id is not None:
        case = session.get(CaseRecord, link.case_record_id)
        if case is None or case.deleted:
            state = "withdrawn"
    if state == "answered":
        raise InvalidState(LINK_ANSWERED, link_state=state)
    if state == "withdrawn":
        raise InvalidState(LINK_WITHDRAWN, link_state=state)
    if state == "expired":
        raise InvalidState(
            _(
                "This survey link expired on %(date)s. Ask the person who sent it to you for "
                "a new one.",
                date=link.expires_on.isoformat(),
            ),
            link_state=state,
        )


def questions_of(session: Session, link: SurveyLink) -> list[SurveyQuestion]:
    """The active questions of the link's survey, in their order."""
    return _active_questions(session, session.get_one(Unit, link.unit_id), link.survey)


def read_form(questions: list[SurveyQuestion], form: dict[str, str]) -> dict[str, Any]:
    """A web form's strings as answers: "1".."5" for a scale, "true"/"false" for yes/no, text
    trimmed; an empty field is no answer. What does not convert is kept as sent, for
    ``answer_problems`` to name."""
    answers: dict[str, Any] = {}
    for question in questions:
        raw = (form.get(str(question.id)) or "").strip()
        if not raw:
            continue
        if question.answer_type == "scale":
            answers[str(question.id)] = int(raw) if raw in {"1", "2", "3", "4", "5"} else raw
        elif question.answer_type == "yes_no":
            answers[str(question.id)] = {"true": True, "false": False}.get(raw, raw)
        else:
            answers[str(question.id)] = raw
    return answers


def answer_problems(questions: list[SurveyQuestion], answers: dict[str, Any]) -> dict[str, Any]:
    """What is wrong with each answer, by question id (a lazy message); empty if nothing."""
    by_id = {str(q.id): q for q in questions}
    problems: dict[str, Any] = {}
    for question_id, answer in answers.items():
        question = by_id.get(str(question_id))
        if question is None:
            problems[str(question_id)] = NOT_A_QUESTION
        elif answer is None:
            continue
        elif not quality._fits(question.answer_type, answer):
            problems[str(question_id)] = quality.ANSWER_HINTS[question.answer_type]
        elif isinstance(answer, str) and (len(answer) > MAX_TEXT or "\x00" in answer):
            problems[str(question_id)] = TEXT_TOO_LONG
        elif isinstance(answer, str) and contains_identity_number(answer):
            problems[str(question_id)] = IDENTITY_NUMBER_REASON
    return problems


def answer_link(
    session: Session, link: SurveyLink, answers: dict[str, Any], now: datetime
) -> SurveyResponse:
    """Store the answers as a survey response of the link's unit, and close the link.

    Refused with ``invalid_input`` naming ``answers.<question id>`` for each bad answer (or
    ``answers`` for none at all); with ``invalid_state`` if the link is no longer open."""
    refuse_unless_open(session, link, now.date())
    questions = questions_of(session, link)
    problems = answer_problems(questions, answers)
    if problems:
        raise InvalidInput(
            _("Some answers could not be saved; see each question."),
            fields={f"answers.{qid}": [reason] for qid, reason in problems.items()},
        )
    given = {qid: a for qid, a in answers.items() if a is not None}
    if not given:
        raise field_error("answers", NO_ANSWER)
    unit = session.get_one(Unit, link.unit_id)
    act_as(session, None, "link")
    lock_clock(session, [unit.organisation_id])
    values: dict[str, Any] = {
        "unit_id": link.unit_id,
        "survey": link.survey,
        "case_record_id": link.case_record_id,
        "respondent": link.respondent,
        "answered_on": now.date(),
        "answers": given,
    }
    # The rules of a typed-in response (the case still in the enhet, the questions its own).
    server_values = quality.TABLES["survey_responses"].check(session, None, dict(values), None)  # type: ignore[arg-type]
    # Taken once: a second answer that raced this one finds answered_on set and is refused.
    used = session.execute(
        update(SurveyLink)
        .where(
            SurveyLink.id == link.id,
            SurveyLink.token_hash == link.token_hash,
            SurveyLink.answered_on.is_(None),
            SurveyLink.withdrawn_at.is_(None),
        )
        .values(answered_on=now.date())
        .returning(SurveyLink.id)
    ).all()
    if not used:
        raise InvalidState(LINK_ANSWERED, link_state="answered")
    response = SurveyResponse(id=uuid.uuid4(), **{**values, **server_values})
    session.add(response)
    session.flush()
    session.refresh(link)
    return response


# ---- slowing down guessing ------------------------------------------------------------------


def _guess_key(client_address: str) -> str:
    return hashlib.sha256(f"survey-link:{_client_party(client_address)}".encode()).hexdigest()


def check_guessing(session: Session, key: str, now: datetime) -> None:
    row = session.get(LoginThrottle, key)
    if row is not None and row.retry_at is not None and row.retry_at > now:
        if row.last_failure_at and now - row.last_failure_at >= FORGET_GUESSES_AFTER:
            return
        wait = math.ceil((row.retry_at - now).total_seconds())
        raise RateLimited(TOO_MANY_GUESSES, retry_after_seconds=wait)


def count_guess(session: Session, key: str, now: datetime) -> None:
    """One more miss of this address, committed at once (the request is then refused)."""
    session.rollback()
    insert = postgresql.insert if session.get_bind().dialect.name == "postgresql" else sqlite.insert
    session.execute(
        insert(LoginThrottle)
        .values(key=key, failures=0, forget_at=now)
        .on_conflict_do_nothing(index_elements=["key"])
    )
    row = session.scalars(
        select(LoginThrottle)
        .where(LoginThrottle.key == key)
        .with_for_update()
        .execution_options(populate_existing=True)
    ).one()
    if row.last_failure_at is not None and now - row.last_failure_at >= FORGET_GUESSES_AFTER:
        row.failures = 0
    row.failures += 1
    row.last_failure_at = now
    wait = required_wait(row.failures, FREE_GUESSES, MAX_GUESS_WAIT)
    row.retry_at = now + wait if wait else None
    row.forget_at = now + FORGET_GUESSES_AFTER
    session.commit()


__all__ = [
    "LINK_LANGUAGES",
    "IssuedLink",
    "answer_link",
    "create_links",
    "default_expiry",
    "find_link",
    "hash_token",
    "link_summary",
    "list_links",
    "answer_problems",
    "questions_of",
    "read_form",
    "refuse_unless_open",
    "reissue_link",
    "state_of",
    "withdraw_link",
]
