"""Survey links over REST (``server/services/survey_links.py``): what a manager sends and reads,
and what a respondent's answer looks like."""

from __future__ import annotations

from marshmallow import Schema, fields

from server.models.quality import RESPONDENTS, SURVEYS
from server.models.survey_links import LINK_LANGUAGES, LINK_STATES, MAX_LINKS_PER_REQUEST
from server.schemas.common import StrictSchema, counted, one_of
from server.schemas.quality import PseudonymousText


class SurveyLinkCreateSchema(StrictSchema):
    unit_id = fields.UUID(required=True)
    survey = fields.String(required=True, validate=one_of(SURVEYS))
    respondent = fields.String(required=True, validate=one_of(RESPONDENTS))
    # How many links (one per respondent); a closed case gets one.
    count = fields.Integer(strict=True, validate=counted(1, MAX_LINKS_PER_REQUEST))
    case_record_id = fields.UUID(allow_none=True)
    label = PseudonymousText(100, allow_none=True)
    language = fields.String(validate=one_of(LINK_LANGUAGES))
    # The last day to answer (inclusive); default: 1 March for the yearly survey sent before
    # it, else 30 days.
    expires_on = fields.Date(allow_none=True)


class SurveyLinkFilterSchema(StrictSchema):
    unit_id = fields.UUID(required=True)
    survey = fields.String(validate=one_of(SURVEYS))
    state = fields.String(validate=one_of(LINK_STATES))


class SurveyLinkSummaryQuerySchema(StrictSchema):
    unit_id = fields.UUID(required=True)


class SurveyLinkReissueSchema(StrictSchema):
    expires_on = fields.Date(allow_none=True)


class SurveyLinkSchema(Schema):
    id = fields.UUID()
    unit_id = fields.UUID()
    survey = fields.String()
    respondent = fields.String()
    case_record_id = fields.UUID(allow_none=True)
    number = fields.Integer()
    label = fields.String(allow_none=True)
    language = fields.String()
    state = fields.String()
    expires_on = fields.Date()
    created_at = fields.DateTime()
    issued_at = fields.DateTime()
    issued_count = fields.Integer()
    answered_on = fields.Date(allow_none=True)
    withdrawn_at = fields.DateTime(allow_none=True)


class SurveyIssuedLinkSchema(SurveyLinkSchema):
    """A link as it is made or made anew: the only answer that carries its address."""

    token = fields.String()
    url = fields.String()


class SurveyIssuedLinksSchema(Schema):
    links = fields.List(fields.Nested(SurveyIssuedLinkSchema))


class SurveyLinkCountsSchema(Schema):
    survey = fields.String()
    links = fields.Integer()
    open = fields.Integer()
    answered = fields.Integer()
    expired = fields.Integer()
    withdrawn = fields.Integer()


class PublicQuestionSchema(Schema):
    id = fields.UUID()
    text = fields.String()
    answer_type = fields.String()


class PublicSurveySchema(Schema):
    """What a respondent sees: the questions, and nothing of the unit, the case or who sent it."""

    survey = fields.String()
    language = fields.String()
    expires_on = fields.Date()
    questions = fields.List(fields.Nested(PublicQuestionSchema))


class PublicAnswerSchema(StrictSchema):
    # {question id: 1-5 | true/false | text}; checked like a typed-in response.
    answers = fields.Dict(keys=fields.String(), values=fields.Raw(allow_none=True), required=True)


class PublicAnsweredSchema(Schema):
    answered_on = fields.Date()
