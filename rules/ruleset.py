"""A compiled rule set: every expression parsed and type-checked once, ready to check forms."""

from __future__ import annotations

import contextlib
import datetime as dt
import decimal
from collections.abc import Iterable, Iterator, Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any

import rule_engine
from rule_engine.builtins import Builtins
from rule_engine.types import DataType

from forms.base import FormModel
from forms.expression_engine import BoundedContext, Budget, budget, exceeded
from i18n import Lang, t
from rules import phrases, similarity
from rules.evaluation import Expression, FieldTypeCheck, TrustedData
from rules.form_types import Converter, Record, TypeDef
from rules.messages import Template
from rules.report import RuleReport, RuleResult
from rules.schema import Rule, RuleSetFile
from rules.scoring import score_and_grade

SIMILARITY_NAMES = {"similar_name", "similar_branch", "similarity", "passage"}
PHRASES_NAMES = {"points", "share", "matches", "counted", "total"}
# Points quoted in a message: at most this many, each cut to this many characters.
QUOTED_POINTS, POINT_LIMIT = 5, 40


def _untyped(_name: str) -> TypeDef:
    return DataType.UNDEFINED


class RuleContext(BoundedContext):
    """A bounded rule-engine context typed by the form's model, with ``$settings`` as a
    builtin."""

    def __init__(self, type_map: Mapping[str, TypeDef], settings: Record, settings_type: TypeDef):
        super().__init__(
            type_resolver=rule_engine.type_resolver_from_dict(dict(type_map))
            if type_map
            else _untyped,
            default_timezone="utc",
            mapping_attribute_lookup=False,
            values={"settings": settings},
            value_types={"settings": settings_type},
        )

    def resolve_type(self, name: str, scope: str | None = None) -> TypeDef:
        """Like rule-engine's, but an unknown ``$name`` fails at load instead of at review."""
        if scope == Builtins.scope_name and name not in self.builtins:
            raise rule_engine.errors.SymbolResolutionError(name, symbol_scope=scope)
        return super().resolve_type(name, scope)


def unevaluable_reason(exc: Exception, lang: Lang = "zh") -> str:
    """Why an expression could not be computed, in ``lang`` (for the ``unevaluable`` message)."""
    if isinstance(exc, rule_engine.errors.SymbolResolutionError):
        return t("rules.reason.missing_field", lang, name=exc.symbol_name)
    over = exceeded(exc)
    if over is not None:
        return t("rules.reason.budget", lang, limit=over.explain(lang))
    text = str(getattr(exc, "message", "") or exc)
    if isinstance(exc, ArithmeticError) or "division by zero" in text:
        return t("rules.reason.division_by_zero", lang)
    if "null" in text or "NoneType" in text:
        return t("rules.reason.empty_value", lang)
    return t("rules.reason.other", lang, detail=text or type(exc).__name__)


def unevaluable_result(
    rule: str,
    exc: Exception,
    fields: Sequence[str] = (),
    points: float | None = None,
    category: str | None = None,
) -> RuleResult:
    """The failed ``error`` result of ``rule`` (a rule id or ``scoring.base``) when it could
    not be computed, saying why in both languages."""
    return RuleResult(
        rule=rule,
        severity="error",
        passed=False,
        fields=list(fields),
        message=t("rules.unevaluable", "zh", rule=rule, reason=unevaluable_reason(exc, "zh")),
        message_en=t("rules.unevaluable", "en", rule=rule, reason=unevaluable_reason(exc, "en")),
        points=points,
        category=category,
    )


def _number(value: Any) -> float:
    return float(value) if isinstance(value, decimal.Decimal | int | float) else float("nan")


@dataclass(frozen=True)
class PhrasesCheck:
    """A ``phrases:`` block with its catalogue compiled and its shares resolved."""

    catalogue: phrases.Catalogue
    point_share: float
    max_share: float
    expect: str = "absent"


def _quoted(points: list[str]) -> list[str]:
    shown = [p if len(p) <= POINT_LIMIT else p[: POINT_LIMIT - 1] + "…" for p in points]
    more = ["等"] if len(points) > QUOTED_POINTS else []
    return [f"“{p}”" for p in shown[:QUOTED_POINTS]] + more


@dataclass
class CompiledRule:
    """One rule with its expressions compiled against the form's types."""

    spec: Rule
    expression: Expression | None
    when: Expression | None
    values: dict[str, Expression]
    message_zh: Template
    message_en: Template
    max_similarity: float | None = None
    phrase_check: PhrasesCheck | None = None
    prescribed: phrases.Catalogue | None = None

    def _named(self, thing: Mapping[str, Any], extra: Mapping[str, Any]) -> dict[str, Any]:
        named: dict[str, Any] = dict(extra)
        for name, value_rule in self.values.items():
            try:
                named[name] = value_rule.evaluate(thing)
            except Exception:  # shown as "?" rather than breaking the explanation
                named[name] = "?"
        return named

    def _result(
        self, passed: bool, thing: Mapping[str, Any], extra: Mapping[str, Any] | None = None
    ) -> RuleResult:
        spec = self.spec
        points: float | None = None
        if spec.deduct and not passed:
            points = -spec.deduct
        elif spec.bonus and passed:
            points = spec.bonus
        message = message_en = ""
        if not passed or (points or 0) > 0:  # explain failures and bonus points given
            named = self._named(thing, extra or {})
            named["__thing__"] = thing
            message, message_en = self.message_zh.render(named), self.message_en.render(named)
        return RuleResult(
            rule=spec.id,
            severity=spec.severity,
            passed=passed,
            fields=list(spec.fields or self._kind_fields()),
            message=message,
            message_en=message_en,
            points=points,
            category=spec.category,
        )

    def _kind_fields(self) -> list[str]:
        kind = self.spec.similarity or self.spec.phrases
        return list(kind.fields) if kind is not None else []

    def _unevaluable(self, exc: Exception) -> RuleResult:
        spec = self.spec
        return unevaluable_result(
            spec.id,
            exc,
            spec.fields,
            -spec.deduct if spec.deduct else None,
            spec.category,
        )

    def run(
        self, thing: Mapping[str, Any], data: Mapping[str, Any], others: Sequence[Any]
    ) -> RuleResult | None:
        """The result of this rule on one form (None when its ``when`` does not hold), inside
        ``RuleSet.evaluating(thing)`` with its budget restarted for this rule.

        Any failure to compute (a missing field, a None, a division by zero, going over the
        time or size budget of ``forms.expression_engine``) becomes a failed result saying why,
        so one broken rule never stops or stalls the others. The ``when``, the expression and
        the message share the rule's budget.
        """
        try:
            if self.when is not None and not self.when.evaluate_in_check(thing):
                return None
            if self.expression is not None:
                return self._result(bool(self.expression.evaluate_in_check(thing)), thing)
            if self.phrase_check is not None:
                return self._run_phrases(thing, data, self.phrase_check)
            return self._run_similarity(thing, data, others)
        except Exception as exc:  # reported on the result: the batch goes on
            return self._unevaluable(exc)

    def _run_phrases(
        self, thing: Mapping[str, Any], data: Mapping[str, Any], check: PhrasesCheck
    ) -> RuleResult:
        spec = self.spec.phrases
        assert spec is not None
        text = similarity.text_of(data, spec.fields)
        outcome = phrases.judge([text], check.catalogue, check.point_share)
        if check.expect == "present":
            passed = bool(outcome.counted) or outcome.total == 0
        else:
            passed = outcome.total == 0 or outcome.share <= check.max_share
        extra = {
            "points": _quoted(outcome.counted),
            "share": outcome.share,
            "matches": outcome.matches[:QUOTED_POINTS],
            "counted": len(outcome.counted),
            "total": outcome.total,
        }
        result = self._result(passed, thing, extra)
        if not passed and outcome.counted:
            result.evidence = {
                "points": "\n".join(outcome.counted),
                "share": f"{outcome.share:.4f}",
            }
        return result

    def _run_similarity(
        self, thing: Mapping[str, Any], data: Mapping[str, Any], others: Sequence[Any]
    ) -> RuleResult:
        spec = self.spec.similarity
        assert spec is not None and self.max_similarity is not None
        if not others:  # nothing to compare with (a first plan, a bench): the rule holds
            return self._result(True, thing)
        text = similarity.text_of(data, spec.fields)
        theirs, own = similarity.split_own(others, str(data.get("branch") or ""))
        args = (spec.fields, spec.min_length, self.prescribed)
        match = similarity.most_similar(text, theirs, *args)
        if match is None or match.score <= self.max_similarity:
            result = self._result(True, thing)
            earlier = similarity.most_similar(text, own, *args)
            if earlier is not None and earlier.score > self.max_similarity:
                # The branch carrying on its own earlier plan: a note for the reviewer.
                result.evidence = {**_evidence(earlier), "continuity": "true"}
                values = {"name": earlier.name, "score": earlier.score}
                result.message = t("rules.similarity.continuity", "zh", **values)
                result.message_en = t("rules.similarity.continuity", "en", **values)
            return result
        extra = {
            "similar_name": match.name,
            "similar_branch": match.branch,
            "similarity": match.score,
            "passage": match.passage,
        }
        result = self._result(False, thing, extra)
        result.evidence = _evidence(match)
        return result


def _evidence(match: similarity.Match) -> dict[str, str]:
    return {
        "name": match.name,
        "branch": match.branch,
        "score": f"{match.score:.4f}",
        "passage": match.passage,
    }


def as_comparables(others: Iterable[Any]) -> list[similarity.Comparable]:
    """Accept Comparables or ``{name, branch, data}`` dicts."""
    out: list[similarity.Comparable] = []
    for other in others:
        if isinstance(other, similarity.Comparable):
            out.append(other)
        elif isinstance(other, Mapping):
            out.append(
                similarity.Comparable(
                    str(other.get("name", "")), str(other.get("branch", "")), other.get("data", {})
                )
            )
        else:
            raise TypeError(f"cannot compare with {type(other).__name__}")
    return out


@dataclass
class RuleSet:
    """A loaded, type-checked rule set; ``check`` runs it on one form's data."""

    spec: RuleSetFile
    path: str
    hash: str
    model: type[FormModel]
    converter: Converter
    rules: list[CompiledRule]
    settings: dict[str, Any]
    base: Expression | None = None
    text: str = ""
    field_check: FieldTypeCheck | None = field(default=None, repr=False)
    # the decimal context of the rule set's expressions (rule-engine's Context)
    decimal_context: decimal.Context = field(default_factory=decimal.getcontext, repr=False)
    variants: dict[str, RuleSet] = field(default_factory=dict, repr=False)

    @property
    def name(self) -> str:
        return self.spec.name

    @property
    def form(self) -> str:
        return self.spec.form

    @property
    def version(self) -> str:
        return str(self.spec.version)

    @property
    def form_version(self) -> int:
        """The version of the form this rule set was type-checked against."""
        return self.model.form_version

    def with_settings(self, overrides: Mapping[str, Any]) -> RuleSet:
        """This rule set with some settings replaced (compiled once per distinct overrides)."""
        from rules.compiler import compile_spec, settings_key

        unknown = sorted(set(overrides) - set(self.spec.settings))
        if unknown:
            raise ValueError(t("rules.settings.unknown", "zh", names="、".join(unknown)))
        key = settings_key(overrides)
        if key not in self.variants:
            self.variants[key] = compile_spec(
                self.spec,
                self.path,
                self.hash,
                self.text,
                None,
                dict(overrides),
                model=self.model,
            )
        return self.variants[key]

    def check(
        self,
        data: Mapping[str, Any],
        *,
        others: Iterable[Any] = (),
        settings: Mapping[str, Any] | None = None,
    ) -> RuleReport:
        """Run every rule on ``data`` (the form's ``model_dump(mode="json")``)."""
        if settings:
            return self.with_settings(settings).check(data, others=others)
        thing = self.converter(data)
        if self.field_check is not None:
            thing = self.field_check.trust(thing)
        comparables = as_comparables(others)
        results = []
        with self.evaluating(thing) as allowance:
            for rule in self.rules:
                allowance.restart()
                result = rule.run(thing, data, comparables)
                if result is not None:
                    results.append(result)
            allowance.restart()
            base = self._base(thing, results)
        veto = any(r.severity == "veto" and not r.passed for r in results)
        error = any(r.severity == "error" and not r.passed for r in results)
        score = grade = None
        if self.spec.scoring is not None:
            caps = [cap for r in results if not r.passed and (cap := self._max_grade.get(r.rule))]
            outcome = score_and_grade(self.spec.scoring, base, results, caps, veto)
            score, grade = outcome.score, outcome.grade
        decision = "veto" if veto else "return" if error else "pass"
        return RuleReport(
            ruleset=self.name,
            version=self.version,
            hash=self.hash,
            form=self.form,
            passed=decision == "pass",
            decision=decision,
            score=score,
            grade=grade,
            results=results,
            checked_at=dt.datetime.now(dt.UTC).isoformat(timespec="seconds"),
        )

    @contextlib.contextmanager
    def evaluating(self, thing: Mapping[str, Any]) -> Iterator[Budget]:
        """The scope a check evaluates its rules on ``thing`` in: one budget, to be restarted
        before each rule (each rule has the whole allowance), and one copy of the rule set's
        decimal context for every expression, rather than one of each per evaluation."""
        with (
            budget(fresh=True) as allowance,
            decimal.localcontext(self.decimal_context) as decimals,
        ):
            if type(thing) is TrustedData:
                thing.frame.decimals = decimals
            yield allowance

    @property
    def _max_grade(self) -> dict[str, str]:
        return {r.spec.id: r.spec.max_grade for r in self.rules if r.spec.max_grade}

    def _base(self, thing: Mapping[str, Any], results: list[RuleResult]) -> float | None:
        scoring = self.spec.scoring
        if scoring is None:
            return None
        if self.base is None:
            return float(scoring.base)
        try:
            with budget():
                value = _number(self.base.evaluate(thing))
            if value != value:  # NaN: the expression gave no number
                raise ValueError("基础分不是数字")
            return value
        except Exception as exc:  # the score is left empty and the reason shown
            results.append(unevaluable_result("scoring.base", exc))
            return None
