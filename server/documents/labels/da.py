"""Danish labels. Column wording is the wording of the Danish templates (seeds 000 and 001).

The foster-family template (001) was extracted from a narrow-column Word table, which left
hyphens of line breaks in some questions ("kvalitets- udviklingen", "tids-rammen",
"ændres/-udvikles"); they are written here as the words they are. The STATUS variant has no
guiding question under STATUS in the template, so that cell stays empty.
"""

TITLES = {
    "dk_tilbud": "Opfølgningsplan – sociale tilbud",
    "dk_plejefamilie": "Opfølgningsplan – plejefamilier",
    "se_handlingsplan": "Handleplan",
}

HEADER = {
    "title": "Beskrivelse/titel:",
    "unit_name": "Tilbud/afdeling:",
    "foster_parents": "Plejeforældres navn og adresse:",
    "plan_date": "Dato:",
    "filled_in_by": "Ansvarlig for udfyldelse:",
    "responsible_manager": "Ledelsesansvarlig:",
    "origin": "Baggrund:",
    "inspection_date": "Tilsynsdato:",
}

_TILBUD = [
    ("TEMA", "Skriv og prioriter, hvilke temaer i kvalitetsmodellen planen omhandler"),
    ("EMNE", "Hvilke forhold skal ændres/ udvikles, og hvad er årsagerne til dette?"),
    ("MÅL", "Hvad er de konkrete mål for kvalitetsudviklingen?"),
    ("HVAD?", "Hvilke aktiviteter skal iværksættes?"),
    ("HVORDAN?", "Hvilke ressourcer er til rådighed for at gennemføre tiltagene?"),
    (
        "HVORNÅR?",
        "Hvad er tidsrammen for gennemførelsen, herunder start- og sluttidspunkt?",
    ),
    (
        "DOKUMENTATION",
        "Hvordan monitoreres og dokumenteres målene for kvalitetsudviklingen?",
    ),
    ("HVEM?", "Hvem er ansvarlig for gennemførelse og opfølgning på tiltagene?"),
    ("RESULTAT", "Hvad er resultatet af kvalitetsudviklingsprocessen?"),
]

_PLEJEFAMILIE_RESULT = [
    ("TEMA", "Skriv og prioriter, hvilke temaer i kvalitetsmodellen planen omhandler"),
    ("EMNE", "Hvilke forhold skal ændres/udvikles og hvad er årsagerne til dette?"),
    ("MÅL", "Hvad er de konkrete mål for kvalitetsudviklingen?"),
    ("HVAD?", "Hvilke aktiviteter skal iværksættes?"),
    ("HVORDAN?", "Hvilke ressourcer er til rådighed for at gennemføre tiltagene, fx tid?"),
    (
        "HVORNÅR?",
        "Hvad er tidsrammen for gennemførelsen – herunder start og sluttidspunkter?",
    ),
    (
        "DOKUMENTATION",
        "Hvordan monitoreres og dokumenteres målene for kvalitetsudviklingen?",
    ),
    ("HVEM?", "Hvem er ansvarlig for gennemførelse og opfølgning på tiltagene?"),
    ("RESULTAT", "Hvad er resultatet af kvalitetsudviklingsprocessen?"),
]

_PLEJEFAMILIE_STATUS = [
    ("TEMA", "Skriv, hvilket tema, planen omhandler, og prioriter indsatserne"),
    ("EMNE", "Hvad er indsatsområdet og årsagerne til dette?"),
    ("MÅL", "Hvad er de konkrete mål for indsatsen?"),
    ("HVAD?", "Hvilke tiltag skal gennemførelsen indeholde?"),
    ("HVORDAN?", "Hvilke midler er til rådighed for gennemførelsen?"),
    ("HVORNÅR?", "Hvad er tidsrammen for gennemførelsen?"),
    ("DOKUMENTATION", "Hvordan overvåges og dokumenteres målopfyldelsen?"),
    ("HVEM?", "Hvem er ansvarlig for opfølgning?"),
    ("STATUS", ""),
]

_STATUS_LAST = ("STATUS", "Hvad er status på kvalitetsudviklingsprocessen?")

COLUMN_SETS = {
    "tilbud_result": _TILBUD,
    "tilbud_status": [*_TILBUD[:8], _STATUS_LAST],
    "plejefamilie_result": _PLEJEFAMILIE_RESULT,
    "plejefamilie_status": _PLEJEFAMILIE_STATUS,
    # A Swedish handlingsplan printed for a Danish reader: the tilbud wording fits it.
    "handlingsplan_result": _TILBUD,
    "handlingsplan_status": [*_TILBUD[:8], _STATUS_LAST],
}

PRIORITY = "{n}. prioritet:"

TIMEFRAME = {"start": "Start:", "end": "Slut:", "ongoing": "Varig ordning"}
# Other ways the templates label the same things; only read, never written.
TIMEFRAME_ALIASES = {
    "start": ("Start:", "Starttidspunkt:", "Påbegyndt:"),
    "end": ("Slut:", "Sluttidspunkt:", "Afsluttes:"),
    "ongoing": ("Varig ordning", "Løbende"),
}

MONTHS = (
    "januar",
    "februar",
    "marts",
    "april",
    "maj",
    "juni",
    "juli",
    "august",
    "september",
    "oktober",
    "november",
    "december",
)

SPREADSHEET = {
    "file": "indsatser",
    "unit": "Tilbud/afdeling",
    "plan": "Plan",
    "plan_state": "Planens status",
    "priority": "Prioritet",
    "theme": "Tema",
    "topic": "Emne",
    "goal": "Mål",
    "activities": "Hvad?",
    "resources": "Hvordan?",
    "start_date": "Start",
    "end_date": "Frist",
    "ongoing": "Varig ordning",
    "timeframe_note": "Hvornår?",
    "documentation": "Dokumentation",
    "responsible": "Hvem?",
    "result": "Resultat/status",
    "state": "Tilstand",
    "overdue": "Overskredet",
    "yes": "ja",
    "no": "nej",
}

# The words of the PWA (pwa/src/locales), so a sheet says what the screen says.
PLAN_STATES = {
    "draft": "Kladde",
    "submitted": "Sendt til godkendelse",
    "approved": "Godkendt af ledelsen",
    "completed": "Afsluttet",
    "archived": "Arkiveret",
}
ITEM_STATES = {
    "not_started": "Ikke startet",
    "in_progress": "I gang",
    "done": "Gennemført",
    "cancelled": "Opgivet",
}
ORIGINS = {
    "inspection": "Tilsynsbesøg",
    "paabud": "Påbud",
    "anbefaling": "Anbefaling",
    "own_initiative": "Eget initiativ",
}

# The optional appendix with the dialogue between the tilbud and the socialtilsyn.
THREADS = {
    "title": "Bilag: Dialog med tilsynet",
    "plan": "Planen som helhed",
    "inspector": "Tilsynsførende",
    "none": "Ingen beskeder.",
}
# The section after the table: each row's state, evidence and (optionally) progress notes.
PROGRESS = {
    "title": "Rækkernes tilstand, fremdrift og dokumentation",
    "title_no_notes": "Rækkernes tilstand og dokumentation",
    "state": "Tilstand",
    "attachments": "Bilag (dokumentation)",
    "note_attachments": "Bilag til notatet",
    "no_notes": "Ingen notater om fremdrift.",
    "photo": "foto",
    "pdf": "PDF",
}
