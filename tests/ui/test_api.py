"""The named `ask` endpoint, called with gradio_client against the running app."""

from __future__ import annotations

import pytest

from assistant.answer import CITATION


@pytest.fixture(scope="module")
def client(app_url):
    from gradio_client import Client

    return Client(app_url + "/", verbose=False)


def test_ask_with_defaults_returns_cited_markdown_and_sources(client):
    result = client.predict("Vilka cirkulära krav kan vi ställa på kontorsmöbler?", api_name="/ask")
    assert result["filters_used"] == {"area": "mobler"}
    numbers = {source["n"] for source in result["sources"]}
    assert numbers and {int(n) for n in CITATION.findall(result["markdown"])} == numbers
    assert all(item["area"] == "mobler" for item in result["draft_items"])


def test_ask_with_filters_and_english(client):
    result = client.predict(
        "Which requirements for laptops?", "it", "tilldelningskriterium", "", "en", api_name="/ask"
    )
    assert result["language"] == "en"
    assert result["draft_items"] and {i["type"] for i in result["draft_items"]} == {"tilldelningskriterium"}


def test_ask_with_empty_and_huge_input_never_fails(client):
    assert "Skriv en fråga" in client.predict("", api_name="/ask")["markdown"]
    huge = client.predict("Krav på arbetskläder. " + "x" * 20_000, api_name="/ask")
    assert "1000" in huge["notice"]
