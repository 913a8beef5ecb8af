"""Swedish labels. The handlingsplan columns (Kvalitetsområde, Område, Mål, Vad?, Hur?, När?,
Dokumentation, Vem?, Resultat) follow the Danish template's nine columns; the guiding
questions are our Swedish rendering of the Danish ones."""

from server.plan_templates import columns, layouts, titles

TITLES = titles("sv")

HEADER = {
    "title": "Beskrivning/titel:",
    "unit_name": "Verksamhet/enhet:",
    "foster_parents": "Familjehemsföräldrarnas namn och adress:",
    "plan_date": "Datum:",
    "filled_in_by": "Ansvarig för ifyllandet:",
    "responsible_manager": "Ansvarig chef:",
    "origin": "Bakgrund:",
    "inspection_date": "Inspektionsdatum:",
}

# The column wording of every layout: server/catalogues/templates/plan_columns.json.
COLUMN_SETS = {layout: columns(layout, "sv") for layout in layouts()}

# Written before the criterion a row answers, under its theme in the TEMA cell.
CRITERION = "Kriterium:"

PRIORITY = "{n}. prioritet:"

# A row's end is the day it is to be done by ("Klart senast: 30 september 2026"), as a Swedish
# reader says a deadline; "Slut:", written before, is still read.
TIMEFRAME = {"start": "Start:", "end": "Klart senast:", "ongoing": "Tills vidare"}
TIMEFRAME_ALIASES = {
    "start": ("Start:", "Startdatum:"),
    "end": ("Klart senast:", "Senast:", "Slut:", "Slutdatum:"),
    # "Stående" was the app's word for it before "Tills vidare" (pwa/src/locales/sv.json).
    "ongoing": ("Tills vidare", "Pågående", "Stående"),
}
MONTH_PARTS = {
    "first": ("i början av", "början av", "primo"),
    "middle": ("i mitten av", "mitten av", "medio"),
    "last": ("i slutet av", "slutet av", "vid utgången av", "utgången av", "ultimo"),
}

RESPONSIBLE_ROLES = {"responsible": "Genomförande:", "follow_up_responsible": "Uppföljning:"}
RESPONSIBLE_ALIASES = {
    "responsible": ("Genomförande:", "Ansvarig för genomförande:", "Genomförs av:"),
    "follow_up_responsible": ("Uppföljning:", "Ansvarig för uppföljning:", "Följs upp av:"),
}

# The catalogue version the plan is written under (issue 17: chosen per plan), as the PWA's
# plan header shows it: the catalogue's own name, which is data in its own language, and the
# version. The import reads the version back.
CATALOGUE = {"label": "Kvalitetsmodell:", "value": "{name} ({version})"}

APPROVAL = {
    "label": "Fastställd av ledningen:",
    "by_at": "{name}, {date}",
    "not_yet": "Inte fastställd än",
}

MONTHS = (
    "januari",
    "februari",
    "mars",
    "april",
    "maj",
    "juni",
    "juli",
    "augusti",
    "september",
    "oktober",
    "november",
    "december",
)

SPREADSHEET = {
    "file": "åtgärder",
    "unit": "Verksamhet/enhet",
    "plan": "Plan",
    "plan_state": "Planens status",
    "priority": "Prioritet",
    "theme": "Kvalitetsområde",
    "topic": "Område",
    "goal": "Mål",
    "activities": "Vad?",
    "resources": "Hur?",
    "start_date": "Start",
    "end_date": "Slutdatum",
    "ongoing": "Tills vidare",
    "timeframe_note": "När?",
    "documentation": "Dokumentation",
    "responsible": "Vem? (genomförande)",
    "follow_up_responsible": "Vem? (uppföljning)",
    "result": "Resultat/status",
    "state": "Status",
    "overdue": "Försenad",
    "yes": "ja",
    "no": "nej",
}

# The words of the PWA (pwa/src/locales), so a sheet says what the screen says.
PLAN_STATES = {
    "draft": "Utkast",
    "submitted": "Skickad för fastställelse",
    "approved": "Fastställd av ledningen",
    "completed": "Avslutad",
    "archived": "Arkiverad",
}
ITEM_STATES = {
    "not_started": "Inte påbörjad",
    "in_progress": "Pågår",
    "done": "Avslutad",
    "cancelled": "Avbruten",
}
ORIGINS = {
    "inspection": "Inspektion",
    "paabud": "Föreläggande",
    "anbefaling": "Rekommendation",
    "own_initiative": "Eget initiativ",
}

# The optional appendix with the dialogue between the verksamhet and the tillsyn.
THREADS = {
    "title": "Bilaga: Dialog med tillsynen",
    "plan": "Planen som helhet",
    "inspector": "Inspektör",
    "none": "Inga meddelanden.",
}
# The section after the table: each row's state, evidence and (optionally) progress notes.
PROGRESS = {
    "title": "Radernas status, framsteg och dokumentation",
    "title_no_notes": "Radernas status och dokumentation",
    "state": "Status",
    "attachments": "Bilagor (dokumentation)",
    "note_attachments": "Bilagor till anteckningen",
    "no_notes": "Inga anteckningar om framsteg.",
    "photo": "foto",
    "pdf": "PDF",
}
