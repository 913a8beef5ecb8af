"""Swedish labels. The handlingsplan columns (Kvalitetsområde, Område, Mål, Vad?, Hur?, När?,
Dokumentation, Vem?, Resultat) follow the Danish template's nine columns; the guiding
questions are our Swedish rendering of the Danish ones."""

TITLES = {
    "dk_tilbud": "Uppföljningsplan – sociala verksamheter",
    "dk_plejefamilie": "Uppföljningsplan – familjehem",
    "se_handlingsplan": "Handlingsplan",
}

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

_HANDLINGSPLAN = [
    ("Kvalitetsområde", "Skriv och prioritera vilka kvalitetsområden planen gäller"),
    ("Område", "Vilka förhållanden ska ändras eller utvecklas, och varför?"),
    ("Mål", "Vilka är de konkreta målen för kvalitetsutvecklingen?"),
    ("Vad?", "Vilka aktiviteter ska genomföras?"),
    ("Hur?", "Vilka resurser finns för att genomföra åtgärderna?"),
    ("När?", "Vilken är tidsramen för genomförandet, med start- och slutdatum?"),
    ("Dokumentation", "Hur följs målen för kvalitetsutvecklingen upp och dokumenteras?"),
    ("Vem?", "Vem ansvarar för genomförande och uppföljning av åtgärderna?"),
    ("Resultat", "Vad blev resultatet av kvalitetsutvecklingen?"),
]
_STATUS_LAST = ("Status", "Vad är status för måluppfyllelsen?")
# A Danish plan read in Swedish: its TEMA is one of the quality model's themes ("tema").
_DANISH = [("Tema", "Skriv och prioritera vilka teman i kvalitetsmodellen planen gäller")]
_DANISH += _HANDLINGSPLAN[1:]

COLUMN_SETS = {
    "handlingsplan_result": _HANDLINGSPLAN,
    "handlingsplan_status": [*_HANDLINGSPLAN[:8], _STATUS_LAST],
    "tilbud_result": _DANISH,
    "tilbud_status": [*_DANISH[:8], _STATUS_LAST],
    "plejefamilie_result": _DANISH,
    "plejefamilie_status": [*_DANISH[:8], _STATUS_LAST],
}

PRIORITY = "{n}. prioritet:"

TIMEFRAME = {"start": "Start:", "end": "Slut:", "ongoing": "Tills vidare"}
TIMEFRAME_ALIASES = {
    "start": ("Start:", "Startdatum:"),
    "end": ("Slut:", "Slutdatum:"),
    "ongoing": ("Tills vidare", "Pågående"),
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
    "responsible": "Vem?",
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
