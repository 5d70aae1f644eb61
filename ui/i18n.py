"""The app's words in Swedish (the default) and English, and the choices of the filter dropdowns."""

from __future__ import annotations

from assistant.labels import LEVEL_ORDER, TYPE_ORDER, level_label, type_label

ALL = "alla"  # the dropdown value meaning "no filter"
# Renders run one at a time: Gradio 6 reads its list of event handlers while another render of the same session
# adds to it ("dictionary changed size during iteration"), so the app's dynamic sections share one queue.
RENDER = {"concurrency_limit": 1, "concurrency_id": "render"}
LANGUAGES = [("Svenska", "sv"), ("English", "en")]

STRINGS: dict[str, dict[str, str]] = {
    "sv": {
        "title": "## Cirkla · cirkulära krav med källor",
        "subtitle": "Fråga om vad ni ska upphandla. Svaret bygger på klausulbiblioteket och vägledningarna, "
        "och varje [n] leder till sin källa.",
        "language": "Språk",
        "tab_chat": "Chatt",
        "tab_draft": "Utkast",
        "chatbot": "Samtal",
        "question": "Din fråga",
        "placeholder": "T.ex. Vilka cirkulära krav kan vi ställa på kontorsmöbler?",
        "send": "Skicka",
        "new_chat": "Nytt samtal",
        "filters": "### Filter",
        "area": "Produktområde",
        "type": "Kravtyp",
        "level": "Nivå",
        "all_areas": "Alla områden",
        "all_types": "Alla kravtyper",
        "all_levels": "Alla nivåer",
        "sources": "### Källor",
        "no_sources": "Källorna till svaret visas här. Klicka på en hänvisning [n] i svaret för att se den.",
        "proposals": "#### Föreslagna krav – lägg till i utkastet med ett klick",
        "no_proposals": "",
        "add": "+ Lägg till",
        "added": "Tillagt i utkastet",
        "draft_empty": "Utkastet är tomt. Lägg till föreslagna krav från chatten.",
        "draft_intro": "### Utkast till krav\nKraven ordnas efter kravtyp som i upphandlingsdokumenten. "
        "Ändra ordning inom en kravtyp med Upp och Ner.",
        "up": "Upp",
        "down": "Ner",
        "remove": "Ta bort",
        "export_docx": "Word (.docx)",
        "export_md": "Markdown",
        "clear_draft": "Töm utkastet",
        "download": "Ladda ned",
        "verification": "Verifiering",
        "rationale": "Motivering",
        "clause_sources": "Kravets källor",
        "open_file": "Öppna originalfilen",
        "page": "sida",
        "clause": "Krav",
        "guidance": "Vägledning",
        "document": "Dokument",
        "earlier": "Källor till tidigare svar",
        "error": "Något gick fel när svaret skulle tas fram ({error}). Försök igen, eller formulera frågan "
        "annorlunda.",
        "thinking": "Söker i klausulbiblioteket …",
        "flagged": "Varning: dokumentet innehåller text som vänder sig till en AI eller ger läsaren "
        "instruktioner. Den texten visas inte i svaret och följs inte; kontrollera dokumentet.",
        "award_model": "Utvärderingsmodell",
        "sanction": "Påföljd",
        "anvisning": "Anvisning till upphandlaren",
        "value_missing": "inget värde ifyllt",
        "allowed": "tillåtet",
        "recommended": "rekommenderat",
        "value_source": "Källa till rekommenderat värde",
        "check_button": "Granska utkastet",
        "check_clean": "✅ Granskningen hittade inga brister i utkastet.",
        "check_heading": "#### Granskning: {n} iakttagelser",
        "action": "Åtgärd",
        "see": "se",
        "plan_heading": "Uppföljningsplan",
        "export_xlsx": "Excel (.xlsx)",
        "export_json": "JSON (kan läsas in igen)",
        "tab_package": "Kravpaket",
        "package_intro": "### Kravpaket\nVälj produktområde, produktgrupper och nivå. Högre nivåer innehåller de "
        "lägre, utom krav som ersätts av en skarpare variant.",
        "package_area": "Produktområde",
        "package_groups": "Produktgrupper (inga valda: alla)",
        "package_level": "Nivå",
        "package_add": "Lägg till alla i utkastet",
        "package_empty": "Välj ett produktområde för att se paketet.",
        "package_count": "{n} krav i paketet",
        "package_added": "{n} krav tillagda i utkastet.",
        "ladder": "Nivåer",
        "swap_to": "Byt till {level}",
        "parameters": "Parametrar",
        "requires": "Kräver",
        "counterparts": "Motsvarigheter",
        "last_reviewed": "Senast granskad",
        "examples": "#### Exempel på frågor",
        "open_package": "Öppna kravpaketen",
        "show_all": "Visa alla {n} förslag",
    },
    "en": {
        "title": "## Cirkla · circular requirements with sources",
        "subtitle": "Ask about what you are buying. Answers come from the clause library and the guidance, "
        "and every [n] leads to its source.",
        "language": "Language",
        "tab_chat": "Chat",
        "tab_draft": "Draft",
        "chatbot": "Conversation",
        "question": "Your question",
        "placeholder": "E.g. Which circular requirements can we set for office furniture?",
        "send": "Send",
        "new_chat": "New conversation",
        "filters": "### Filters",
        "area": "Product area",
        "type": "Requirement type",
        "level": "Level",
        "all_areas": "All areas",
        "all_types": "All requirement types",
        "all_levels": "All levels",
        "sources": "### Sources",
        "no_sources": "The answer's sources appear here. Click a citation [n] in the answer to see it.",
        "proposals": "#### Proposed requirements – add to the draft in one click",
        "no_proposals": "",
        "add": "+ Add",
        "added": "In the draft",
        "draft_empty": "The draft is empty. Add proposed requirements from the chat.",
        "draft_intro": "### Draft requirements\nRequirements are ordered by type, as in procurement "
        "documents. Reorder within a type with Up and Down.",
        "up": "Up",
        "down": "Down",
        "remove": "Remove",
        "export_docx": "Word (.docx)",
        "export_md": "Markdown",
        "clear_draft": "Clear the draft",
        "download": "Download",
        "verification": "Verification",
        "rationale": "Rationale",
        "clause_sources": "The requirement's sources",
        "open_file": "Open the original file",
        "page": "page",
        "clause": "Requirement",
        "guidance": "Guidance",
        "document": "Document",
        "earlier": "Sources of earlier answers",
        "error": "Something went wrong while preparing the answer ({error}). Try again, or rephrase the "
        "question.",
        "thinking": "Searching the clause library …",
        "flagged": "Warning: the document contains text addressed to an AI or giving the reader instructions. "
        "That text is not shown in the answer and is not followed; check the document.",
        "award_model": "Award model",
        "sanction": "Sanction",
        "anvisning": "Note to the procurer",
        "value_missing": "no value filled in",
        "allowed": "allowed",
        "recommended": "recommended",
        "value_source": "Source of the recommended value",
        "check_button": "Check the draft",
        "check_clean": "✅ The check found nothing wrong with the draft.",
        "check_heading": "#### Check: {n} findings",
        "action": "What to do",
        "see": "see",
        "plan_heading": "Follow-up plan",
        "export_xlsx": "Excel (.xlsx)",
        "export_json": "JSON (can be imported again)",
        "tab_package": "Packages",
        "package_intro": "### Requirement packages\nChoose a product area, product groups and a level. Higher levels "
        "include the lower ones, except requirements a stricter variant replaces.",
        "package_area": "Product area",
        "package_groups": "Product groups (none chosen: all)",
        "package_level": "Level",
        "package_add": "Add all to the draft",
        "package_empty": "Choose a product area to see its package.",
        "package_count": "{n} requirements in the package",
        "package_added": "{n} requirements added to the draft.",
        "ladder": "Levels",
        "swap_to": "Switch to {level}",
        "parameters": "Parameters",
        "requires": "Requires",
        "counterparts": "Counterparts",
        "last_reviewed": "Last reviewed",
        "examples": "#### Example questions",
        "open_package": "Open the requirement packages",
        "show_all": "Show all {n} proposals",
    },
}


def t(language: str, key: str) -> str:
    """The string `key` in `language` (Swedish when the language is unknown)."""
    return STRINGS["en" if language == "en" else "sv"][key]


def area_choices(area_names: dict[str, dict[str, str]], language: str) -> list[tuple[str, str]]:
    lang = "en" if language == "en" else "sv"
    return [(t(lang, "all_areas"), ALL)] + [
        (names.get(lang, slug), slug) for slug, names in area_names.items()
    ]


def type_choices(language: str) -> list[tuple[str, str]]:
    return [(t(language, "all_types"), ALL)] + [(type_label(x, language, plural=True), x) for x in TYPE_ORDER]


def level_choices(language: str) -> list[tuple[str, str]]:
    return [(t(language, "all_levels"), ALL)] + [(level_label(x, language), x) for x in LEVEL_ORDER]


# One example question per common area, shown in an empty chat.
EXAMPLES = {
    "sv": [
        "Vi ska köpa kontorsstolar, vilka cirkulära krav kan vi ställa?",
        "Vilka krav på reparerbarhet och återtag kan vi ställa på bärbara datorer?",
        "Hur ställer vi krav på arbetskläder som håller längre?",
        "Vad är skillnaden mellan ett skall-krav och ett tilldelningskriterium?",
    ],
    "en": [
        "We are buying office chairs: which circular requirements can we set?",
        "Which repairability and take-back requirements can we set for laptops?",
        "How do we require workwear that lasts longer?",
        "What is the difference between a mandatory requirement and an award criterion?",
    ],
}
