"""Command-line tools, run as ``flask --app server <command>``:

    seed-demo          add the demo organisations, users and plans (idempotent)
    create-unit        add an organisation's top unit (or a unit below one): the first step
                       on a fresh database, before create-user
    create-user        add a real user with roles in units; the password is never an argument
    reset-password     set a new password for a user (a manager's: admins may not), ending
                       their sessions
    load-catalogues    add any quality catalogue versions missing from the database
    catalogues list    each catalogue version: its dates, legal source and where the dates
                       come from ("UNSOURCED" when nothing states them)
    catalogues set     correct a version's dates or sources (CODE VERSION --valid-from ...),
                       so an organisation fixes a date without a release
    schema-check       compare the database with the models (run after ``db upgrade``)
    backup PATH        write a consistent copy of the database to a new file (server/backup.py)
    restore PATH       restore such a copy; refuses a database that holds data without --force

Commands are thin like routes: they parse arguments, call domain code (``server.demo``,
``server.services``) and print. Every write is recorded in the audit trail as ``via="cli"``.
"""

from __future__ import annotations

import os
import uuid

import click
from flask import Flask, current_app
from sqlalchemy import func, select
from sqlalchemy.orm import Session

from server import clock
from server.extensions import db, db_session
from server.i18n import _
from server.models import Membership, Organisation, Unit, User
from server.models.org import ROLES, UNIT_KINDS
from server.models.versioning import act_as
from server.services.admin import ROLE_OUTSIDE_ITS_UNITS, role_fits_unit
from server.services.auth import hash_password, revoke_all_tokens
from server.services.errors import InvalidInput

PASSWORD_ENV = "FOLG_NEW_USER_PASSWORD"


def register_commands(app: Flask) -> None:
    for command in (
        seed_demo_command,
        create_unit_command,
        create_user_command,
        reset_password_command,
        load_catalogues_command,
        catalogues_group,
        schema_check,
        backup_command,
        restore_command,
    ):
        app.cli.add_command(command)


@click.command("seed-demo")
def seed_demo_command() -> None:
    """Add the demo data (fictional) and print the demo logins. Safe to run again."""
    from server.demo import DEMO_LOGINS, DEMO_PASSWORD, seed_demo

    act_as(db_session(), None, "cli")
    result = seed_demo(db_session())
    db_session().commit()
    if result.total:
        added = ", ".join(f"{n} {table}" for table, n in sorted(result.added.items()))
        click.echo(_("Demo data added: %(added)s.", added=added))
    else:
        click.echo(_("Demo data already present; nothing added."))
    click.echo()
    click.echo(_("Demo logins (password for all: %(password)s):", password=DEMO_PASSWORD))
    width = max(len(login.email) for login in DEMO_LOGINS)
    for login in DEMO_LOGINS:
        click.echo(f"  {login.email:<{width}}  {login.description}")


@click.command("load-catalogues")
def load_catalogues_command() -> None:
    """Add the quality catalogue versions shipped in server/catalogues/ that are missing."""
    from server.services.catalogues import ensure_catalogues

    act_as(db_session(), None, "cli")
    added = ensure_catalogues(db_session())
    db_session().commit()
    click.echo(_("Catalogues loaded: %(added)s catalogue and theme rows added.", added=added))


@click.group("catalogues")
def catalogues_group() -> None:
    """List the quality catalogue versions, or correct their dates and sources."""


@catalogues_group.command("list")
def catalogues_list_command() -> None:
    """Every catalogue version with its dates and sources."""
    from server.services.catalogues import list_catalogues

    for catalogue in list_catalogues(db_session()):
        valid_to = catalogue.valid_to.isoformat() if catalogue.valid_to else "…"
        click.echo(
            f"{catalogue.code} {catalogue.version_label}: "
            f"{catalogue.valid_from.isoformat()} – {valid_to}"
        )
        unsourced = _("UNSOURCED")
        click.echo("  " + _("source: %(source)s", source=catalogue.source or unsourced))
        click.echo("  " + _("dates:  %(dates)s", dates=catalogue.dates_source or unsourced))


def _date_or_none(ctx: click.Context, param: click.Parameter, value: str | None) -> object:
    """``--valid-to none`` clears the end date; a date is ISO 8601."""
    from datetime import date

    from server.services.catalogues import UNSET

    if value is None:
        return UNSET if param.name != "valid_from" else None
    if value.lower() == "none" and param.name != "valid_from":
        return None
    try:
        return date.fromisoformat(value)
    except ValueError:
        raise click.BadParameter(_("Not a date (YYYY-MM-DD).")) from None


@catalogues_group.command("set")
@click.argument("code")
@click.argument("version")
@click.option("--valid-from", callback=_date_or_none, help="First day the version is in force.")
@click.option("--valid-to", callback=_date_or_none, help="Last day in force, or 'none'.")
@click.option("--source", default=None, help="The legal source the version follows.")
@click.option("--dates-source", default=None, help="Where the dates come from ('none': unsourced).")
def catalogues_set_command(
    code: str,
    version: str,
    valid_from: object,
    valid_to: object,
    source: str | None,
    dates_source: str | None,
) -> None:
    """Correct the dates or sources of catalogue version CODE VERSION (e.g. dk_tilbud 2025).

    Plans keep the version they were written under; the dates decide which version a new
    plan gets by default. Devices learn the change at their next sync."""
    from server.services.catalogues import UNSET, find_catalogue, set_catalogue

    session = db_session()
    act_as(session, None, "cli")
    catalogue = find_catalogue(session, code, version)
    if catalogue is None:
        raise click.BadParameter(
            _("no catalogue version %(ref)r.", ref=f"{code} {version}"), param_hint="CODE VERSION"
        )
    text = {
        name: (UNSET if value is None else (None if value.lower() == "none" else value))
        for name, value in (("source", source), ("dates_source", dates_source))
    }
    try:
        changed = set_catalogue(
            catalogue,
            valid_from=valid_from,  # type: ignore[arg-type]
            valid_to=valid_to,  # type: ignore[arg-type]
            **text,
        )
    except InvalidInput as error:
        raise click.ClickException(error.message) from None
    session.commit()
    if not changed:
        click.echo(_("%(ref)s: nothing changed.", ref=f"{code} {version}"))
    for name, (old, new) in changed.items():
        click.echo(
            _(
                "%(ref)s: %(field)s %(old)s -> %(new)s",
                ref=f"{code} {version}",
                field=name,
                old=old,
                new=new,
            )
        )


def _resolve_unit(session: Session, ref: str, param_hint: str = "--role") -> Unit:
    """A unit by id or by exact name; a name shared by several units must be given as id."""
    try:
        unit = session.get(Unit, uuid.UUID(ref))
        units = [unit] if unit is not None and not unit.deleted else []
    except ValueError:
        units = list(session.scalars(select(Unit).where(Unit.name == ref, Unit.deleted.is_(False))))
    if not units:
        raise click.BadParameter(
            _("no unit named or with id %(ref)r.", ref=ref), param_hint=param_hint
        )
    if len(units) > 1:
        ids = ", ".join(str(u.id) for u in units)
        raise click.BadParameter(
            _(
                "%(count)s units are named %(ref)r; give the unit id instead (%(ids)s).",
                count=len(units),
                ref=ref,
                ids=ids,
            ),
            param_hint=param_hint,
        )
    return units[0]


def _parse_role(session: Session, spec: str) -> tuple[str, Unit]:
    role, sep, unit_ref = spec.partition(":")
    if not sep or not unit_ref.strip():
        raise click.BadParameter(
            _("%(spec)r is not ROLE:UNIT (e.g. manager:'Bofællesskabet Lærkevej').", spec=spec),
            param_hint="--role",
        )
    role = role.strip().lower()
    if role not in ROLES:
        raise click.BadParameter(
            _("unknown role %(role)r; use one of %(value)s.", role=role, value=", ".join(ROLES)),
            param_hint="--role",
        )
    unit = _resolve_unit(session, unit_ref.strip())
    if not role_fits_unit(unit, role):
        raise click.BadParameter(str(ROLE_OUTSIDE_ITS_UNITS), param_hint="--role")
    return role, unit


def _read_password() -> str:
    password = os.environ.get(PASSWORD_ENV)
    if password:
        return password
    return click.prompt(_("Password"), hide_input=True, confirmation_prompt=True)


@click.command("create-unit")
@click.option("--name", required=True, help="The unit's name, as staff know it.")
@click.option("--kind", required=True, type=click.Choice(UNIT_KINDS), help="What kind of unit.")
@click.option(
    "--organisation",
    help="The municipality or provider that owns it (made if new). Not with --parent.",
)
@click.option(
    "--country",
    type=click.Choice(["DK", "SE"]),
    help="The new organisation's country (needed only when the organisation is new).",
)
@click.option("--parent", help="A unit (name or id) to put it under, in that unit's organisation.")
def create_unit_command(
    name: str, kind: str, organisation: str | None, country: str | None, parent: str | None
) -> None:
    """Create a unit. On a fresh database this is the first step: an organisation's top unit,
    then `create-user --role admin:<unit>`; its admin adds the rest in the app."""
    session = db_session()
    if bool(organisation) == bool(parent):
        raise click.UsageError(_("Give either --organisation (a top unit) or --parent."))
    name = _short_text(name, "--name")
    parent_id = None
    if parent:
        if country:
            raise click.UsageError(_("--country is for a new organisation, not with --parent."))
        above = _resolve_unit(session, parent.strip(), param_hint="--parent")
        organisation_id, parent_id = above.organisation_id, above.id
        owner = session.get_one(Organisation, organisation_id)
    else:
        owner = _organisation(session, _short_text(organisation or "", "--organisation"), country)
        organisation_id = owner.id
    if not kind.startswith(owner.country.lower() + "_"):
        raise click.BadParameter(
            _(
                "%(kind)s is not a kind of unit in %(country)s (%(name)s).",
                kind=kind,
                country=owner.country,
                name=owner.name,
            ),
            param_hint="--kind",
        )
    act_as(session, None, "cli")
    unit = Unit(
        name=name,
        kind=kind,
        organisation_id=organisation_id,
        parent_id=parent_id,
    )
    session.add(unit)
    session.commit()
    click.echo(_("Created %(kind)s %(name)r (%(id)s).", kind=kind, name=unit.name, id=unit.id))


def _short_text(value: str, param_hint: str) -> str:
    """A name as the REST API takes it: 1 to 200 characters once trimmed."""
    value = value.strip()
    if not 1 <= len(value) <= 200:
        raise click.BadParameter(_("give 1 to 200 characters."), param_hint=param_hint)
    return value


def _organisation(session: Session, name: str, country: str | None) -> Organisation:
    """The organisation of that name (any case), made if new (then ``country`` is needed)."""
    found = list(
        session.scalars(select(Organisation).where(func.lower(Organisation.name) == name.lower()))
    )
    if len(found) > 1:
        raise click.BadParameter(
            _(
                "%(count)s organisations are named %(name)r; give --parent instead.",
                count=len(found),
                name=name,
            ),
            param_hint="--organisation",
        )
    if found:
        if country and country != found[0].country:
            raise click.BadParameter(
                _(
                    "%(name)s is in %(country)s, not %(country2)s.",
                    name=found[0].name,
                    country=found[0].country,
                    country2=country,
                ),
                param_hint="--country",
            )
        return found[0]
    if country is None:
        raise click.BadParameter(
            _("no organisation named %(name)r yet: give --country to make it.", name=name),
            param_hint="--country",
        )
    owner = Organisation(name=name, country=country)
    session.add(owner)
    session.flush()
    return owner


@click.command("create-user")
@click.option("--email", required=True, help="Login email, unique.")
@click.option("--name", required=True, help="Full name, as colleagues see it.")
@click.option(
    "--role",
    "roles",
    multiple=True,
    metavar="ROLE:UNIT",
    help=f"A role ({', '.join(ROLES)}) in a unit given by name or id. Repeat for more.",
)
@click.option("--language", type=click.Choice(["da", "sv"]), default="da", show_default=True)
def create_user_command(email: str, name: str, roles: tuple[str, ...], language: str) -> None:
    """Create a user. The password is read from FOLG_NEW_USER_PASSWORD or asked for."""
    email = email.strip()
    if "@" not in email:
        raise click.BadParameter(
            _("%(email)r is not an email address.", email=email), param_hint="--email"
        )
    session = db_session()
    if session.scalar(select(User.id).where(func.lower(User.email) == email.lower())):
        raise click.BadParameter(
            _("a user with email %(email)s exists.", email=email), param_hint="--email"
        )
    # Check every role before asking for a password, so a typo costs nothing.
    memberships = [_parse_role(session, spec) for spec in roles]
    try:
        password_hash = hash_password(_read_password(), email=email, name=name.strip())
    except InvalidInput as error:
        reasons = "; ".join(r for rs in (error.fields or {}).values() for r in rs)
        raise click.ClickException(f"{error.message} {reasons}".strip()) from error

    act_as(session, None, "cli")
    user = User(
        email=email,
        name=name.strip(),
        language=language,
        password_hash=password_hash,
        created_at=clock.now(),
    )
    session.add(user)
    session.flush()
    for role, unit in memberships:
        session.add(Membership(user_id=user.id, unit_id=unit.id, role=role))
    session.commit()
    granted = ", ".join(
        _("%(role)s of %(unit)s", role=role, unit=unit.name) for role, unit in memberships
    ) or _("no roles yet")
    click.echo(_("Created %(email)s (%(granted)s).", email=email, granted=granted))


@click.command("reset-password")
@click.option("--email", required=True, help="The user's login email.")
def reset_password_command(email: str) -> None:
    """Set a user's password (read as for create-user) and end their sessions. For managers,
    whose password an admin may not set (server/services/admin.py)."""
    session = db_session()
    user = session.scalar(select(User).where(func.lower(User.email) == email.strip().lower()))
    if user is None:
        raise click.BadParameter(
            _("no user with email %(email)s.", email=email), param_hint="--email"
        )
    try:
        password_hash = hash_password(_read_password(), email=user.email, name=user.name)
    except InvalidInput as error:
        reasons = "; ".join(r for rs in (error.fields or {}).values() for r in rs)
        raise click.ClickException(f"{error.message} {reasons}".strip()) from error
    act_as(session, None, "cli")
    user.password_hash = password_hash
    session.flush()
    revoke_all_tokens(session, user.id)
    session.commit()
    click.echo(_("New password set for %(email)s; their sessions are ended.", email=user.email))


@click.command("schema-check")
def schema_check() -> None:
    """Exit non-zero if the database schema differs from the models (a revision is missing)."""
    from server.migrations import schema_differences

    with db.engine.connect() as connection:
        differences = schema_differences(connection, db.metadata)
    if differences:
        for difference in differences:
            click.echo(f"  {difference}", err=True)
        raise click.ClickException(
            _(
                "%(count)s difference(s) between migrations and models. Add a revision: flask "
                '--app server db revision --autogenerate --rev-id NNNN -m "..."',
                count=len(differences),
            )
        )
    click.echo(_("Schema matches the models."))


@click.command("backup")
@click.argument("path", type=click.Path(dir_okay=False))
def backup_command(path: str) -> None:
    """Write a consistent copy of the database to PATH, a new file (SQLite: online backup;
    PostgreSQL: pg_dump --format=custom of the app's schema). Safe while the app runs."""
    from server.backup import BackupError, backup_database

    try:
        outcome = backup_database(current_app.config["SQLALCHEMY_DATABASE_URI"], path)
    except BackupError as error:
        raise click.ClickException(str(error)) from error
    size = outcome.path.stat().st_size
    click.echo(
        _(
            "Backed up to %(path)s (%(size)s bytes; %(detail)s).",
            path=outcome.path,
            size=size,
            detail=outcome.detail,
        )
    )


@click.command("restore")
@click.argument("path", type=click.Path(dir_okay=False))
@click.option("--force", is_flag=True, help="Replace a database that already holds data.")
def restore_command(path: str, force: bool) -> None:
    """Restore the backup at PATH into the configured database. Stop the app first; then
    run `db upgrade` (a backup of an older version) and `schema-check`."""
    from server.backup import BackupError, restore_database

    db.session.remove()
    db.engine.dispose()  # no pooled connection may hold the old schema or file open
    try:
        outcome = restore_database(current_app.config["SQLALCHEMY_DATABASE_URI"], path, force=force)
    except BackupError as error:
        raise click.ClickException(str(error)) from error
    click.echo(_("Restored %(path)s (%(detail)s).", path=outcome.path, detail=outcome.detail))
