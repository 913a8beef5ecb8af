"""English labels, for readers of either country's plans."""

TITLES = {
    "dk_tilbud": "Follow-up plan – social service",
    "dk_plejefamilie": "Follow-up plan – foster family",
    "se_handlingsplan": "Action plan",
}

HEADER = {
    "title": "Description/title:",
    "unit_name": "Service/unit:",
    "foster_parents": "Foster parents' names and address:",
    "plan_date": "Date:",
    "filled_in_by": "Filled in by:",
    "responsible_manager": "Responsible manager:",
    "origin": "Background:",
    "inspection_date": "Inspection date:",
}

_COLUMNS = [
    ("THEME", "Write and prioritise which themes of the quality model the plan concerns"),
    ("TOPIC", "What must change or develop, and why?"),
    ("GOAL", "What are the concrete goals for the quality development?"),
    ("WHAT?", "Which activities will be carried out?"),
    ("HOW?", "Which resources are available to carry them out?"),
    ("WHEN?", "What is the timeframe, including start and end?"),
    ("EVIDENCE", "How are the goals monitored and documented?"),
    ("WHO?", "Who is responsible for carrying out and following up?"),
    ("RESULT", "What is the result of the quality development?"),
]
_STATUS_LAST = ("STATUS", "What is the status of the work towards the goals?")
_QUALITY_AREA = [("QUALITY AREA", "Write and prioritise which quality areas the plan concerns")]

COLUMN_SETS = {
    "tilbud_result": _COLUMNS,
    "tilbud_status": [*_COLUMNS[:8], _STATUS_LAST],
    "plejefamilie_result": _COLUMNS,
    "plejefamilie_status": [*_COLUMNS[:8], _STATUS_LAST],
    "handlingsplan_result": _QUALITY_AREA + _COLUMNS[1:],
    "handlingsplan_status": _QUALITY_AREA + _COLUMNS[1:8] + [_STATUS_LAST],
}

PRIORITY = "Priority {n}:"

TIMEFRAME = {"start": "Start:", "end": "End:", "ongoing": "Ongoing"}
TIMEFRAME_ALIASES = {
    "start": ("Start:", "Starts:"),
    "end": ("End:", "Ends:", "Due:"),
    "ongoing": ("Ongoing", "Permanent"),
}

MONTHS = (
    "January",
    "February",
    "March",
    "April",
    "May",
    "June",
    "July",
    "August",
    "September",
    "October",
    "November",
    "December",
)

SPREADSHEET = {
    "file": "items",
    "unit": "Unit",
    "plan": "Plan",
    "plan_state": "Plan state",
    "priority": "Priority",
    "theme": "Theme",
    "topic": "Topic",
    "goal": "Goal",
    "activities": "What?",
    "resources": "How?",
    "start_date": "Start",
    "end_date": "Due date",
    "ongoing": "Ongoing",
    "timeframe_note": "When?",
    "documentation": "Evidence",
    "responsible": "Who?",
    "result": "Result/status",
    "state": "State",
    "overdue": "Overdue",
    "yes": "yes",
    "no": "no",
}

# The words of the PWA (pwa/src/locales), so a sheet says what the screen says.
PLAN_STATES = {
    "draft": "Draft",
    "submitted": "Submitted for approval",
    "approved": "Approved by management",
    "completed": "Completed",
    "archived": "Archived",
}
ITEM_STATES = {
    "not_started": "Not started",
    "in_progress": "In progress",
    "done": "Done",
    "cancelled": "Cancelled",
}
ORIGINS = {
    "inspection": "Inspection visit",
    "paabud": "Order (påbud)",
    "anbefaling": "Recommendation",
    "own_initiative": "Own initiative",
}

# The optional appendix with the dialogue between the service and the inspectorate.
THREADS = {
    "title": "Appendix: Dialogue with the inspectorate",
    "plan": "The plan as a whole",
    "inspector": "Inspector",
    "none": "No messages.",
}
# The section after the table: each row's state, evidence and (optionally) progress notes.
PROGRESS = {
    "title": "The rows' state, progress and evidence",
    "title_no_notes": "The rows' state and evidence",
    "state": "State",
    "attachments": "Attachments (evidence)",
    "note_attachments": "Attached to the note",
    "no_notes": "No progress notes.",
    "photo": "photo",
    "pdf": "PDF",
}
