"""Swedish text normalisation for lexical search: tokens, stop words, stems, compounds and query synonyms.

The same `Analyzer` turns stored chunks and queries into terms, so both sides always agree. Steps:

1. lowercase; words are runs of letters and digits (å, ä, ö and é kept); hyphens and punctuation split words;
2. stop words (a compact Swedish list, plus a few English function words for English questions) are dropped;
3. compounds: a long word is also indexed as its parts when they occur as words of their own in the corpus
   (`kontorsstolar` -> `kontor` + `stolar`, the linking `s` dropped), or as its head alone when only the head
   does, so `stol` finds `kontorsstol` and `arbetsstol` finds it through the shared head;
4. every term is stemmed with the Snowball Swedish stemmer (PyStemmer).

Queries are first expanded: `SYNONYMS` adds the corpus' wording for a few everyday Swedish words, and English
phrases are replaced by their Swedish terms, from `ENGLISH` (a short hand-kept table) and from the corpus'
own Swedish-English glossary (`glossary`, read from the indexed note). Phrases are matched on stems, so one
entry covers singular and plural. docs/RETRIEVAL.md has the measurements behind each step.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from functools import lru_cache

WORD = re.compile(r"[0-9a-zåäöéüæø]+")

# Function words only. Words every clause has ("krav", "ska", "leverantören") are left to BM25's idf: dropping
# more of the words questions are made of ("ska", "måste", "finns", "gör") measured slightly worse on dev.
STOP_WORDS = frozenset(
    """
    alla allt att av bara bli blir blev de dem den denna deras dess dessa det detta dig din dina ditt du
    där då efter ej eller en ett fram från för ha hade han har hon hur här i icke in inom inte jag ju
    kan kunde man med mellan men mig min mina mitt mot ni nu när någon något några och om oss på samma
    sedan sig sin sina sitt själv skulle som så till under upp ut utan vad var vara varit vars vem vi
    vid vilka vilken vilket än är åt över a an and are as at be by can do does for from how i in is
    its of on or our should that the their this to we what when which who will with you your
    """.split()
)

# Everyday words -> the corpus' wording, added to the query (the corpus writes each of these one way only).
# Kept small on purpose; each right-hand side is plain Swedish that the analyzer then stems.
SYNONYMS: dict[str, str] = {
    "laptop": "bärbar dator",
    "kontorsstol": "arbetsstol",
    "arbetsstol": "kontorsstol",
    "mobil": "mobiltelefon smarttelefon",
    "begagnad": "återbrukad",
}

# English -> Swedish. An English phrase found in a query is replaced by its Swedish terms (the English words
# would match little but the glossary itself). The corpus glossary (`glossary`) adds its rows to these.
ENGLISH: dict[str, str] = {
    "second hand": "återbrukad begagnad",
    "secondhand": "återbrukad begagnad",
    "chair": "stol",
    "office chair": "kontorsstol arbetsstol",
    "furniture": "möbler",
    "computer": "dator",
    "phone": "telefon mobiltelefon",
    "smartphone": "smarttelefon mobiltelefon",
    "spare parts": "reservdelar",
    "repair": "reparation reparera",
    "repairability": "reparerbarhet reparation",
    "reuse": "återbruk",
    "reused": "återbrukad",
    "refurbished": "renoverad rekonditionerad",
    "recycled": "återvunnen återvunnet",
    "recycling": "återvinning",
    "take-back": "återtag",
    "take back": "återtag",
    "lifetime": "livslängd",
    "lifespan": "livslängd",
    "durability": "hållbarhet livslängd",
    "warranty": "garanti",
    "guarantee": "garanti",
    "requirement": "krav",
    "criteria": "kriterier",
    "award criterion": "tilldelningskriterium",
    "technical specification": "teknisk specifikation",
    "contract clause": "kontraktsvillkor",
    "contract conditions": "kontraktsvillkor",
    "contract performance": "kontraktsvillkor",
    "selection criteria": "kvalificeringskrav",
    "supplier": "leverantör",
    "tender": "anbud",
    "tenderer": "anbudsgivare",
    "procurement": "upphandling",
    "verification": "verifiering",
    "textiles": "textilier",
    "workwear": "arbetskläder",
    "clothing": "kläder",
    "food": "livsmedel",
    "meals": "måltider",
    "food waste": "matsvinn",
    "vehicle": "fordon",
    "cleaning": "städning städtjänster",
    "chemicals": "kemikalier",
    "packaging": "förpackningar",
    "construction": "bygg byggnation",
    "demolition": "rivning",
    "building materials": "byggmaterial byggprodukter",
    "battery": "batteri",
    "hazardous substances": "farliga ämnen",
    "life cycle cost": "livscykelkostnad",
    "life-cycle cost": "livscykelkostnad",
    "preschool": "förskola",
    "toys": "leksaker",
    "healthcare": "vård",
    "events": "evenemang",
    "label": "märkning",
    "ecolabel": "miljömärkning",
    "leasing": "leasing hyra",
    "rental": "hyra uthyrning",
}

LINKING = ("s", "e", "a", "u", "o")  # Swedish linking letters between the parts of a compound (fogemorfem)
MIN_COMPOUND = 9  # words shorter than this are not split
MIN_PART = 3  # the shortest part a compound is split into (stol, mat, bil)
MIN_LONE_HEAD = 5  # the shortest head indexed on its own when the modifier is not a known word
TRANSLATED_SHARE = 0.5  # a query at least this much translated is embedded in its Swedish rendering


@lru_cache(maxsize=2)
def _stemmer(language: str = "swedish"):
    import Stemmer

    return Stemmer.Stemmer(language)


def words(text: str) -> list[str]:
    """The lowercase words of `text`, stop words removed."""
    return [w for w in WORD.findall(text.lower()) if w not in STOP_WORDS and (len(w) > 1 or w.isdigit())]


def stem(terms: list[str], language: str = "swedish") -> list[str]:
    """Snowball stems of `terms` (Swedish unless `language` says otherwise)."""
    return list(_stemmer(language).stemWords(terms))


Expansion = tuple[
    tuple[str, ...], str, bool
]  # (stems of a phrase, what it adds, whether it replaces the phrase); English phrases have English stems


def expansions(table: dict[str, str], replace: bool = False) -> list[Expansion]:
    """A synonym table keyed by the stems of each phrase: `office chairs` finds the entry `office chair`.

    A replacing table is English (English phrase -> Swedish terms), so its keys get English stems and match a
    query's English stems: `suppliers` finds `supplier`, `ecolabelled` finds `ecolabel`."""
    out = []
    for key, target in table.items():
        stems = tuple(stem(words(key), "english" if replace else "swedish"))
        if stems:
            out.append((stems, target, replace))
    return out


ExpansionIndex = dict[tuple[bool, str], list[Expansion]]  # (replaces, first stem) -> the entries starting so


def index_expansions(table: list[Expansion]) -> ExpansionIndex:
    """`table` keyed by each entry's first stem, so a query is matched in one pass over its words."""
    index: ExpansionIndex = {}
    for entry in table:
        index.setdefault((entry[2], entry[0][0]), []).append(entry)
    return index


@lru_cache(maxsize=1)
def _builtin() -> list[Expansion]:
    return expansions(SYNONYMS) + expansions(ENGLISH, replace=True)


@lru_cache(maxsize=1)
def _builtin_index() -> ExpansionIndex:
    return index_expansions(_builtin())


def expand_query(query: str, table: ExpansionIndex | None = None) -> str:
    """The words of `query` (lowercase, no stop words) with synonyms added and English phrases translated.

    `table` defaults to `SYNONYMS` and `ENGLISH` (see `index_expansions`).
    """
    return _expand(query, table)[0]


def _expand(query: str, table: ExpansionIndex | None = None) -> tuple[str, float]:
    """(`expand_query`'s text, the share of the query's words that were translated into other words)."""
    index = _builtin_index() if table is None else table
    tokens = words(query)
    by_language = {False: stem(tokens), True: stem(tokens, "english")}
    keep = [True] * len(tokens)
    translated = [False] * len(tokens)
    extra = []
    for replace, stems in by_language.items():
        for start, first in enumerate(stems):
            for key, target, _replace in index.get((replace, first), ()):
                size = len(key)
                if tuple(stems[start : start + size]) != key:
                    continue
                extra.append(target)
                if replace:
                    keep[start : start + size] = [False] * size
                    targets = set(words(target))
                    for n in range(start, start + size):  # `leasing` -> `leasing hyra` is not a translation
                        translated[n] = translated[n] or tokens[n] not in targets
    kept = [token for token, wanted in zip(tokens, keep, strict=True) if wanted]
    share = sum(translated) / len(tokens) if tokens else 0.0
    return " ".join([*kept, *dict.fromkeys(extra)]), share


TABLE_ROW = re.compile(r"^\|(.+)\|\s*$", re.MULTILINE)
PARENTHESES = re.compile(r"\([^)]*\)")
MIN_GLOSSARY_WORD = (
    4  # a one-word English entry shorter than this (lot, bid) is too likely to mean something else
)


def glossary(texts: Iterable[str]) -> dict[str, str]:
    """English term -> Swedish term(s), from the Markdown tables of a glossary.

    A glossary is a document with a table whose header starts `| svenska | English |` (the corpus note
    `ordlista-sv-en`). `texts` are one document's chunks, in any order; any other document gives {}.
    """
    rows = [
        [cell.strip() for cell in m.group(1).split("|")] for text in texts for m in TABLE_ROW.finditer(text)
    ]
    if not any(
        len(r) >= 2 and r[0].lower() == "svenska" and r[1].lower() in ("english", "engelska") for r in rows
    ):
        return {}
    out: dict[str, str] = {}
    for row in rows:
        if len(row) < 2 or row[0].lower() == "svenska" or set(row[0]) <= set("-: "):
            continue
        swedish = " ".join(PARENTHESES.sub(" ", row[0]).replace(",", " ").split())
        for english in PARENTHESES.sub(" ", row[1]).replace("/", ",").split(","):
            english = " ".join(english.split()).lower()
            if not english or not swedish:
                continue
            if " " not in english and len(english) < MIN_GLOSSARY_WORD:
                continue
            out.setdefault(english, swedish)
    return out


# A question about words rather than things: "vad heter återtag på engelska?", "Swedish word for call-off".
WORD_QUESTION = re.compile(
    r"\b(heter|betyder|översätt\w*|translat\w*|ordlista\w*|glossary|på engelska|in english"
    r"|(swedish|english|svenska|engelska) (word|term|ord|begrepp)\w*|(word|term)s? for|mean(s|ing)?)\b",
    re.IGNORECASE,
)


def asks_for_words(query: str) -> bool:
    """Whether `query` asks what a term is called or means, in Swedish or English: the one kind of question
    a glossary answers itself rather than helps translate."""
    return WORD_QUESTION.search(query) is not None


class Analyzer:
    """Text -> terms. `vocabulary` (surface words seen in the corpus) is what compounds are split against."""

    def __init__(
        self, vocabulary: Iterable[str] = (), glossary: dict[str, str] | None = None, compounds: bool = True
    ):
        self.vocabulary = frozenset(vocabulary)
        self.glossary = dict(glossary or {})
        self.compounds = compounds
        self._splits: dict[str, tuple[str, ...]] = {}
        self._expansions = index_expansions(_builtin() + expansions(self.glossary, replace=True))

    @classmethod
    def from_texts(
        cls, texts: Iterable[str], glossary: dict[str, str] | None = None, compounds: bool = True
    ) -> Analyzer:
        """An analyzer whose vocabulary is every word of `texts` that can be a compound part."""
        vocab: set[str] = set()
        for text in texts:
            vocab.update(w for w in words(text) if len(w) >= MIN_PART and not w.isdigit())
        return cls(vocab, glossary, compounds=compounds)

    def split(self, word: str) -> tuple[str, ...]:
        """The parts of compound `word` (modifier, head) found in the vocabulary, or () when none is."""
        if not self.compounds or len(word) < MIN_COMPOUND or word.isdigit():
            return ()
        cached = self._splits.get(word)
        if cached is not None:
            return cached
        best: tuple[str, ...] = ()
        # Prefer the longest head: Swedish compounds are head-final, and a long head is less ambiguous.
        for cut in range(MIN_PART, len(word) - MIN_PART + 1):
            head = word[cut:]
            if head not in self.vocabulary:
                continue
            modifier = word[:cut]
            if modifier in self.vocabulary:
                best = (modifier, head)
            elif modifier[-1] in LINKING and modifier[:-1] in self.vocabulary and len(modifier) > MIN_PART:
                best = (modifier[:-1], head)
            elif not best and len(head) >= MIN_LONE_HEAD:
                best = (head,)  # an unknown modifier: the head alone still says what the thing is
                continue
            if len(best) == 2:
                break
        self._splits[word] = best
        return best

    def terms(self, text: str) -> list[str]:
        """Stemmed terms of `text`: each word, then the parts of each compound."""
        out: list[str] = []
        for word in words(text):
            out.append(word)
            out.extend(self.split(word))
        return stem(out)

    def query_terms(self, query: str) -> list[str]:
        """Terms of a query after expansion with `SYNONYMS`, `ENGLISH` and the corpus glossary."""
        return self.terms(expand_query(query, self._expansions))

    def dense_query(self, query: str) -> str:
        """What dense search embeds for `query`: its Swedish rendering when the glossary translated at least
        half of its words (an English question: "refurbished fridges" -> "renoverad ... kylskåp"), else the
        query as typed. The corpus is Swedish; measured on cirkla-sv dev, English questions embedded in
        Swedish find the right document far more often (docs/RETRIEVAL.md)."""
        expanded, share = _expand(query, self._expansions)
        return expanded if expanded and share >= TRANSLATED_SHARE else query
