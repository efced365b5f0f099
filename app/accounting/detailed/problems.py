"""Mapping problems found while planning: each blocks only the records that need it.

A problem is reported once, listing every record it held back (SPEC §4), so the
bookkeeper fixes one mapping row and sees exactly what it releases.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from app.plan.plan import Issue


@dataclass
class Problems:
    templates: dict[str, Issue] = field(default_factory=dict)
    blocked: dict[str, set[str]] = field(default_factory=dict)
    sources: dict[str, set[str]] = field(default_factory=dict)

    def define(self, problem_id: str, issue: Issue) -> None:
        self.templates.setdefault(problem_id, issue)

    def block(self, problem_id: str, key: str, source: str | None = None) -> None:
        self.blocked.setdefault(problem_id, set()).add(key)
        if source is not None:
            self.sources.setdefault(problem_id, set()).add(source)

    def issues(self) -> list[Issue]:
        """One issue per problem that actually held something back."""
        result = []
        for problem_id, keys in sorted(self.blocked.items()):
            template = self.templates[problem_id]
            sources = tuple(sorted(set(template.sources) | self.sources.get(problem_id, set())))
            result.append(Issue(template.severity, template.code, template.message,
                                template.fix, sources, tuple(sorted(keys))))
        return result
