"""Swedish text normalisation for lexical search: tokens, stop words, stems, compounds and query synonyms.

The same `Analyzer` turns stored chunks and queries into terms, so both sides always agree. Steps:

1. lowercase; words are runs of letters and digits (å, ä, ö and é kept); hyphens and punctuation split words;
2. stop words (a compact Swedish list, plus a few English function words for English questions) are dropped;
3. compounds: a long word is also indexed as its parts when both parts occur as words of their own in the
   corpus (`kontorsstol` -> `kontor` + `stol`, with the linking `s` dropped), so `stol` finds `kontorsstol`
   and `arbetsstol` finds `kontorsstol` through the shared head;
4. every term is stemmed with the Snowball Swedish stemmer (PyStemmer).

Queries are first expanded with `SYNONYMS`: a small table of English procurement words and everyday Swedish
words mapped to the corpus' own wording, matched on stems (so one entry covers singular and plural);
see docs/RETRIEVAL.md for why each group is there.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from functools import lru_cache

WORD = re.compile(r"[0-9a-zåäöéüæø]+")

# Function words only: content words such as "krav" or "ska" carry no meaning here either, but BM25's idf
# already weighs them down, and dropping them would break exact phrases such as clause titles.
STOP_WORDS = frozenset(
    """
    alla allt att av bara bli blir blev de dem den denna deras dess dessa det detta dig din dina ditt du
    där då efter ej eller en ett fram från för ha hade han har hon hur här i icke in inom inte jag ju
    kan kunde man med mellan men mig min mina mitt mot ni nu när någon något några och om oss på samma
    sedan sig sin sina sitt själv skulle som så till under upp ut utan vad var vara varit vars vem vi
    vid vilka vilken vilket än är åt över a an and are as at be by can do does for from how i in is it's
    of on or our should that the their this to we what when which who will with you your
    """.split()
)

# Query expansion: a query term (or phrase) -> corpus wording added to the query. Kept small on purpose:
# English words procurers type for the Swedish terms the clause library uses, and everyday Swedish synonyms
# that the corpus writes one way only. Each right-hand side is plain Swedish that the analyzer then stems.
SYNONYMS: dict[str, str] = {
    # everyday words -> the corpus' terms
    "laptop": "bärbar dator",
    "kontorsstol": "arbetsstol",
    "arbetsstol": "kontorsstol",
    "mobil": "mobiltelefon smarttelefon",
    "begagnad": "återbrukad",
    "second hand": "återbrukad begagnad",
    "secondhand": "återbrukad begagnad",
    # English procurement words -> Swedish
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


@lru_cache(maxsize=1)
def _stemmer():
    import Stemmer

    return Stemmer.Stemmer("swedish")


def words(text: str) -> list[str]:
    """The lowercase words of `text`, stop words removed."""
    return [w for w in WORD.findall(text.lower()) if w not in STOP_WORDS and (len(w) > 1 or w.isdigit())]


def stem(terms: list[str]) -> list[str]:
    """Snowball Swedish stems of `terms`."""
    return list(_stemmer().stemWords(terms))


@lru_cache(maxsize=1)
def _synonym_stems() -> list[tuple[tuple[str, ...], str]]:
    return [(tuple(stem(WORD.findall(key.lower()))), target) for key, target in SYNONYMS.items()]


def expand_query(query: str) -> str:
    """`query`, lowercased, with the synonyms of its words and phrases appended.

    Table keys are matched on stems, so `office chairs` finds the entry `office chair`.
    """
    query_stems = stem(WORD.findall(query.lower()))
    extra = []
    for key, target in _synonym_stems():
        size = len(key)
        if any(tuple(query_stems[i : i + size]) == key for i in range(len(query_stems) - size + 1)):
            extra.append(target)
    return " ".join([query.lower(), *dict.fromkeys(extra)])


class Analyzer:
    """Text -> terms. `vocabulary` (surface words seen in the corpus) is what compounds are split against."""

    def __init__(self, vocabulary: Iterable[str] = (), compounds: bool = True):
        self.vocabulary = frozenset(vocabulary)
        self.compounds = compounds
        self._splits: dict[str, tuple[str, ...]] = {}

    @classmethod
    def from_texts(cls, texts: Iterable[str], compounds: bool = True) -> Analyzer:
        """An analyzer whose vocabulary is every word of `texts` that can be a compound part."""
        vocab: set[str] = set()
        for text in texts:
            vocab.update(w for w in words(text) if len(w) >= MIN_PART and not w.isdigit())
        return cls(vocab, compounds=compounds)

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
        """Terms of a query after synonym expansion."""
        return self.terms(expand_query(query))
