"""Quality catalogues as data: the Danish quality models and the Swedish quality areas.

A catalogue is versioned (``valid_from``/``valid_to``); a plan keeps the catalogue it was
written under, so a later amendment (such as the 2025 one that drops themes 1 and 2 for
tilbud) never rewrites an old plan.
"""

from __future__ import annotations

import uuid
from datetime import date

from sqlalchemy import Boolean, Date, ForeignKey, Integer, String, Text, UniqueConstraint, Uuid
from sqlalchemy.orm import Mapped, mapped_column, relationship

from server.extensions import Model
from server.models.base import SyncedMixin

CATALOGUE_CODES = ("dk_tilbud", "dk_plejefamilie", "se_kvalitetsomraden")


class Catalogue(SyncedMixin, Model):
    __tablename__ = "catalogues"
    sync_table = "catalogues"
    sync_fields = (
        "code",
        "version_label",
        "name",
        "language",
        "valid_from",
        "valid_to",
        "source",
        "dates_source",
    )

    code: Mapped[str] = mapped_column(String(40), nullable=False)
    version_label: Mapped[str] = mapped_column(String(40), nullable=False)
    name: Mapped[str] = mapped_column(String(200), nullable=False)
    language: Mapped[str] = mapped_column(String(2), nullable=False)
    valid_from: Mapped[date] = mapped_column(Date, nullable=False)
    valid_to: Mapped[date | None] = mapped_column(Date)
    # The legal text the version follows, and where its dates come from: None when no source
    # states them (the date is then a placeholder an organisation corrects with
    # ``flask catalogues set``). Data, loaded from server/catalogues/*.json.
    source: Mapped[str | None] = mapped_column(Text)
    dates_source: Mapped[str | None] = mapped_column(Text)

    themes: Mapped[list[Theme]] = relationship(
        back_populates="catalogue", order_by="Theme.position"
    )

    __table_args__ = (UniqueConstraint("code", "version_label", name="code_version"),)


class Theme(SyncedMixin, Model):
    """A theme (tema) of the Danish model or a Swedish quality area (kvalitetsområde)."""

    __tablename__ = "themes"
    sync_table = "themes"
    sync_fields = ("catalogue_id", "number", "name", "scored", "position", "description")

    catalogue_id: Mapped[uuid.UUID] = mapped_column(
        Uuid, ForeignKey("catalogues.id"), nullable=False, index=True
    )
    # The number the model gives it (1-7); None for Økonomi, which stands outside the numbering.
    number: Mapped[int | None] = mapped_column(Integer)
    name: Mapped[str] = mapped_column(String(200), nullable=False)
    # Økonomi is assessed but not scored on the 1-5 scale.
    scored: Mapped[bool] = mapped_column(Boolean, nullable=False, default=True)
    position: Mapped[int] = mapped_column(Integer, nullable=False)
    description: Mapped[str | None] = mapped_column(Text)

    catalogue: Mapped[Catalogue] = relationship(back_populates="themes")
    criteria: Mapped[list[Criterion]] = relationship(
        back_populates="theme", order_by="Criterion.position"
    )


class Criterion(SyncedMixin, Model):
    __tablename__ = "criteria"
    sync_table = "criteria"
    sync_fields = ("theme_id", "number", "text", "position")

    theme_id: Mapped[uuid.UUID] = mapped_column(
        Uuid, ForeignKey("themes.id"), nullable=False, index=True
    )
    number: Mapped[int | None] = mapped_column(Integer)
    text: Mapped[str] = mapped_column(Text, nullable=False)
    position: Mapped[int] = mapped_column(Integer, nullable=False)

    theme: Mapped[Theme] = relationship(back_populates="criteria")
