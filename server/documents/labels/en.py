"""English labels, for readers of either country's plans."""

from server.plan_templates import columns, layouts, titles

TITLES = titles("en")

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

# The column wording of every layout: server/catalogues/templates/plan_columns.json.
COLUMN_SETS = {layout: columns(layout, "en") for layout in layouts()}

# Written before the criterion a row answers, under its theme in the TEMA cell.
CRITERION = "Criterion:"

PRIORITY = "Priority {n}:"

# A row's end is the day it is to be done by ("Complete by: 30 September 2026"): a deadline,
# not the end of a period. Not "Due:" (in English that is a påbud's deadline, the frist) nor a
# bare "By:" (read as "by whom"); "End:", written before, is still read.
TIMEFRAME = {"start": "Start:", "end": "Complete by:", "ongoing": "Ongoing"}
TIMEFRAME_ALIASES = {
    "start": ("Start:", "Starts:"),
    "end": ("Complete by:", "End:", "Ends:", "End date:", "Due:", "Due by:"),
    "ongoing": ("Ongoing", "Permanent"),
}
MONTH_PARTS = {
    "first": ("beginning of", "early", "start of"),
    "middle": ("middle of", "mid"),
    "last": ("by the end of", "end of", "late"),
}

RESPONSIBLE_ROLES = {"responsible": "Carrying out:", "follow_up_responsible": "Following up:"}
RESPONSIBLE_ALIASES = {
    "responsible": ("Carrying out:", "Carried out by:", "Responsible for carrying out:"),
    "follow_up_responsible": ("Following up:", "Followed up by:", "Responsible for following up:"),
}

# The catalogue version the plan is written under (issue 17: chosen per plan), as the PWA's
# plan header shows it: the catalogue's own name, which is data in its own language, and the
# version. The import reads the version back.
CATALOGUE = {"label": "Quality model:", "value": "{name} ({version})"}

APPROVAL = {
    "label": "Approved by management:",
    "by_at": "{name}, {date}",
    "not_yet": "Not approved yet",
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
    "end_date": "End date",
    "ongoing": "Ongoing",
    "timeframe_note": "When?",
    "documentation": "Evidence",
    "responsible": "Who? (carrying out)",
    "follow_up_responsible": "Who? (following up)",
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
