"""Schemas for the push API (``server/api/push.py``)."""

from __future__ import annotations

from zoneinfo import ZoneInfo

from marshmallow import Schema, ValidationError, fields, validate

from server.i18n import _
from server.models.push import NOTIFICATION_KINDS
from server.schemas.common import StrictSchema, Text, one_of


class VapidPublicKeySchema(Schema):
    public_key = fields.String(
        required=True,
        metadata={"description": "applicationServerKey for pushManager.subscribe (base64url)"},
    )


class SubscriptionKeysSchema(StrictSchema):
    p256dh = Text(200, min_length=1, required=True)
    auth = Text(100, min_length=1, required=True)


class SubscriptionCreateSchema(StrictSchema):
    """``PushSubscription.toJSON()`` as the browser gives it, plus an optional device label."""

    endpoint = Text(2048, min_length=1, required=True)
    keys = fields.Nested(SubscriptionKeysSchema, required=True)
    expirationTime = fields.Integer(allow_none=True, load_only=True)  # noqa: N815 (the browser's name)
    device_label = Text(100, allow_none=True)


class SubscriptionSchema(Schema):
    id = fields.UUID(required=True)
    endpoint = fields.String(required=True)
    device_label = fields.String(allow_none=True)
    created_at = fields.DateTime(required=True)
    last_success_at = fields.DateTime(allow_none=True)


class EndpointBodySchema(StrictSchema):
    endpoint = Text(2048, min_length=1, required=True)


def _not_in_the_query(_value: object) -> None:
    raise ValidationError("Send the endpoint in the JSON body: a query string is logged.")


class NoEndpointInQuerySchema(StrictSchema):
    """``DELETE /api/push/subscriptions?endpoint=`` is refused: access logs keep query strings,
    and an endpoint is a URL that reaches one person's device."""

    endpoint = fields.Raw(
        load_only=True,
        validate=_not_in_the_query,
        metadata={"description": "refused: send the endpoint in the body"},
    )


class QuietHoursSchema(StrictSchema):
    start = fields.Time(format="%H:%M", required=True, metadata={"example": "22:00"})
    end = fields.Time(format="%H:%M", required=True, metadata={"example": "07:00"})


def _known_timezone(name: str) -> None:
    try:
        ZoneInfo(name)
    except Exception:
        raise ValidationError(
            _("Unknown time zone; use an IANA name such as Europe/Stockholm.")
        ) from None


class PreferencesSchema(StrictSchema):
    kinds = fields.Dict(
        keys=fields.String(validate=one_of(NOTIFICATION_KINDS)),
        values=fields.Boolean(),
        metadata={"description": "kind -> on/off; kinds left out keep their setting"},
    )
    quiet_hours = fields.Nested(QuietHoursSchema, allow_none=True)
    timezone = fields.String(validate=[validate.Length(min=1, max=64), _known_timezone])
