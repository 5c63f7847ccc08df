"""Check the shipped rule sets against a corpus of real submissions judged by a person.

``tests/corpus/{plans,summaries}/*.json`` hold real 党支部 plans and summaries transcribed into
the forms, each with the transcriber's own decision (``judgement.decision``: pass / return),
written before the rules ran on them. ``calibrate`` checks every case with the rule set of its
form (compiled against the form version it was filled in, the other cases of the same form as
the documents to compare with) and says where the rules and the person agree. A case may name
the fields its judgement is about (``judged``: a summary transcribed only for its 不足之处); then
only the rules on those fields decide.
``calibration.json`` in the corpus folder records the agreement the rules must keep.
"""

from __future__ import annotations

import json
from collections.abc import Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from forms.registry import default_registry
from forms.validation import validate
from rules import engine
from rules.similarity import Comparable

CORPUS_DIR = Path(__file__).resolve().parent.parent / "tests" / "corpus"
RECORD = "calibration.json"


@dataclass(frozen=True)
class Case:
    """One judged submission of the corpus."""

    name: str
    form: str
    form_version: int
    data: Mapping[str, Any]
    judgement: str
    why: str
    source: str
    # The fields the judgement is about (a summary transcribed only for its 不足之处); empty:
    # the whole form.
    judged: tuple[str, ...] = ()


@dataclass(frozen=True)
class Verdict:
    """The rules' decision on a case next to the person's, and the rules that failed."""

    case: Case
    decision: str
    failing: tuple[str, ...]

    @property
    def agrees(self) -> bool:
        """Returned and vetoed both mean "not accepted as it is"."""
        return (self.decision == "pass") == (self.case.judgement == "pass")


def load_cases(folder: Path = CORPUS_DIR) -> list[Case]:
    """Every case under ``folder`` (any depth), by file name."""
    cases = []
    for path in sorted(folder.rglob("*.json")):
        if path.name == RECORD:
            continue
        doc = json.loads(path.read_text(encoding="utf-8"))
        cases.append(
            Case(
                name=path.stem,
                form=str(doc["form"]),
                form_version=int(doc.get("form_version") or 1),
                data=doc["data"],
                judgement=str(doc["judgement"]["decision"]),
                why=str(doc["judgement"].get("why", "")),
                source=str(doc.get("source", "")),
                judged=tuple(doc.get("judged") or ()),
            )
        )
    return cases


def judge(case: Case, others: list[Comparable]) -> Verdict:
    """The rules' decision on ``case`` (``invalid`` when the data does not fit its form)."""
    model = default_registry().get(case.form, case.form_version)
    instance, errors = validate(model, case.data)
    if instance is None:
        return Verdict(case, "invalid", tuple(sorted(errors)))
    ruleset = engine.ruleset_for(case.form)
    if ruleset is None:
        return Verdict(case, "pass", ())
    report = engine.check_version(
        ruleset.text,
        ruleset.path,
        instance.model_dump(mode="json"),
        form_version=case.form_version,
        others=others,
    )
    failed = [r for r in report.results if not r.passed and _in_scope(r.fields, case.judged)]
    blocking = [r for r in failed if r.severity != "warning"]
    decision = report.decision if not case.judged else "return" if blocking else "pass"
    return Verdict(case, decision, tuple(r.rule for r in failed))


def _in_scope(fields: list[str], judged: tuple[str, ...]) -> bool:
    return not judged or any(f.split(".")[0] in judged for f in fields)


def calibrate(cases: list[Case]) -> list[Verdict]:
    """Every case judged; each compared with the other cases of its form (as other branches)."""
    verdicts = []
    for case in cases:
        others = [
            Comparable(c.name, str(c.data.get("branch", "")), c.data)
            for c in cases
            if c.form == case.form and c is not case
        ]
        verdicts.append(judge(case, others))
    return verdicts


def agreement(verdicts: list[Verdict]) -> float:
    """The share of cases where the rules decide as the person did (1.0 for no cases)."""
    return sum(v.agrees for v in verdicts) / len(verdicts) if verdicts else 1.0


def recorded_minimum(folder: Path = CORPUS_DIR) -> float | None:
    """The agreement recorded in ``calibration.json`` (None when nothing is recorded)."""
    path = folder / RECORD
    if not path.is_file():
        return None
    return float(json.loads(path.read_text(encoding="utf-8"))["min_agreement"])


def lines(verdicts: list[Verdict]) -> list[str]:
    """The printout: one line per case, then agreement per form and overall."""
    out = []
    for v in verdicts:
        mark = "一致" if v.agrees else "不一致"
        failing = "、".join(v.failing) or "无"
        out.append(
            f"{mark}\t{v.case.name}\t规则：{v.decision}\t判断：{v.case.judgement}\t未通过：{failing}"
        )
    for form in sorted({v.case.form for v in verdicts}):
        mine = [v for v in verdicts if v.case.form == form]
        out.append(
            f"{form}：{sum(v.agrees for v in mine)}/{len(mine)} 一致（{agreement(mine):.0%}）"
        )
    out.append(f"总一致率：{agreement(verdicts):.1%}（{len(verdicts)} 份）")
    return out
