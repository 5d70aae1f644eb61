"""Swedish normalisation: stop words, stems, compounds, synonyms."""

import pytest

from assistant.swedish import Analyzer, asks_for_words, expand_query, glossary, words


def test_words_lowercase_keep_swedish_letters_and_drop_stop_words():
    assert words("Återbruk av möbler och IT-utrustning, för 5 år") == [
        "återbruk",
        "möbler",
        "it",
        "utrustning",
        "5",
        "år",
    ]


def test_compound_split_against_vocabulary():
    analyzer = Analyzer.from_texts(["kontor och stolar", "arbete", "kläder"])
    assert analyzer.split("kontorsstolar") == ("kontor", "stolar")  # linking s dropped
    # "arbet" is not a word of the corpus (only "arbete" is): the head alone is indexed
    assert analyzer.split("arbetskläder") == ("kläder",)
    assert analyzer.split("stolar") == ()  # too short to be a compound
    # the head of a compound whose modifier is unknown is still indexed
    assert Analyzer.from_texts(["stolar"]).split("skrivbordsstolar") == ("stolar",)
    # terms are stemmed: stol matches kontorsstolar through its head
    assert "stol" in analyzer.terms("kontorsstolar")


def test_query_synonyms_english_and_everyday_words():
    assert "bärbar dator" in expand_query("Laptop with a replaceable battery")
    assert "arbetsstol" in expand_query("kontorsstol")
    assert "reservdelar" in expand_query("spare parts for chairs")
    assert "återtag" in expand_query("take-back scheme")
    assert expand_query("reservdelar") == "reservdelar"


GLOSSARY_NOTE = """
| svenska | English | kort förklaring |
|---|---|---|
| återtag | take-back | leverantören tar tillbaka |
| LOU, lagen om offentlig upphandling | Swedish Public Procurement Act (2016:1145) | huvudlagen |
| delområde | lot | del av en upphandling |
"""


def test_glossary_rows_become_english_to_swedish_terms():
    assert glossary([GLOSSARY_NOTE, "| regummerade däck | retreaded tyres | |"]) == {
        "take-back": "återtag",
        "swedish public procurement act": "LOU lagen om offentlig upphandling",
        "retreaded tyres": "regummerade däck",  # a later chunk of the same note, without the header
        # "lot" is left out: a one-word English entry under four letters is too ambiguous
    }
    assert glossary(["| a | b |\n|---|---|\n| x | y |"]) == {}  # not a glossary: no svenska/English header


def test_english_phrases_are_replaced_swedish_synonyms_added():
    analyzer = Analyzer(glossary={"retreaded tyres": "regummerade däck"})
    assert analyzer.query_terms("retreaded tyres") == ["regummer", "däck"]
    assert analyzer.query_terms("kontorsstol") == ["kontorsstol", "arbetsstol"]


def test_english_phrases_match_on_english_stems():
    # the table says "supplier" and "ecolabel"; plurals and inflections of the question still match
    assert "leverantör" in expand_query("what suppliers can do")
    analyzer = Analyzer(glossary={"fridge": "kylskåp", "ecolabel": "miljömärkning"})
    assert analyzer.query_terms("ecolabelled fridges") == ["miljömärkning", "kylskåp"]


def test_dense_query_is_the_swedish_rendering_of_a_mostly_translated_question():
    analyzer = Analyzer(glossary={"fridge": "kylskåp", "dishwasher": "diskmaskin", "biogas": "biogas"})
    # three of four words translated: the Swedish words are embedded
    assert analyzer.dense_query("refurbished fridges and dishwashers") == "renoverad rekonditionerad kylskåp diskmaskin"
    # a Swedish question is embedded as typed, even where one word is also an English table key
    assert analyzer.dense_query("biogas från matavfallet") == "biogas från matavfallet"
    assert analyzer.dense_query("begagnade kylskåp") == "begagnade kylskåp"
    # one English word of three is not enough to embed the translation instead of the question
    assert analyzer.dense_query("dishwasher med lång livslängd") == "dishwasher med lång livslängd"


@pytest.mark.parametrize(
    "query, expected",
    [
        ("vad heter återtag på engelska?", True),
        ("what is the Swedish word for call-off?", True),
        ("vad betyder LCC?", True),
        ("what does take-back mean", True),
        ("översätt tilldelningskriterium", True),
        ("bruksanvisning på svenska för vitvaror", False),  # a manual in Swedish, not a word
        ("kan vi kräva att batteriet går att byta?", False),
        ("meaningful requirements for laptops", False),
    ],
)
def test_a_question_about_words_is_told_from_one_about_things(query, expected):
    assert asks_for_words(query) is expected
