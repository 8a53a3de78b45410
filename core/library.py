"""The training knowledge loaded once at start: exercises, programs, routines and pain rules."""

from __future__ import annotations

from dataclasses import dataclass
from functools import lru_cache

from core.catalog import Catalog
from core.domain import Program
from core.pain.rules import PainRules, load_pain_rules
from core.programs import DEFAULT_PROGRAM_ID, load_programs
from core.routines import Routine, load_routines


@dataclass(frozen=True)
class Library:
    catalog: Catalog
    programs: dict[str, Program]
    routines: dict[str, tuple[Routine, ...]]
    pain: PainRules

    def program(self, program_id: str | None) -> Program:
        return self.programs.get(program_id or DEFAULT_PROGRAM_ID) or self.programs[DEFAULT_PROGRAM_ID]


@lru_cache(maxsize=1)
def default_library() -> Library:
    catalog = Catalog.load()
    return Library(
        catalog=catalog,
        programs=load_programs(catalog=catalog),
        routines=load_routines(catalog),
        pain=load_pain_rules(catalog),
    )
