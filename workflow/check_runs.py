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
"""

from __future__ import annotations

import threading
from collections import OrderedDict
from collections.abc import Hashable

from rules.report import RuleReport
from workflow.models import Submission
from workflow.rule_checks import FormRules, check_form, rules_in_force
from workflow.rule_sets import rules_of_text
from workflow.similarity_corpus import SimilarityCorpus, load_corpus
from workflow.submissions import SubmissionService

# About 60 branches x 20 forms x 10 campaigns, under two rule-set versions.
CACHE_LIMIT = 25_000


class ReportCache:
    """The latest reports by key, at most ``limit`` of them (least recently used go first)."""

    def __init__(self, limit: int = CACHE_LIMIT) -> None:
        self.limit = limit
        self._reports: OrderedDict[Hashable, RuleReport] = OrderedDict()
        self._lock = threading.Lock()
        self.hits = self.misses = 0

    def get(self, key: Hashable) -> RuleReport | None:
        """The report kept under ``key``, or None."""
        with self._lock:
            report = self._reports.get(key)
            if report is None:
                self.misses += 1
                return None
            self.hits += 1
            self._reports.move_to_end(key)
            return report

    def put(self, key: Hashable, report: RuleReport) -> None:
        """Keep ``report`` under ``key``, forgetting the oldest beyond the limit."""
        with self._lock:
            self._reports[key] = report
            self._reports.move_to_end(key)
            while len(self._reports) > self.limit:
                self._reports.popitem(last=False)


class CheckRun:
    """One pass of rule checks over stored submissions (see the module docstring)."""

    def __init__(self, submissions: SubmissionService, cache: ReportCache) -> None:
        self.submissions = submissions
        self.cache = cache
        self._corpora: dict[tuple[str, str], SimilarityCorpus] = {}
        self._in_force: dict[tuple[str, int], FormRules | None] = {}
        self._texts: dict[tuple[str, str, int], FormRules] = {}

    def corpus(self, campaign_id: str, form_type: str) -> SimilarityCorpus:
        """The corpus of ``form_type`` in ``campaign_id``, read once per run."""
        key = (campaign_id, form_type)
        if key not in self._corpora:
            repo, campaigns = self.submissions.repo, self.submissions.campaigns
            self._corpora[key] = load_corpus(repo, campaigns, campaign_id, form_type)
        return self._corpora[key]

    def in_force(self, submission: Submission) -> FormRules | None:
        """The rule set in force for the submission's form version (None: no rule set)."""
        key = (submission.form_type, submission.form_version)
        if key not in self._in_force:
            repo = self.submissions.repo
            forms = self.submissions.forms
            self._in_force[key] = rules_in_force(repo, *key, forms=forms)
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
