"""Links that open one item on its own screen: a branch's record in its editor, a new record
of a form type, a submission in the review queue. The screens read the same query parameters
(``records.opened_from_url``, ``fill.py``, ``review.py``)."""

from __future__ import annotations

from forms.launch import Plan, StudySession

OPEN_PARAM = "open"  # ?open=<submission id>
FORM_PARAM = "form"  # ?form=<form type> on the 填报 screen
# form types with a screen of their own; every other one is filled on 填报 (pages/fill.py)
OWN_SCREENS = {Plan.form_type: "pages/plan.py", StudySession.form_type: "pages/study_sessions.py"}
FILL = "pages/fill.py"
REVIEW = "pages/review.py"


def branch_link(form_type: str, submission_id: str | None) -> tuple[str, dict[str, str]]:
    """The screen and query parameters that open ``submission_id`` (None: a new record of
    ``form_type``) for its branch."""
    page = OWN_SCREENS.get(form_type, FILL)
    params = {} if page != FILL else {FORM_PARAM: form_type}
    if submission_id:
        params[OPEN_PARAM] = submission_id
    return page, params


def review_link(submission_id: str) -> tuple[str, dict[str, str]]:
    """The review queue with ``submission_id`` opened."""
    return REVIEW, {OPEN_PARAM: submission_id}
