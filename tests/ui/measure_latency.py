"""Measure, in real Chromium, how long a question takes from Enter to the finished answer (not a test).

    .venv/bin/cirkla serve &                       # embedded defaults, no LLM
    .venv/bin/python tests/ui/measure_latency.py http://127.0.0.1:7860 [rounds]

For each question a fresh page is opened; the time runs from pressing Enter until the first citation link is
shown and until the proposals (rendered after the last streamed part) are there.
"""

from __future__ import annotations

import statistics
import sys
import time

from conftest import CHROMIUM, CHROMIUM_ARGS  # this folder is sys.path[0] when run as a script
from playwright.sync_api import sync_playwright

QUESTIONS = [
    "Vilka cirkulära krav kan vi ställa på kontorsmöbler?",
    "Hur förlänger vi livslängden på bärbara datorer och mobiltelefoner?",
    "Vilka krav kan vi ställa på arbetskläder och textilier?",
]


def main(url: str, rounds: int = 3) -> None:
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=str(CHROMIUM), args=CHROMIUM_ARGS)
        results: dict[str, list[tuple[float, float]]] = {q: [] for q in QUESTIONS}
        for _ in range(rounds):
            for question in QUESTIONS:
                page = browser.new_page()
                page.goto(url.rstrip("/") + "/")
                box = page.locator("#cirkla-question textarea")
                box.wait_for(timeout=30_000)
                box.fill(question)
                start = time.perf_counter()
                box.press("Enter")
                page.locator("#cirkla-chat a[href*='#cirkla-src-']").first.wait_for(timeout=30_000)
                first = time.perf_counter() - start
                page.locator(".cirkla-add").first.wait_for(timeout=30_000)
                done = time.perf_counter() - start
                results[question].append((first, done))
                page.close()
        browser.close()
    for question, times in results.items():
        firsts, dones = [t[0] for t in times], [t[1] for t in times]
        print(
            f"first citation median {statistics.median(firsts):.2f} s (max {max(firsts):.2f}), "
            f"complete median {statistics.median(dones):.2f} s (max {max(dones):.2f})  {question}"
        )


if __name__ == "__main__":
    main(sys.argv[1], int(sys.argv[2]) if len(sys.argv) > 2 else 3)
