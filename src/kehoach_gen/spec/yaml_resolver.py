"""ruamel.yaml's YAML 1.2 resolver, made cheaper for the texts that make up most of a plan."""

from __future__ import annotations

from typing import Any


def resolver() -> Any:
    """ruamel's resolver, asking the YAML version once per document instead of once per scalar (with the C
    parser each asking raises and catches two AttributeErrors), and answering "text" at once for a plain
    scalar whose first character starts none of YAML 1.2's implicit types (most of a plan's texts): the
    same tag ruamel would find after trying every pattern."""
    from ruamel.yaml.nodes import ScalarNode
    from ruamel.yaml.resolver import VersionedResolver
    from ruamel.yaml.tag import Tag

    class OncePerDocument(VersionedResolver):
        _version: Any = None
        _patterns: Any = None  # first character -> [(tag, its pattern's match)], YAML 1.2's implicit types

        @property
        def processing_version(self) -> Any:
            if self._version is None:
                self._version = super().processing_version
            return self._version

        def implicit_starts(self) -> Any:
            """The first characters of the implicit types' patterns: a plain scalar starting with none of them is
            a text. None when a pattern may start with any character or a path resolver is set."""
            if self._patterns is None:
                table = self.versioned_resolver
                self._patterns = False if table.get(None) or self.yaml_path_resolvers else {  # (none in YAML 1.2)
                    first: [(tag, pattern.match) for tag, pattern in found] for first, found in table.items()}
            return None if self._patterns is False else frozenset(self._patterns)

        def resolve(self, kind: Any, value: Any, implicit: Any) -> Any:
            if kind is ScalarNode and implicit[0] and value and not self.yaml_path_resolvers:
                if self._patterns is None:
                    self.implicit_starts()
                if self._patterns is not False:
                    for tag, match in self._patterns.get(value[0], ()):
                        if match(value):
                            return Tag(suffix=tag)
                    return self.DEFAULT_SCALAR_TAG
            return super().resolve(kind, value, implicit)

    return OncePerDocument
