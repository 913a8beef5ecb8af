"""Danish labels. Column wording is the wording of the Danish templates (seeds 000 and 001).

The foster-family template (001) was extracted from a narrow-column Word table, which left
hyphens of line breaks in some questions ("kvalitets- udviklingen", "tids-rammen",
"ændres/-udvikles"); they are written here as the words they are. The STATUS variant has no
guiding question under STATUS in the template, so that cell stays empty.
"""

from server.plan_templates import columns, layouts, titles

TITLES = titles("da")

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

# The column wording of every layout: server/catalogues/templates/plan_columns.json.
COLUMN_SETS = {layout: columns(layout, "da") for layout in layouts()}

# Written before the criterion a row answers, under its theme in the TEMA cell.
CRITERION = "Kriterium:"

PRIORITY = "{n}. prioritet:"

# A row's end is its sluttidspunkt, as the template asks ("start- og sluttidspunkt"); "frist"
# is kept for a påbud's legal deadline.
TIMEFRAME = {"start": "Start:", "end": "Sluttidspunkt:", "ongoing": "Varig ordning"}
# Other ways the templates label the same things; only read, never written.
TIMEFRAME_ALIASES = {
    "start": ("Start:", "Starttidspunkt:", "Påbegyndt:"),
    "end": ("Slut:", "Sluttidspunkt:", "Slutdato:", "Afsluttes:"),
    "ongoing": ("Varig ordning", "Løbende"),
}
# A month without a day, as people write an end ("Ved udløb september 2021"): which day of it.
MONTH_PARTS = {
    "first": ("primo", "begyndelsen af", "start af", "starten af"),
    "middle": ("medio", "midten af", "midt i"),
    "last": ("ved udløb af", "ved udløb", "udløb af", "udløb", "ved udgangen af", "udgangen af")
    + ("ultimo", "slutningen af", "slut"),
}

# HVEM?'s two jobs (seed 001: "ansvarlig for gennemførelsen" and "for opfølgning"). When the
# same people do both, the cell lists them plainly, as the template's one question asks; else
# each job has a labelled line. Aliases are only read.
RESPONSIBLE_ROLES = {"responsible": "Gennemførelse:", "follow_up_responsible": "Opfølgning:"}
RESPONSIBLE_ALIASES = {
    "responsible": ("Gennemførelse:", "Ansvarlig for gennemførelse:", "Gennemføres af:"),
    "follow_up_responsible": ("Opfølgning:", "Ansvarlig for opfølgning:", "Følges op af:"),
}

# The approval line of the header (seed 000: "Planen skal være godkendt af tilbuddets
# ledelse"): who approved and when, or that it is not approved yet.
# The catalogue version the plan is written under (issue 17: chosen per plan), as the PWA's
# plan header shows it: the catalogue's own name, which is data in its own language, and the
# version. The import reads the version back.
CATALOGUE = {"label": "Kvalitetsmodel:", "value": "{name} ({version})"}

APPROVAL = {
    "label": "Godkendt af ledelsen:",
    "by_at": "{name}, {date}",
    "not_yet": "Ikke godkendt endnu",
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
    "end_date": "Slutdato",
    "ongoing": "Varig ordning",
    "timeframe_note": "Hvornår?",
    "documentation": "Dokumentation",
    "responsible": "Hvem? (gennemførelse)",
    "follow_up_responsible": "Hvem? (opfølgning)",
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
