"""Web push over REST: the VAPID public key, this device's subscription, preferences.

The PWA subscribes with ``pushManager.subscribe({userVisibleOnly: true,
applicationServerKey: <public_key>})`` and posts ``subscription.toJSON()`` here.
"""

from flask import current_app
from flask.views import MethodView

from server.api.context import authenticated, current_principal, transactional
from server.api.json_body import Blueprint
from server.extensions import db_session
from server.push import subscriptions
from server.push.endpoints import EndpointPolicy
from server.push.schemas import (
    EndpointBodySchema,
    NoEndpointInQuerySchema,
    PreferencesSchema,
    SubscriptionCreateSchema,
    SubscriptionSchema,
    VapidPublicKeySchema,
)
from server.push.vapid import load_vapid_keys

blp = Blueprint("push", __name__, url_prefix="/api/push", description="Web push notifications")


@blp.route("/vapid-public-key")
class VapidPublicKey(MethodView):
    @blp.response(200, VapidPublicKeySchema)
    def get(self):
        """The server's VAPID public key (applicationServerKey); public by design."""
        keys = load_vapid_keys(current_app.config, current_app.instance_path)
        return {"public_key": keys.public_key}


@blp.route("/subscriptions")
class Subscriptions(MethodView):
    decorators = [authenticated]

    @blp.response(200, SubscriptionSchema(many=True))
    def get(self):
        """This user's subscribed devices."""
        return subscriptions.list_subscriptions(db_session(), current_principal().user_id)

    @blp.arguments(SubscriptionCreateSchema)
    @blp.response(201, SubscriptionSchema)
    @transactional
    def post(self, values):
        """Subscribe this device (again). An endpoint another user subscribed moves to the
        caller only with the same keys (the same browser); otherwise 404."""
        return subscriptions.subscribe(
            db_session(),
            current_principal().user_id,
            values,
            policy=EndpointPolicy.from_config(current_app.config),
            max_per_user=current_app.config["PUSH_MAX_SUBSCRIPTIONS_PER_USER"],
        )

    @blp.arguments(NoEndpointInQuerySchema, location="query")
    @blp.arguments(EndpointBodySchema)
    @blp.response(204)
    @transactional
    def delete(self, _query, body):
        """Unsubscribe by endpoint (what a browser knows after ``unsubscribe()``), given in the
        JSON body: a query string lands in access logs."""
        subscriptions.unsubscribe_endpoint(
            db_session(), current_principal().user_id, body["endpoint"]
        )


@blp.route("/subscriptions/<uuid:subscription_id>")
class SubscriptionById(MethodView):
    decorators = [authenticated]

    @blp.response(204)
    @transactional
    def delete(self, subscription_id):
        """Unsubscribe one of this user's devices."""
        subscriptions.unsubscribe(db_session(), current_principal().user_id, subscription_id)


@blp.route("/preferences")
class Preferences(MethodView):
    decorators = [authenticated]

    @blp.response(200, PreferencesSchema)
    def get(self):
        return subscriptions.get_preferences(db_session(), current_principal().user_id)

    @blp.arguments(PreferencesSchema)
    @blp.response(200, PreferencesSchema)
    @transactional
    def put(self, values):
        """Change kinds, quiet hours or time zone; fields left out keep their value."""
        return subscriptions.update_preferences(db_session(), current_principal().user_id, values)
