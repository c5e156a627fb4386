"""A person's own data, gathered from every app that keeps some ("download my data", UU 27/2022 art. 7
and 13). Each app registers what it holds about a user in its AppConfig.ready, so the page in accounts
lists it without importing the apps above it:

    personal_data.register("permohonan", applications_of)    # applications_of(user) -> list of dicts

An exporter returns plain JSON-able values: the person's own data in full (it is theirs), nothing about
anybody else."""

from collections.abc import Callable
from typing import Any

_EXPORTERS: dict[str, Callable[[Any], Any]] = {}


def register(section: str, exporter: Callable[[Any], Any]) -> None:
    if section in _EXPORTERS and _EXPORTERS[section] is not exporter:
        raise ValueError(f"personal data section {section!r} is registered twice")
    _EXPORTERS[section] = exporter


def gather(user) -> dict[str, Any]:
    return {section: exporter(user) for section, exporter in sorted(_EXPORTERS.items())}
