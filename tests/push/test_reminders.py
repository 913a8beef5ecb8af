"""Deadline reminders: which items, which window, once per (user, item, kind, due date),
even when two runs overlap."""

from __future__ import annotations

import threading
import warnings
from datetime import UTC, date, datetime, timedelta
from zoneinfo import ZoneInfo

import pytest

from server import clock
from server.extensions import db
from server.models import (
    AnnualTask,
    DeadlineExtension,
    Notification,
    NotificationPreference,
    PlanItem,
)
from server.models.push import REMINDER_KINDS
from server.models.versioning import act_as
from server.push.reminders import ReminderRun, queue_reminders, queue_task_reminders
from tests.push.conftest import deliver, outbox, subscribe

MORNING = datetime(2026, 3, 10, 8, 0, tzinfo=UTC)  # 09:00 in Copenhagen
TODAY = date(2026, 3, 10)

# send-reminders makes the VAPID key: push_app keeps it out of the checkout's instance folder.
pytestmark = pytest.mark.usefixtures("push_app")


def _responsible(*users):
    return [{"user_id": str(u.id)} for u in users]


def _reminders():
    return [row for row in outbox() if row.kind in REMINDER_KINDS]


def _summary():
    return sorted(
        (row.item_id, row.kind, row.params.get("days"), row.dedup_key.rsplit(":", 1)[-1])
        for row in _reminders()
    )


def test_items_get_the_smallest_window_that_holds_their_days_left(factory, pin_clock):
    pin_clock(MORNING)
    unit = factory.unit()
    anna = factory.user(("staff", unit))
    plan = factory.plan(unit)
    finished = factory.plan(unit, state="completed")

    def item(days, plan=plan, **kw):
        return factory.item(
            plan, end_date=TODAY + timedelta(days=days), responsible=_responsible(anna), **kw
        )

    item(10)  # too far off
    soon, tomorrow, today, late = item(5), item(1), item(0), item(-2)
    item(1, state="done")
    item(1, plan=finished)
    item(1, deleted=True)
    factory.item(plan, responsible=_responsible(anna))  # no due date

    run = queue_reminders(db.session, (7, 1))
    db.session.commit()

    assert run.queued == 4
    assert _summary() == sorted(
        [
            (soon.id, "due_soon", 5, "7"),
            (tomorrow.id, "due_soon", 1, "1"),
            (today.id, "due_soon", 0, "1"),
            (late.id, "overdue", None, str(late.end_date)),
        ]
    )
    assert {row.user_id for row in _reminders()} == {anna.id}


def test_send_reminders_twice_queues_each_reminder_once(factory, runner, pin_clock):
    pin_clock(MORNING)
    unit = factory.unit()
    anna, bo = factory.user(("staff", unit)), factory.user(("staff", unit))
    factory.item(factory.plan(unit), end_date=TODAY, responsible=_responsible(anna, bo))

    first = runner.invoke(args=["send-reminders"])
    second = runner.invoke(args=["send-reminders"])

    assert first.exit_code == 0 and second.exit_code == 0, first.output + second.output
    assert "Queued 2 new reminders" in first.output
    assert "Queued 0 new reminders (2 already queued)" in second.output
    assert len(_reminders()) == 2


def test_an_overdue_reminder_is_not_queued_again_once_sync_gc_has_deleted_it(
    factory, runner, pin_clock
):
    pin_clock(MORNING)
    unit = factory.unit()
    anna = factory.user(("staff", unit))
    plan = factory.plan(unit)
    late = factory.item(plan, end_date=TODAY - timedelta(days=1), responsible=_responsible(anna))
    # Found overdue only after the outbox retention: it would be collected, then queued again.
    factory.item(plan, end_date=TODAY - timedelta(days=30), responsible=_responsible(anna))

    assert "Queued 1 new reminders" in runner.invoke(args=["send-reminders", "--no-send"]).output
    [reminder] = _reminders()
    assert (reminder.item_id, reminder.kind) == (late.id, "overdue")
    reminder.status, reminder.sent_at = "sent", MORNING
    db.session.commit()

    pin_clock(MORNING + timedelta(days=31))
    collected = runner.invoke(args=["sync-gc"])
    assert "Deleted 1 finished notifications" in collected.output, collected.output
    again = runner.invoke(args=["send-reminders", "--no-send"])

    assert "Queued 0 new reminders" in again.output, again.output
    assert _reminders() == []


def test_the_next_window_and_a_moved_due_date_each_remind_again(factory, pin_clock):
    unit = factory.unit()
    anna = factory.user(("staff", unit))
    item = factory.item(
        factory.plan(unit), end_date=TODAY + timedelta(days=6), responsible=_responsible(anna)
    )

    for day in (0, 1, 5, 5):  # 6 days left, 5, 1 (and that once more)
        pin_clock(MORNING + timedelta(days=day))
        queue_reminders(db.session, (7, 1))
        db.session.commit()
    row = db.session.get(PlanItem, item.id)
    row.end_date = TODAY + timedelta(days=20)
    db.session.commit()
    pin_clock(MORNING + timedelta(days=14))
    queue_reminders(db.session, (7, 1))
    db.session.commit()

    assert [(k, d, w) for _, k, d, w in _summary()] == sorted(
        [("due_soon", 6, "7"), ("due_soon", 1, "1"), ("due_soon", 6, "7")]
    )


def test_today_is_the_users_own_date(factory, pin_clock):
    pin_clock(datetime(2026, 3, 10, 23, 30, tzinfo=UTC))  # already the 11th in Copenhagen
    unit = factory.unit()
    copenhagen, new_york = factory.user(("staff", unit)), factory.user(("staff", unit))
    db.session.add(NotificationPreference(user_id=new_york.id, timezone="America/New_York"))
    db.session.commit()
    factory.item(
        factory.plan(unit),
        end_date=date(2026, 3, 11),
        responsible=_responsible(copenhagen, new_york),
    )

    queue_reminders(db.session, (7, 1))
    db.session.commit()

    days = {row.user_id: row.params["days"] for row in _reminders()}
    assert days == {copenhagen.id: 0, new_york.id: 1}


def test_no_reminder_about_a_unit_the_user_cannot_see(factory, pin_clock):
    pin_clock(MORNING)
    unit, other = factory.unit(), factory.unit()
    outsider = factory.user(("staff", other))
    factory.item(factory.plan(unit), end_date=TODAY, responsible=_responsible(outsider))

    assert queue_reminders(db.session, (7, 1)).queued == 0


@pytest.mark.parametrize("backend", ["postgresql"], indirect=True)
def test_two_overlapping_runs_queue_each_reminder_once(app, factory, pin_clock):
    pin_clock(MORNING)
    unit = factory.unit()
    users = [factory.user(("staff", unit)) for _ in range(3)]
    plan = factory.plan(unit)
    for days in (-1, 0, 3):
        factory.item(plan, end_date=TODAY + timedelta(days=days), responsible=_responsible(*users))
    first_wrote = threading.Event()
    results: dict[str, int] = {}
    errors: list[BaseException] = []

    def run(name: str, hold_commit: bool) -> None:
        try:
            with app.app_context():
                act_as(db.session, None, "cli")
                if not hold_commit:
                    first_wrote.wait(timeout=10)
                results[name] = queue_reminders(db.session, (7, 1)).queued
                if hold_commit:
                    # Keep the first run's rows uncommitted while the second one inserts
                    # the same keys: it must wait, then insert nothing.
                    first_wrote.set()
                    threading.Event().wait(0.5)
                db.session.commit()
                db.session.remove()
        except BaseException as error:  # pragma: no cover - reported below
            first_wrote.set()
            errors.append(error)

    threads = [
        threading.Thread(target=run, args=("first", True)),
        threading.Thread(target=run, args=("second", False)),
    ]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=60)

    assert errors == []
    assert results == {"first": 9, "second": 0}
    assert len({row.dedup_key for row in _reminders()}) == len(_reminders()) == 9


def test_a_due_reminder_reaches_the_device_in_the_users_language(
    push_app, client, factory, receiver, runner
):
    unit = factory.unit()
    anna = factory.user(("staff", unit), language="da")
    device = subscribe(client, anna, receiver)
    tomorrow = datetime.now(ZoneInfo("Europe/Copenhagen")).date() + timedelta(days=1)
    item = factory.item(factory.plan(unit), end_date=tomorrow, responsible=_responsible(anna))
    for row in outbox():  # the assignment itself is not what this test is about
        db.session.delete(row)
    db.session.commit()

    result = runner.invoke(args=["send-reminders"])

    assert result.exit_code == 0, result.output
    assert receiver.errors() == []
    assert receiver.payloads(device) == [
        {
            "title": "En indsats nærmer sig sit sluttidspunkt",
            "body": "Sluttidspunktet er i morgen.",
            "url": f"/#/items/{item.id}",
            "kind": "due_soon",
            "lang": "da",
            "about": "end_date",
        }
    ]
    assert receiver.received[0].headers["urgency"] == "normal"
    assert deliver(push_app).sent == 0  # nothing left to send


def test_an_arshjul_reminder_reaches_the_task_owner_in_their_enhet(
    push_app, client, factory, receiver, runner
):
    """Staff named on their verksamhet's årshjul task: the reminder is delivered (not skipped
    as about a missing plan item), says it is about the årshjul, and opens the årshjul of the
    owner's own enhet, the one they read it in."""
    verksamhet = factory.unit(kind="se_verksamhet", name="Öppenvården")
    enhet = factory.unit(kind="se_enhet", parent=verksamhet, name="Familjestödet")
    anna = factory.user(("staff", enhet), language="sv")
    device = subscribe(client, anna, receiver)
    tomorrow = datetime.now(ZoneInfo("Europe/Copenhagen")).date() + timedelta(days=1)
    task = AnnualTask(
        unit_id=verksamhet.id,
        year=tomorrow.year,
        kind="analysis",
        title="Analys av resultaten",
        due_date=tomorrow,
        owner_user_id=anna.id,
        state="open",
    )
    factory.session.add(task)
    db.session.commit()

    with warnings.catch_warnings():
        warnings.simplefilter("error")  # no "fully NULL primary key" lookups of a plan item
        result = runner.invoke(args=["send-reminders"])

    assert result.exit_code == 0, result.output
    assert "Sent 1, skipped 0" in result.output
    assert receiver.errors() == []
    assert receiver.payloads(device) == [
        {
            "title": "En uppgift i årshjulet närmar sig sitt slutdatum",
            "body": "Slutdatum är i morgon.",
            "url": f"/#/quality/{enhet.id}/cycle/{task.id}",
            "kind": "due_soon",
            "lang": "sv",
        }
    ]


def test_an_arshjul_reminder_is_obsolete_once_the_task_is_done_or_given_to_someone_else(
    push_app, client, factory, receiver
):
    # The real clock: the receiver checks the VAPID token's expiry against it.
    tomorrow = datetime.now(ZoneInfo("Europe/Copenhagen")).date() + timedelta(days=1)
    enhet = factory.unit(kind="se_enhet", parent=factory.unit(kind="se_verksamhet"))
    anna, bo = factory.user(("staff", enhet)), factory.user(("staff", enhet))
    subscribe(client, anna, receiver)
    subscribe(client, bo, receiver)

    def task(owner):
        row = AnnualTask(
            unit_id=enhet.id,
            year=2026,
            kind="other",
            title="Uppgift",
            due_date=tomorrow,
            owner_user_id=owner.id,
            state="open",
        )
        factory.session.add(row)
        return row

    done, moved, kept = task(anna), task(anna), task(bo)
    db.session.commit()
    assert queue_task_reminders(db.session, (7, 1)) == 3
    done.state = "done"
    moved.owner_user_id = bo.id
    db.session.commit()

    report = deliver(push_app)

    assert (report.sent, report.reasons) == (1, {"obsolete": 2}), report
    assert [row.task_id for row in _reminders() if row.status == "sent"] == [kept.id]


def test_the_people_named_for_following_a_row_up_are_reminded_too_once_each(
    factory, runner, pin_clock
):
    """HVEM? has two jobs (seed 001): who carries the row out and who follows it up. Both are
    reminded of its end; someone named for both once; a name that is no user, nobody."""
    pin_clock(MORNING)
    unit = factory.unit()
    anna, bo, cecilie = (factory.user(("staff", unit)) for _ in range(3))
    plan = factory.plan(unit)
    soon = factory.item(
        plan,
        end_date=TODAY + timedelta(days=3),
        responsible=_responsible(anna),
        follow_up_responsible=[*_responsible(bo), {"name": "Familieplejen"}],
    )
    late = factory.item(
        plan,
        end_date=TODAY - timedelta(days=1),
        responsible=_responsible(cecilie),
        follow_up_responsible=_responsible(cecilie),
    )

    first = runner.invoke(args=["send-reminders", "--no-send"])
    second = runner.invoke(args=["send-reminders", "--no-send"])

    assert "Queued 3 new reminders" in first.output, first.output
    assert "Queued 0 new reminders (3 already queued)" in second.output, second.output
    assert sorted((row.user_id, row.item_id, row.kind) for row in _reminders()) == sorted(
        [
            (anna.id, soon.id, "due_soon"),
            (bo.id, soon.id, "due_soon"),
            (cecilie.id, late.id, "overdue"),
        ]
    )


def test_an_overdue_row_reaches_its_follow_up_person_in_their_language_until_they_are_not_named(
    push_app, client, factory, receiver, runner
):
    unit = factory.unit()
    bo = factory.user(("manager", unit), language="sv")
    dorthe = factory.user(("staff", unit), language="en")
    devices = {user.id: subscribe(client, user, receiver) for user in (bo, dorthe)}
    yesterday = datetime.now(ZoneInfo("Europe/Copenhagen")).date() - timedelta(days=1)
    plan = factory.plan(unit)
    late = factory.item(plan, end_date=yesterday, follow_up_responsible=_responsible(bo))
    moved = factory.item(plan, end_date=yesterday, follow_up_responsible=_responsible(dorthe))
    for row in outbox(kind="assigned"):  # being named is tested in test_events.py
        db.session.delete(row)
    db.session.commit()

    queued = runner.invoke(args=["send-reminders", "--no-send"])
    assert "Queued 2 new reminders" in queued.output, queued.output
    # Before the push goes out, Dorthe is no longer the one following that row up.
    db.session.get(PlanItem, moved.id).follow_up_responsible = [{"name": "Ekstern"}]
    db.session.commit()
    result = runner.invoke(args=["send-reminders"])

    assert result.exit_code == 0, result.output
    assert receiver.errors() == []
    assert receiver.payloads(devices[bo.id]) == [
        {
            "title": "En åtgärd har passerat sitt slutdatum",
            "url": f"/#/items/{late.id}",
            "kind": "overdue",
            "lang": "sv",
            "about": "end_date",
        }
    ]
    assert receiver.payloads(devices[dorthe.id]) == []
    assert {row.user_id: row.status for row in _reminders()} == {
        bo.id: "sent",
        dorthe.id: "skipped",
    }


# ---- a row's end date, and the frist of the påbud it answers ------------------------------


def _extend(factory, item, new_deadline, author):
    """Record that the inspectorate granted a later frist (append-only; the latest counts)."""
    factory.session.add(
        DeadlineExtension(
            item_id=item.id,
            plan_id=item.plan_id,
            unit_id=item.unit_id,
            new_deadline=new_deadline,
            reason="Ny leverandør af kurset",
            granted_by="Socialtilsyn Midt",
            author_id=author.id,
            created_at=clock.now(),
        )
    )
    db.session.commit()


def _dates():
    """(item, kind, about, date, days, key's tail) of each queued reminder."""
    return sorted(
        (
            row.item_id,
            row.kind,
            row.params.get("about"),
            row.params.get("date"),
            row.params.get("days"),
            row.dedup_key.split(":", 2)[-1],
        )
        for row in _reminders()
    )


def test_a_row_is_reminded_of_its_end_date_and_a_paabud_row_of_its_frist_too(factory, pin_clock):
    """An ordinary row: its end date. A row answering a påbud: the frist (the latest recorded
    extension counts), with no end date of its own too; one that ends before the frist: both;
    one whose end is the frist: once, as the frist."""
    pin_clock(MORNING)
    unit = factory.unit()
    manager = factory.user(("manager", unit))
    anna = factory.user(("staff", unit))
    plan = factory.plan(unit)

    def item(**kw):
        return factory.item(plan, responsible=_responsible(anna), **kw)

    def day(n):
        return TODAY + timedelta(days=n)

    ordinary = item(end_date=day(3))
    no_end = item(legal_deadline=day(3))
    extended = item(legal_deadline=day(-40))
    _extend(factory, extended, day(-10), manager)
    _extend(factory, extended, day(1), manager)
    ends_first = item(legal_deadline=day(6), end_date=day(1))
    ends_on_it = item(legal_deadline=day(-1), end_date=day(-1))
    far_off = item(legal_deadline=day(30), end_date=day(30))
    item(legal_deadline=day(1), state="done")

    run = queue_reminders(db.session, (7, 1))
    db.session.commit()

    assert run.queued == 6
    assert _dates() == sorted(
        [
            (ordinary.id, "due_soon", "end_date", str(day(3)), 3, f"{ordinary.id}:{day(3)}:7"),
            (
                no_end.id,
                "due_soon",
                "deadline",
                str(day(3)),
                3,
                f"{no_end.id}:deadline:{day(3)}:7",
            ),
            (
                extended.id,
                "due_soon",
                "deadline",
                str(day(1)),
                1,
                f"{extended.id}:deadline:{day(1)}:1",
            ),
            (
                ends_first.id,
                "due_soon",
                "end_date",
                str(day(1)),
                1,
                f"{ends_first.id}:{day(1)}:1",
            ),
            (
                ends_first.id,
                "due_soon",
                "deadline",
                str(day(6)),
                6,
                f"{ends_first.id}:deadline:{day(6)}:7",
            ),
            (
                ends_on_it.id,
                "overdue",
                "deadline",
                str(day(-1)),
                None,
                f"{ends_on_it.id}:deadline:{day(-1)}",
            ),
        ]
    )
    assert far_off.id not in {row.item_id for row in _reminders()}


def test_a_paabud_rows_frist_is_reminded_once_and_again_when_it_is_extended(factory, pin_clock):
    pin_clock(MORNING)
    unit = factory.unit()
    manager = factory.user(("manager", unit))
    anna, bo = factory.user(("staff", unit)), factory.user(("staff", unit))
    row = factory.item(
        factory.plan(unit),
        legal_deadline=TODAY + timedelta(days=1),
        responsible=_responsible(anna),
        follow_up_responsible=_responsible(bo),
    )

    assert queue_reminders(db.session, (7, 1)).queued == 2
    assert queue_reminders(db.session, (7, 1)).queued == 0
    db.session.commit()
    _extend(factory, row, TODAY + timedelta(days=5), manager)
    assert queue_reminders(db.session, (7, 1)).queued == 2
    db.session.commit()

    assert sorted((r.user_id, r.params["date"], r.params["days"]) for r in _reminders()) == sorted(
        [
            (anna.id, str(TODAY + timedelta(days=1)), 1),
            (bo.id, str(TODAY + timedelta(days=1)), 1),
            (anna.id, str(TODAY + timedelta(days=5)), 5),
            (bo.id, str(TODAY + timedelta(days=5)), 5),
        ]
    )
    assert len({r.dedup_key for r in _reminders()}) == 4


def test_an_end_date_that_was_the_frist_is_reminded_once_the_frist_is_extended(factory, pin_clock):
    """A påbud's row takes its frist as its end date; an extension moves the frist and not the
    row's own end date, which then has a reminder of its own, about the end date."""
    pin_clock(MORNING)
    unit = factory.unit()
    manager, anna = factory.user(("manager", unit)), factory.user(("staff", unit))
    frist = TODAY + timedelta(days=2)
    row = factory.item(
        factory.plan(unit), legal_deadline=frist, end_date=frist, responsible=_responsible(anna)
    )

    queue_reminders(db.session, (7, 1))
    db.session.commit()
    _extend(factory, row, TODAY + timedelta(days=30), manager)
    queue_reminders(db.session, (7, 1))
    db.session.commit()

    assert [(kind, about, date_, days) for _, kind, about, date_, days, _ in _dates()] == sorted(
        [("due_soon", "deadline", str(frist), 2), ("due_soon", "end_date", str(frist), 2)]
    )


def test_a_reminder_whose_date_moved_before_it_went_out_is_obsolete(
    push_app, client, factory, receiver
):
    """Queued for a date the row no longer has (its end date moved, its frist was extended):
    skipped, since the new date has its own reminder; the others go out in the reader's words."""
    # The real clock: the receiver checks the VAPID token's expiry against it.
    today = datetime.now(ZoneInfo("Europe/Copenhagen")).date()
    unit = factory.unit()
    manager = factory.user(("manager", unit))
    anna = factory.user(("staff", unit), language="da")
    device = subscribe(client, anna, receiver)
    plan = factory.plan(unit)

    def item(**kw):
        return factory.item(plan, responsible=_responsible(anna), **kw)

    moved = item(end_date=today + timedelta(days=3))
    extended = item(legal_deadline=today + timedelta(days=3))
    kept_end = item(end_date=today + timedelta(days=1))
    kept_frist = item(legal_deadline=today + timedelta(days=3))
    for row in outbox():  # the assignments are not what this test is about
        db.session.delete(row)
    db.session.commit()
    assert queue_reminders(db.session, (7, 1)) == ReminderRun(considered=4, queued=4)
    db.session.commit()
    db.session.get(PlanItem, moved.id).end_date = today + timedelta(days=20)
    db.session.commit()
    _extend(factory, extended, today + timedelta(days=20), manager)

    report = deliver(push_app)

    assert (report.sent, report.reasons) == (2, {"obsolete": 2}), report
    assert {row.item_id: row.status for row in _reminders()} == {
        moved.id: "skipped",
        extended.id: "skipped",
        kept_end.id: "sent",
        kept_frist.id: "sent",
    }
    assert sorted(receiver.payloads(device), key=lambda p: p["url"]) == sorted(
        [
            {
                "title": "En indsats nærmer sig sit sluttidspunkt",
                "body": "Sluttidspunktet er i morgen.",
                "url": f"/#/items/{kept_end.id}",
                "kind": "due_soon",
                "lang": "da",
                "about": "end_date",
            },
            {
                "title": "Fristen for et påbud nærmer sig",
                "body": "Fristen er om 3 dage.",
                "url": f"/#/items/{kept_frist.id}",
                "kind": "due_soon",
                "lang": "da",
                "about": "deadline",
            },
        ],
        key=lambda p: p["url"],
    )


def test_a_reminder_queued_before_about_and_date_were_kept_still_goes_out_as_an_end_date(
    push_app, client, factory, receiver
):
    """A row queued by the version before: {"days": n} only, and no date to check."""
    today = datetime.now(ZoneInfo("Europe/Copenhagen")).date()
    unit = factory.unit()
    anna = factory.user(("staff", unit), language="sv")
    device = subscribe(client, anna, receiver)
    row = factory.item(
        factory.plan(unit), end_date=today + timedelta(days=3), responsible=_responsible(anna)
    )
    late = factory.item(
        factory.plan(unit), end_date=today - timedelta(days=1), responsible=_responsible(anna)
    )
    for queued in outbox():
        db.session.delete(queued)
    for item, kind, key, params in (
        (row, "due_soon", f"due_soon:{anna.id}:{row.id}:{row.end_date}:7", {"days": 3}),
        (late, "overdue", f"overdue:{anna.id}:{late.id}:{late.end_date}", {}),
    ):
        db.session.add(
            Notification(
                user_id=anna.id,
                kind=kind,
                dedup_key=key,
                unit_id=unit.id,
                plan_id=item.plan_id,
                item_id=item.id,
                params=params,
                next_attempt_at=clock.now(),
                created_at=clock.now(),
            )
        )
    db.session.commit()

    assert deliver(push_app).sent == 2
    assert sorted(receiver.payloads(device), key=lambda p: p["kind"]) == [
        {
            "title": "En åtgärd närmar sig sitt slutdatum",
            "body": "Slutdatumet är om 3 dagar.",
            "url": f"/#/items/{row.id}",
            "kind": "due_soon",
            "lang": "sv",
            "about": "end_date",
        },
        {
            "title": "En åtgärd har passerat sitt slutdatum",
            "url": f"/#/items/{late.id}",
            "kind": "overdue",
            "lang": "sv",
            "about": "end_date",
        },
    ]
