"""Turn rule-file text into a ``RuleSet``, or into ``file:line: message`` problems.

Every problem in a file is collected (shape, unknown fields with "did you mean", expressions that
do not parse or do not type-check against the form's model) before giving up, so an admin fixes
them all in one pass.
"""

from __future__ import annotations

import hashlib
import json
from collections.abc import Callable, Mapping
from typing import Any

import pydantic
import rule_engine
import yaml
from rule_engine.types import DataType

from core.errors import close_match
from forms import yaml_lines
from forms.base import FormModel
from forms.explain import explain_each
from forms.expression_engine import Rule, exceeded
from forms.registry import FormRegistry, UnknownFormType, default_registry
from rules import phrases, schema
from rules.errors import Problem, RuleLoadError
from rules.evaluation import Expression, FieldTypeCheck
from rules.form_types import (
    Converter,
    Record,
    TypeDef,
    attribute_names,
    engine_types,
    record_attribute,
)
from rules.messages import compile_template, placeholders, split_name
from rules.ruleset import (
    PHRASES_NAMES,
    SIMILARITY_NAMES,
    CompiledRule,
    PhrasesCheck,
    RuleContext,
    RuleSet,
)

_ALL_KEYS = sorted(
    {
        name
        for model in (
            schema.RuleSetFile,
            schema.Rule,
            schema.Message,
            schema.Similarity,
            schema.Phrases,
            schema.Scoring,
            schema.Grade,
            schema.Category,
            schema.RuleTest,
            schema.Expect,
            schema.Comparable,
        )
        for name in model.model_fields
    }
)


def canonical_hash(document: Any) -> str:
    """sha256 of the rule file's content as canonical JSON (comments and layout ignored)."""
    text = json.dumps(document, sort_keys=True, ensure_ascii=False, default=str)
    return hashlib.sha256(text.encode("utf-8")).hexdigest()


def settings_key(settings: Mapping[str, Any]) -> str:
    """A stable key for a settings override."""
    return json.dumps(dict(settings), sort_keys=True, ensure_ascii=False, default=str)


def _shape_problems(file: str, root: Any, error: pydantic.ValidationError) -> list[Problem]:
    """The rule file's shape errors (``forms.explain``), each at its line; an unknown key
    carries the known key it most likely meant."""
    problems: list[Problem] = []
    for item in explain_each(error, schema.RuleSetFile):
        line = yaml_lines.line_of(root, item.loc)
        if item.loc and item.kind == "extra_forbidden":
            key = str(item.loc[-1])
            problems.append(Problem(file, line, f"未知的键 “{key}”", close_match(key, _ALL_KEYS)))
        else:
            problems.append(Problem(file, line, item.message))
    return problems


def _settings_type(value: Any, name: str = "Settings") -> TypeDef:
    if isinstance(value, Mapping):
        return DataType.OBJECT(
            name,
            attributes={k: _settings_type(v, f"{name}_{k}") for k, v in value.items()},
            accessor=record_attribute,  # so compiled rules read $settings.NAME once
        )
    if isinstance(value, list):
        return DataType.ARRAY(DataType.from_value(tuple(value)).value_type)
    return DataType.from_value(value)


def _settings_value(value: Any) -> Any:
    if isinstance(value, Mapping):
        return Record({k: _settings_value(v) for k, v in value.items()})
    if isinstance(value, list):
        return tuple(_settings_value(v) for v in value)
    return value


def expression_problem(
    exc: Exception, type_map: Mapping[str, TypeDef], settings: list[str]
) -> tuple[str, str | None]:
    """A Chinese explanation of why an expression does not compile, and the name it most
    likely meant (if any)."""
    errors = rule_engine.errors
    over = exceeded(exc)
    if over is not None:
        return f"表达式超出计算限制：{over.message}", None
    if isinstance(exc, errors.SymbolResolutionError):
        if exc.symbol_scope == "built-in":
            return f"未知的内置名称 “${exc.symbol_name}”（设置请写成 $settings.名称）", None
        suggestion = close_match(exc.symbol_name, list(type_map))
        return f"表单没有字段 “{exc.symbol_name}”", suggestion
    if isinstance(exc, errors.AttributeResolutionError):
        choices = attribute_names(exc.object) if DataType.is_definition(exc.object) else []
        if getattr(exc.object, "name", "") == "Settings":
            choices = settings
        suggestion = close_match(exc.attribute_name, choices) or exc.suggestion
        return f"没有属性 “{exc.attribute_name}”", suggestion
    if isinstance(exc, errors.RuleSyntaxError):
        token = getattr(exc, "token", None)
        near = f"（在 “{token.value}” 附近）" if token is not None else "（表达式不完整）"
        return f"表达式语法错误{near}", None
    if isinstance(exc, errors.EngineError):
        return f"表达式类型不匹配：{exc.message}", None
    return f"表达式无法使用：{exc}", None


class _Compiler:
    """Compiles one validated rule file, collecting problems instead of stopping at the first."""

    def __init__(
        self,
        spec: schema.RuleSetFile,
        file: str,
        root: Any,
        settings: dict[str, Any],
        model: type[FormModel],
    ):
        self.spec, self.file, self.root, self.settings = spec, file, root, settings
        self.problems: list[Problem] = []
        self.model = model
        self.type_map = engine_types(self.model)
        settings_value, settings_type = _settings_value(settings), _settings_type(settings)
        self.context = RuleContext(self.type_map, settings_value, settings_type)

    def problem(self, loc: tuple[Any, ...], message: str, suggestion: str | None = None) -> None:
        line = yaml_lines.line_of(self.root, loc)
        self.problems.append(Problem(self.file, line, message, suggestion))

    def expression(
        self, text: str, loc: tuple[Any, ...], boolean: bool = False
    ) -> Expression | None:
        try:
            compiled = Rule(text, context=self.context)
        except Exception as exc:  # any parse/type error becomes a located problem
            message, suggestion = expression_problem(exc, self.type_map, list(self.settings))
            self.problem(loc, message, suggestion)
            return None
        result_type = compiled.statement.expression.result_type
        if boolean and result_type not in (DataType.BOOLEAN, DataType.UNDEFINED):
            self.problem(loc, f"表达式应得出 true/false，实际得出 {result_type.name}")
            return None
        return Expression(compiled)

    def check_field(self, path: str, loc: tuple[Any, ...]) -> None:
        head, *rest = path.split(".")
        if head not in self.type_map:
            self.problem(loc, f"表单没有字段 “{head}”", close_match(head, list(self.type_map)))
            return
        type_def = self.type_map[head]
        for part in rest:
            names = attribute_names(type_def)
            if part not in names:
                self.problem(loc, f"“{head}” 没有子字段 “{part}”", close_match(part, names))
                return
            inner = type_def
            while not DataType.is_type(inner, DataType.OBJECT):
                inner = inner.inner_type if hasattr(inner, "inner_type") else inner.value_type
            type_def = inner.attributes[part]

    def template(self, text: str, names: set[str], loc: tuple[Any, ...]) -> Any:
        def compile_expression(source: str) -> Callable[[Mapping[str, Any]], Any]:
            compiled = self.expression(source, loc)
            if compiled is None:
                raise ValueError(source)
            return lambda named: compiled.evaluate(named["__thing__"])

        try:
            return compile_template(text, names, compile_expression)
        except ValueError:
            return None

    def message(self, rule: schema.Rule, lang: str, names: set[str], loc: tuple[Any, ...]) -> Any:
        text = getattr(rule.message, lang)
        for content in placeholders(text):
            name = content.strip()
            unknown = name.isidentifier() and name not in self.type_map
            if unknown and split_name(content, names) is None:
                known = sorted(names | set(self.type_map))
                self.problem(
                    (*loc, "message", lang),
                    f"消息中的 “{{{content}}}” 不是字段或 values 中的名称",
                    close_match(name, known),
                )
        return self.template(text, names, (*loc, "message", lang))

    def threshold(self, value: float | str, loc: tuple[Any, ...]) -> float | None:
        if isinstance(value, int | float):
            return float(value)
        name = value.removeprefix("$settings.")
        if name not in self.settings or not isinstance(self.settings[name], int | float):
            self.problem(loc, f"设置中没有数值 “{name}”", close_match(name, list(self.settings)))
            return None
        return float(self.settings[name])

    def phrase_list(self, value: list[str] | str, loc: tuple[Any, ...]) -> list[str] | None:
        """A pattern list written in the rule, or the settings list it names."""
        if not isinstance(value, str):
            return value
        name = value.removeprefix("$settings.")
        found = self.settings.get(name)
        if not isinstance(found, list) or not all(isinstance(p, str) for p in found):
            self.problem(
                loc, f"设置中没有短语列表 “{name}”", close_match(name, list(self.settings))
            )
            return None
        return found

    def catalogue(
        self, patterns: list[str] | str, lead_ins: list[str] | str, loc: tuple[Any, ...]
    ) -> phrases.Catalogue | None:
        found = self.phrase_list(patterns, (*loc, "patterns"))
        leads = self.phrase_list(lead_ins, (*loc, "lead_ins"))
        if found is None or leads is None:
            return None
        try:
            return phrases.catalogue(found, leads)
        except phrases.PatternError as exc:
            self.problem(loc, str(exc))
            return None

    def phrase_check(self, spec: schema.Phrases, loc: tuple[Any, ...]) -> PhrasesCheck | None:
        for i, path in enumerate(spec.fields):
            self.check_field(path, (*loc, "fields", i))
        found = self.catalogue(spec.patterns, spec.lead_ins, loc)
        point_share = self.threshold(spec.point_share, (*loc, "point_share"))
        max_share = self.threshold(spec.max_share, (*loc, "max_share"))
        if found is None or point_share is None or max_share is None:
            return None
        return PhrasesCheck(found, point_share, max_share, spec.expect)

    def similarity_check(
        self, spec: schema.Similarity, loc: tuple[Any, ...]
    ) -> tuple[float | None, phrases.Catalogue | None]:
        for i, path in enumerate(spec.fields):
            self.check_field(path, (*loc, "fields", i))
        max_similarity = self.threshold(spec.max_similarity, (*loc, "max_similarity"))
        prescribed = self.catalogue(spec.prescribed, [], loc) if spec.prescribed else None
        return max_similarity, prescribed

    def rule(self, index: int, rule: schema.Rule) -> CompiledRule | None:
        loc: tuple[Any, ...] = ("rules", index)
        before = len(self.problems)
        expression = when = None
        max_similarity = None
        check: PhrasesCheck | None = None
        prescribed: phrases.Catalogue | None = None
        names = set(rule.values)
        if rule.expression is not None:
            expression = self.expression(rule.expression, (*loc, "expression"), boolean=True)
        if rule.similarity is not None:
            names |= SIMILARITY_NAMES
            max_similarity, prescribed = self.similarity_check(
                rule.similarity, (*loc, "similarity")
            )
        if rule.phrases is not None:
            names |= PHRASES_NAMES
            check = self.phrase_check(rule.phrases, (*loc, "phrases"))
        if rule.when is not None:
            when = self.expression(rule.when, (*loc, "when"), boolean=True)
        values = {}
        for name, text in rule.values.items():
            compiled = self.expression(text, (*loc, "values", name))
            if compiled is not None:
                values[name] = compiled
        for i, path in enumerate(rule.fields):
            self.check_field(path, (*loc, "fields", i))
        messages = [self.message(rule, lang, names, loc) for lang in ("zh", "en")]
        if rule.max_grade and self.spec.scoring:
            grades = [g.name for g in self.spec.scoring.grades]
            if rule.max_grade not in grades:
                self.problem((*loc, "max_grade"), f"max_grade “{rule.max_grade}” 不是已定义的等级")
        if len(self.problems) > before or None in messages:
            return None
        return CompiledRule(
            rule,
            expression,
            when,
            values,
            messages[0],
            messages[1],
            max_similarity,
            phrase_check=check,
            prescribed=prescribed,
        )

    def base(self) -> Expression | None:
        scoring = self.spec.scoring
        if scoring is None or not isinstance(scoring.base, str):
            return None
        compiled = self.expression(scoring.base, ("scoring", "base"))
        if compiled is not None:
            result_type = compiled.result_type
            if result_type not in (DataType.FLOAT, DataType.UNDEFINED):
                self.problem(("scoring", "base"), "scoring.base 应得出数字")
        return compiled

    def tests(self) -> None:
        ids = {r.id for r in self.spec.rules}
        for key in self.spec.test_settings:
            if key not in self.spec.settings:
                self.problem(
                    ("test_settings", key),
                    f"test_settings 中的 “{key}” 不是设置",
                    close_match(key, list(self.spec.settings)),
                )
        names: set[str] = set()
        for i, test in enumerate(self.spec.tests):
            if test.extends and test.extends not in names:
                self.problem(
                    ("tests", i, "extends"), f"extends 应是前面某个测试的名称：{test.extends}"
                )
            names.add(test.name)
            for j, rule_id in enumerate(test.expect.failing or []):
                if rule_id not in ids:
                    self.problem(
                        ("tests", i, "expect", "failing", j),
                        f"没有 id 为 “{rule_id}” 的规则",
                        close_match(rule_id, sorted(ids)),
                    )
        scoring = self.spec.scoring
        if (
            scoring
            and scoring.veto_grade
            and scoring.veto_grade not in [g.name for g in scoring.grades]
        ):
            self.problem(("scoring", "veto_grade"), "veto_grade 不是已定义的等级")


def _parse(text: str, file: str) -> tuple[Any, schema.RuleSetFile]:
    try:
        root = yaml_lines.load(text)
    except yaml.MarkedYAMLError as exc:
        mark = exc.problem_mark or exc.context_mark
        line = mark.line + 1 if mark else 1
        raise RuleLoadError([Problem(file, line, f"YAML 格式错误：{exc.problem or exc}")]) from None
    except yaml.YAMLError as exc:
        raise RuleLoadError([Problem(file, 1, f"YAML 格式错误：{exc}")]) from None
    if not isinstance(root, dict):
        raise RuleLoadError([Problem(file, 1, "规则文件应是一个映射（name、form、rules…）")])
    try:
        spec = schema.RuleSetFile.model_validate(root)
    except pydantic.ValidationError as exc:
        problems = _shape_problems(file, root, exc)
        raise RuleLoadError(sorted(problems, key=lambda p: p.line)) from None
    return root, spec


def compile_spec(
    spec: schema.RuleSetFile,
    file: str,
    digest: str,
    text: str,
    root: Any,
    overrides: dict[str, Any] | None = None,
    form_version: int | None = None,
    forms: FormRegistry | None = None,
    model: type[FormModel] | None = None,
) -> RuleSet:
    """Compile a validated rule file against ``form_version`` of its form in ``forms``
    (default: the current version; ``default_registry()``), or against ``model`` when given;
    raises ``RuleLoadError`` listing every problem."""
    if model is None:
        try:
            model = (forms or default_registry()).get(spec.form, form_version)
        except UnknownFormType as exc:  # also an unknown version
            raise RuleLoadError(
                [Problem(file, yaml_lines.line_of(root, ("form",)), str(exc))]
            ) from None
    settings = {**spec.settings, **(overrides or {})}
    compiler = _Compiler(spec, file, root, settings, model)
    rules = [compiler.rule(i, r) for i, r in enumerate(spec.rules)]
    base = compiler.base()
    compiler.tests()
    if compiler.problems:
        raise RuleLoadError(sorted(compiler.problems, key=lambda p: p.line))
    return RuleSet(
        spec=spec,
        path=file,
        hash=digest,
        model=compiler.model,
        converter=Converter(compiler.type_map),
        rules=[r for r in rules if r is not None],
        settings=settings,
        base=base,
        text=text,
        field_check=FieldTypeCheck(compiler.type_map, compiler.context),
        decimal_context=compiler.context.decimal_context,
    )


def compile_text(
    text: str,
    file: str = "<rules>",
    form_version: int | None = None,
    forms: FormRegistry | None = None,
) -> RuleSet:
    """Load rule-file text (``file`` names it in problems), type-checked against
    ``form_version`` of its form in ``forms`` (default: the current version;
    ``default_registry()``); raises ``RuleLoadError``."""
    root, spec = _parse(text, file)
    return compile_spec(
        spec, file, canonical_hash(root), text, root, form_version=form_version, forms=forms
    )


def header(text: str, file: str = "<rules>") -> tuple[schema.RuleSetFile, str]:
    """The parsed rule file and its hash, without type-checking it against a form (for
    stamping a report of a rule set that does not fit a form version); ``RuleLoadError`` when
    the text is not a well-formed rule file."""
    root, spec = _parse(text, file)
    return spec, canonical_hash(root)
