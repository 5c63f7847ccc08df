"""What changed between two versions of a rule set (``python -m rules diff OLD NEW``)."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from rules.ruleset import RuleSet


@dataclass
class RuleSetDiff:
    """Rules added, removed and changed (with the keys that changed), and other sections."""

    added: list[str] = field(default_factory=list)
    removed: list[str] = field(default_factory=list)
    changed: dict[str, list[str]] = field(default_factory=dict)
    settings: dict[str, tuple[Any, Any]] = field(default_factory=dict)
    scoring_changed: bool = False

    def lines(self) -> list[str]:
        """The differences as lines a person reads."""
        out = [f"+ 新增规则 {r}" for r in self.added]
        out += [f"- 删除规则 {r}" for r in self.removed]
        out += [f"~ 修改规则 {r}：{', '.join(keys)}" for r, keys in self.changed.items()]
        out += [f"~ 设置 {k}：{old!r} → {new!r}" for k, (old, new) in self.settings.items()]
        if self.scoring_changed:
            out.append("~ 评分办法（scoring）有改动")
        return out or ["两个版本的规则相同"]


def diff_rulesets(old: RuleSet, new: RuleSet) -> RuleSetDiff:
    """Compare two rule sets rule by rule (by id)."""
    result = RuleSetDiff()
    old_rules = {r.id: r.model_dump() for r in old.spec.rules}
    new_rules = {r.id: r.model_dump() for r in new.spec.rules}
    result.added = [i for i in new_rules if i not in old_rules]
    result.removed = [i for i in old_rules if i not in new_rules]
    for rule_id, before in old_rules.items():
        after = new_rules.get(rule_id)
        if after is not None and after != before:
            result.changed[rule_id] = [k for k in after if after[k] != before.get(k)]
    for key in sorted(set(old.spec.settings) | set(new.spec.settings)):
        a, b = old.spec.settings.get(key), new.spec.settings.get(key)
        if a != b:
            result.settings[key] = (a, b)
    old_scoring = old.spec.scoring.model_dump() if old.spec.scoring else None
    new_scoring = new.spec.scoring.model_dump() if new.spec.scoring else None
    result.scoring_changed = old_scoring != new_scoring
    return result
