"""Swedish normalisation: stop words, stems, compounds, synonyms."""

from assistant.swedish import Analyzer, expand_query, words


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
