from flask import g, request
from flask.views import MethodView

from server.api.context import authenticated, bearer_token, login_settings
from server.api.json_body import Blueprint
from server.extensions import db_session
from server.schemas.org import LoginResultSchema, LoginSchema, UserSchema
from server.services import auth
from server.services.users import describe_user

blp = Blueprint("auth", __name__, url_prefix="/api/auth", description="Login and logout")


@blp.route("/login")
class Login(MethodView):
    @blp.arguments(LoginSchema)
    @blp.response(200, LoginResultSchema)
    def post(self, credentials):
        token, user, expires_at = auth.login(
            db_session(),
            credentials["email"],
            credentials["password"],
            client_address=request.remote_addr or "unknown",
            **login_settings(),
        )
        return {"token": token, "expires_at": expires_at, "user": describe_user(db_session(), user)}


@blp.route("/logout")
class Logout(MethodView):
    decorators = [authenticated]

    @blp.response(204)
    def post(self):
        auth.logout(db_session(), bearer_token())


@blp.route("/me")
class Me(MethodView):
    decorators = [authenticated]

    @blp.response(200, UserSchema)
    def get(self):
        return describe_user(db_session(), g.user)
