"""YAML for files anyone may put in a corpus: safe types only, and a cap on aliases.

`yaml.safe_load` builds no objects of arbitrary classes, but a few hundred bytes of nested anchors and aliases
("billion laughs") still make a structure that grows without bound as soon as anything walks it (a hash, a
JSON dump, a validator). A clause file has no need of aliases; `load_yaml` accepts a handful and refuses a
document with more, before anything is built from it.
"""

from __future__ import annotations

from typing import Any

import yaml

MAX_ALIASES = 10


class TooManyAliases(yaml.YAMLError):
    """The document refers back to its anchors more often than a corpus file ever needs to."""


class _Loader(yaml.SafeLoader):
    def __init__(self, stream: str, max_aliases: int) -> None:
        super().__init__(stream)
        self._aliases_left = max_aliases

    def compose_node(self, parent: Any, index: Any) -> Any:
        if self.check_event(yaml.AliasEvent):
            self._aliases_left -= 1
            if self._aliases_left < 0:
                mark = self.peek_event().start_mark
                raise TooManyAliases(
                    f"more than {MAX_ALIASES} aliases (*name), line {mark.line + 1}: refused, since aliases "
                    "can make a small file expand without bound; write the values out"
                )
        return super().compose_node(parent, index)


def load_yaml(text: str, max_aliases: int = MAX_ALIASES) -> Any:
    """The one YAML document in `text`, with at most `max_aliases` aliases; `yaml.YAMLError` otherwise."""
    loader = _Loader(text, max_aliases)
    try:
        return loader.get_single_data()
    finally:
        loader.dispose()
