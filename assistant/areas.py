"""Which product area a text names, by keyword: used by follow-up handling and as a prior in hybrid search.

Plain keyword rules in Swedish and English: predictable, testable, no model needed.
"""

from __future__ import annotations

import re

WORD = re.compile(r"[\wåäöÅÄÖéü-]+")

# Area keywords, ";"-separated. First string: whole words (short or ambiguous ones); second: stems found
# inside any word, so that Swedish compounds match ("kontorsstolar" has "stol", "arbetskläder" has "kläder").
_AREA_KEYWORDS = {
    "mobler": (
        "bord;bänk;bänkar;chair;chairs;desk;desks;sofa;sofas;table;tables",
        "möbel;möbler;inredning;stol;skrivbord;soffa;soffor;hylla;hyllor;förvaringsmöbl;furniture;furnishing;sittmöbl;konferensbord;fåtölj",
    ),
    "it": (
        "pc;ikt;ict",
        "dator;laptop;bärbar;surfplatt;mobiltelefon;telefon;smartphone;bildskärm;skärmar;server;nätverksutrustning;computer;phone;monitor;tablet;it-utrustning;it-produkt;it-hårdvara;hårdvara;hardware",
    ),
    "textil": (
        "kläder",
        "textil;arbetskläd;arbetsklädsel;skyddsklä;uniform;handduk;lakan;workwear;clothing;textile;garment;profilklä;gardin",
    ),
    "bygg": (
        "bygg",
        "byggnad;byggmaterial;byggprodukt;byggentrepren;renovering;rivning;ombyggnad;nybyggnad;construction;demolition;renovation;building",
    ),
    "livsmedel": (
        "mat;maten;kök;food;meal;meals",
        "livsmedel;måltid;matsvinn;skolmat;catering;storkök;matlåd",
    ),
    "fordon": (
        "bil;bilar;car;cars;däck;truck;trucks;fleet",
        "fordon;transport;lastbil;personbil;elbil;vehicle;bilpool",
    ),
    "stad": (
        "städ",
        "städning;städtjänst;lokalvård;rengöring;kemikalie;kemiska;kemisk "
        "produkt;cleaning;chemical;detergent;rengöringsmedel",
    ),
    "kontor": (
        "papper;toner;pennor",
        "kontorsmaterial;kontorsvar;förbrukningsmaterial;kontorsförbruk;office "
        "suppl;stationery;tonerkassett;skrivarpapper",
    ),
    "elektronik": (
        "tv",  # not "av": that is the Swedish "of" in nearly every question; AV-utrustning is matched below
        "vitvar;kylskåp;frys;tvättmaskin;diskmaskin;spis;elektronik;projektor;av-utrustning;appliance;"
        "electronics;fridge;washing machine;högtalar;tv-apparat",
    ),
    "forskola": (
        "lek",
        "förskol;lekmaterial;leksak;preschool;toy;kindergarten;lekplats",
    ),
    "vard": (
        "vård;care",
        "omsorg;sjukvård;förbrukningsartikl;handskar;inkontinens;healthcare;hemtjänst;äldreboende;medical;gloves;vårdartikl",
    ),
    "evenemang": (
        "event;events",
        "evenemang;förpackning;engångs;festival;packaging;disposable;mässa;konferens;conference",
    ),
}
AREA_KEYWORDS: dict[str, dict[str, tuple[str, ...]]] = {
    area: {"words": tuple(words.split(";")), "stems": tuple(stems.split(";"))}
    for area, (words, stems) in _AREA_KEYWORDS.items()
}


def detect_area(text: str) -> str | None:
    """The product area a text names, by keyword; the longest match wins when several areas are named."""
    lowered = text.lower()
    tokens = WORD.findall(lowered)
    scores: dict[str, int] = {}
    if re.search(r"\bIT\b|\bIT-", text) or "it-" in lowered:
        scores["it"] = 2
    for area, keys in AREA_KEYWORDS.items():
        for token in tokens:
            if token in keys["words"]:
                scores[area] = scores.get(area, 0) + len(token)
            for stem in keys["stems"]:
                if (" " in stem and stem in lowered) or (" " not in stem and stem in token):
                    scores[area] = scores.get(area, 0) + len(stem)
    if not scores:
        return None
    return max(scores.items(), key=lambda item: item[1])[0]
