"""Rule checks over many stored submissions at once: a stage's batch check, an impact preview.

A run reads each (campaign, form type)'s similarity corpus once and resolves each rule set once
per form version, then checks every submission with ``workflow.rule_checks.check_form``, the
function the check on submit calls, on the data of its last submitted version: a run costs one
check per row, not one corpus per row.

Reports are kept in a ``ReportCache`` shared by the runs of one process, keyed by everything a
report depends on: the rule set's hash, the submission and its revision (a resubmission, even
an approval, makes a new one), and for rule sets that compare documents, what the corpus holds
for that branch (another branch's resubmitted plan, a renamed branch). A published rule-set
version has a new hash. Only what changed since the last run is checked again.

A run first reads only ``id, rev, status`` of the submissions it covers and parses whole only
those it has not seen at that revision (``ReportCache.submissions``): reports and submissions
from the cache are shared between sessions and must be treated as read-only.
"""

from __future__ import annotations

import threading
from collections import OrderedDict
from collections.abc import Hashable, Mapping
from typing import Generic, TypeVar

from rules.report import RuleReport
from workflow.models import Submission
from workflow.rule_checks import FormRules, check_form, rules_in_force
from workflow.rule_sets import rules_of_text
from workflow.similarity_corpus import (
    KIND,
    SUBMITTED_STATES,
    SimilarityCorpus,
    by_age,
    load_corpus,
)
from workflow.submissions import SubmissionService

# About 60 branches x 20 forms x 10 campaigns, under two rule-set versions.
CACHE_LIMIT = 25_000
# What a run reads of every stored submission to know which it must read whole.
STAMP = ("id", "rev", "status")
T = TypeVar("T")


_SUBMITTED = frozenset(s.value for s in SUBMITTED_STATES)


class _Bounded(Generic[T]):
    """At most ``limit`` values by key, the least recently used forgotten first."""

    def __init__(self, limit: int) -> None:
        self.limit = limit
        self._values: OrderedDict[Hashable, T] = OrderedDict()
        self._lock = threading.Lock()
        self.hits = self.misses = 0

    def get(self, key: Hashable) -> T | None:
        """The value kept under ``key``, or None."""
        with self._lock:
            value = self._values.get(key)
            if value is None:
                self.misses += 1
                return None
            self.hits += 1
            self._values.move_to_end(key)
            return value

    def put(self, key: Hashable, value: T) -> None:
        """Keep ``value`` under ``key``, forgetting the oldest beyond the limit."""
        with self._lock:
            self._values[key] = value
            self._values.move_to_end(key)
            while len(self._values) > self.limit:
                self._values.popitem(last=False)


class ReportCache(_Bounded[RuleReport]):
    """Reports by key (see the module docstring), and the submissions they were run on by
    (id, revision): a revision never changes, so a run reads whole only what is new."""

    def __init__(self, limit: int = CACHE_LIMIT) -> None:
        super().__init__(limit)
        self.submissions: _Bounded[Submission] = _Bounded(limit)


class CheckRun:
    """One pass of rule checks over stored submissions (see the module docstring)."""

    def __init__(self, submissions: SubmissionService, cache: ReportCache) -> None:
        self.submissions = submissions
        self.cache = cache
        self._corpora: dict[tuple[str, str], SimilarityCorpus] = {}
        self._in_force: dict[tuple[str, int, str], FormRules | None] = {}
        self._texts: dict[tuple[str, str, int], FormRules] = {}

    def submitted(self, where: Mapping[str, str]) -> list[Submission]:
        """The submitted forms (never drafts) matching ``where``, oldest first.

        Reads each one's id, revision and status, then whole only those not read before at
        that revision (one by one when few, else all at once).
        """
        repo, cache = self.submissions.repo, self.cache.submissions
        stamps = repo.find(KIND, where, fields=STAMP)
        found: dict[str, Submission | None] = {
            s["id"]: cache.get((s["id"], s["rev"])) for s in stamps if s.get("status") in _SUBMITTED
        }
        missing = [id for id, submission in found.items() if submission is None]
        if len(missing) > len(found) // 4:
            docs = repo.find(KIND, where)
        else:
            docs = [d for id in missing if (d := repo.get(KIND, id)) is not None]
        for doc in docs:  # possibly newer than its stamp: then the newer one is checked
            if doc["id"] in found and found[doc["id"]] is None:
                submission = Submission.model_validate(doc)
                found[doc["id"]] = submission
                cache.put((submission.id, submission.rev), submission)
        return by_age(s for s in found.values() if s is not None and s.status in SUBMITTED_STATES)

    def corpus(self, campaign_id: str, form_type: str) -> SimilarityCorpus:
        """The corpus of ``form_type`` in ``campaign_id``, read once per run."""
        key = (campaign_id, form_type)
        if key not in self._corpora:
            repo, campaigns = self.submissions.repo, self.submissions.campaigns
            self._corpora[key] = load_corpus(
                repo, campaigns, campaign_id, form_type, read=self.submitted
            )
        return self._corpora[key]

    def in_force(self, submission: Submission) -> FormRules | None:
        """The rule set in force for the submission's form version (None: no rule set)."""
        key = (submission.form_type, submission.form_version, submission.campaign_id)
        if key not in self._in_force:
            repo = self.submissions.repo
            forms = self.submissions.forms
            self._in_force[key] = rules_in_force(
                repo, *key[:2], forms=forms, campaign_id=submission.campaign_id
            )
        return self._in_force[key]

    def of_text(self, text: str, label: str, form_version: int) -> FormRules:
        """Rule-file ``text`` compiled against ``form_version`` of its form, once per run."""
        key = (text, label, form_version)
        if key not in self._texts:
            forms = self.submissions.forms
            self._texts[key] = rules_of_text(text, label, form_version, forms)
        return self._texts[key]

    def report(self, submission: Submission, rules: FormRules) -> RuleReport:
        """The report ``rules`` give the submission's last submitted version, as on submit."""
        corpus: SimilarityCorpus | None = None
        if rules.compares:
            corpus = self.corpus(submission.campaign_id, submission.form_type)
        key = (
            rules.hash,
            submission.id,
            submission.rev,
            corpus.key_for(submission.branch_id) if corpus is not None else None,
        )
        cached = self.cache.get(key)
        if cached is not None:
            return cached
        data = self.submissions.submitted_view(submission)
        report = check_form(
            rules,
            data,
            submission.branch_id,
            lambda: self.corpus(submission.campaign_id, submission.form_type),
        )
        self.cache.put(key, report)
        return report
