"""Plans, items, progress notes, their attachments and the plan's dialogue (messages) over REST.
Each view: schema in, service call, schema out."""

from flask.views import MethodView

from server.api.context import authenticated, current_principal, transactional
from server.api.json_body import Blueprint
from server.extensions import db_session
from server.schemas.plans import (
    AttachmentCreateSchema,
    AttachmentSchema,
    HistoryEventSchema,
    ItemCreateSchema,
    ItemSchema,
    ItemUpdateSchema,
    MessageCreateSchema,
    MessageFilterSchema,
    MessageSchema,
    NoteCreateSchema,
    NoteSchema,
    PlanFilterSchema,
    PlanSchema,
    PlanUpdateSchema,
    PlanWriteSchema,
    ReorderSchema,
    SendBackSchema,
)
from server.services import attachments, messages, plans

blp = Blueprint("plans", __name__, url_prefix="/api", description="Follow-up plans")


@blp.route("/plans")
class Plans(MethodView):
    decorators = [authenticated]

    @blp.arguments(PlanFilterSchema, location="query")
    @blp.response(200, PlanSchema(many=True))
    def get(self, filters):
        return plans.list_plans(db_session(), current_principal(), **filters)

    @blp.arguments(PlanWriteSchema)
    @blp.response(201, PlanSchema)
    @transactional
    def post(self, values):
        return plans.create_plan(db_session(), current_principal(), values, values.get("id"))


@blp.route("/plans/<uuid:plan_id>")
class PlanById(MethodView):
    decorators = [authenticated]

    @blp.response(200, PlanSchema)
    def get(self, plan_id):
        return plans.get_plan(db_session(), current_principal(), plan_id)

    @blp.arguments(PlanUpdateSchema)
    @blp.response(200, PlanSchema)
    @transactional
    def patch(self, values, plan_id):
        principal = current_principal()
        plan = plans.get_plan(db_session(), principal, plan_id)
        return plans.update_plan(db_session(), principal, plan, values)

    @blp.response(204)
    @transactional
    def delete(self, plan_id):
        principal = current_principal()
        plans.delete_plan(db_session(), principal, plans.get_plan(db_session(), principal, plan_id))


def _transition_view(action: str) -> type[MethodView]:
    class Transition(MethodView):
        decorators = [authenticated]

        @blp.response(200, PlanSchema)
        @transactional
        def post(self, plan_id):
            principal = current_principal()
            plan = plans.get_plan(db_session(), principal, plan_id)
            return plans.transition_plan(db_session(), principal, plan, action)

    Transition.__name__ = f"Plan{action.title().replace('_', '')}"
    Transition.post.__doc__ = f"Lifecycle: {action.replace('_', ' ')} the plan."
    return Transition


for _action in plans.TRANSITIONS:
    if _action != "send_back":
        blp.route(f"/plans/<uuid:plan_id>/{_action.replace('_', '-')}")(_transition_view(_action))


@blp.route("/plans/<uuid:plan_id>/send-back")
class PlanSendBack(MethodView):
    decorators = [authenticated]

    @blp.arguments(SendBackSchema)
    @blp.response(200, PlanSchema)
    @transactional
    def post(self, body, plan_id):
        """Lifecycle: send the submitted plan back to draft, saying why (its author sees it)."""
        principal = current_principal()
        plan = plans.get_plan(db_session(), principal, plan_id)
        return plans.transition_plan(db_session(), principal, plan, "send_back", body["reason"])


@blp.route("/plans/<uuid:plan_id>/reorder")
class PlanReorder(MethodView):
    decorators = [authenticated]

    @blp.arguments(ReorderSchema)
    @blp.response(200, ItemSchema(many=True))
    @transactional
    def post(self, body, plan_id):
        principal = current_principal()
        plan = plans.get_plan(db_session(), principal, plan_id)
        return plans.reorder_items(db_session(), principal, plan, body["item_ids"])


@blp.route("/plans/<uuid:plan_id>/history")
class PlanHistory(MethodView):
    decorators = [authenticated]

    @blp.response(200, HistoryEventSchema(many=True))
    def get(self, plan_id):
        principal = current_principal()
        plan = plans.get_plan(db_session(), principal, plan_id)
        return plans.plan_history(db_session(), principal, plan)


@blp.route("/plans/<uuid:plan_id>/items")
class PlanItems(MethodView):
    decorators = [authenticated]

    @blp.response(200, ItemSchema(many=True))
    def get(self, plan_id):
        return plans.list_items(db_session(), current_principal(), plan_id)

    @blp.arguments(ItemCreateSchema)
    @blp.response(201, ItemSchema)
    @transactional
    def post(self, values, plan_id):
        principal = current_principal()
        plans.get_plan(db_session(), principal, plan_id)
        values = {**values, "plan_id": plan_id}
        return plans.create_item(db_session(), principal, values, values.get("id"))


@blp.route("/items/<uuid:item_id>")
class ItemById(MethodView):
    decorators = [authenticated]

    @blp.response(200, ItemSchema)
    def get(self, item_id):
        return plans.get_item(db_session(), current_principal(), item_id)

    @blp.arguments(ItemUpdateSchema)
    @blp.response(200, ItemSchema)
    @transactional
    def patch(self, values, item_id):
        principal = current_principal()
        item = plans.get_item(db_session(), principal, item_id)
        return plans.update_item(db_session(), principal, item, values)

    @blp.response(204)
    @transactional
    def delete(self, item_id):
        principal = current_principal()
        plans.delete_item(db_session(), principal, plans.get_item(db_session(), principal, item_id))


@blp.route("/items/<uuid:item_id>/notes")
class ItemNotes(MethodView):
    decorators = [authenticated]

    @blp.response(200, NoteSchema(many=True))
    def get(self, item_id):
        return plans.list_notes(db_session(), current_principal(), item_id)

    @blp.arguments(NoteCreateSchema)
    @blp.response(201, NoteSchema)
    @transactional
    def post(self, values, item_id):
        principal = current_principal()
        plans.get_item(db_session(), principal, item_id)
        values = {**values, "item_id": item_id}
        return plans.add_note(db_session(), principal, values, values.get("id"))


@blp.route("/items/<uuid:item_id>/attachments")
class ItemAttachments(MethodView):
    decorators = [authenticated]

    @blp.response(200, AttachmentSchema(many=True))
    def get(self, item_id):
        return attachments.list_attachments(db_session(), current_principal(), item_id)

    @blp.arguments(AttachmentCreateSchema)
    @blp.response(201, AttachmentSchema)
    @transactional
    def post(self, values, item_id):
        """Attach evidence to the row (or, with note_id, to one of its progress notes). Upload
        the bytes first: PUT /api/photos/{sha256}."""
        principal = current_principal()
        plans.get_item(db_session(), principal, item_id)
        values = {**values, "item_id": item_id}
        return attachments.create_attachment(db_session(), principal, values, values.get("id"))


@blp.route("/attachments/<uuid:attachment_id>")
class AttachmentById(MethodView):
    decorators = [authenticated]

    @blp.response(204)
    @transactional
    def delete(self, attachment_id):
        principal = current_principal()
        attachment = attachments.get_attachment(db_session(), principal, attachment_id)
        attachments.delete_attachment(db_session(), principal, attachment)


@blp.route("/plans/<uuid:plan_id>/messages")
class PlanMessages(MethodView):
    decorators = [authenticated]

    @blp.arguments(MessageFilterSchema, location="query")
    @blp.response(200, MessageSchema(many=True))
    def get(self, filters, plan_id):
        """The plan's own thread; ``?thread=every`` adds the threads of all its rows."""
        return messages.list_messages(
            db_session(), current_principal(), plan_id=plan_id, thread=filters.get("thread")
        )

    @blp.arguments(MessageCreateSchema)
    @blp.response(201, MessageSchema)
    @transactional
    def post(self, values, plan_id):
        principal = current_principal()
        plans.get_plan(db_session(), principal, plan_id)
        values = {**values, "plan_id": plan_id}
        return messages.add_message(db_session(), principal, values, values.get("id"))


@blp.route("/items/<uuid:item_id>/messages")
class ItemMessages(MethodView):
    decorators = [authenticated]

    @blp.response(200, MessageSchema(many=True))
    def get(self, item_id):
        return messages.list_messages(db_session(), current_principal(), item_id=item_id)

    @blp.arguments(MessageCreateSchema)
    @blp.response(201, MessageSchema)
    @transactional
    def post(self, values, item_id):
        principal = current_principal()
        plans.get_item(db_session(), principal, item_id)
        values = {**values, "item_id": item_id}
        return messages.add_message(db_session(), principal, values, values.get("id"))
