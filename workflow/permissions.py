"""Who may do what: the one place that decides (pages only hide buttons these refuse anyway).

Each ``may_*`` function answers a question without raising; ``require`` turns a ``False`` into a
``PermissionDenied`` carrying a message in the actor's language. Services call both; nothing
else in the code base compares roles.

The policy:

- an inactive account may do nothing;
- branch staff read and write their own branch's forms only;
- a draft is seen by its own branch's staff and nobody else (not even admins): not in lists,
  the audit log and its downloads, rule impact previews or any other view. The same holds for
  a returned submission's text while the branch revises it: others see the version last
  submitted (``may_view_content``);
- reviewers review (approve, return, spot-check) any branch's submission except their own
  branch's, when they belong to one;
- admins manage campaigns, branches and accounts and read everything that is not a draft;
- readers read everything that is not a draft and change nothing;
- a demo site's own branch carries it out (starts it, reports, records spending with receipts);
  reviewers approve it within the quota, grant its money and accept it (not their own branch's);
  the funding ledger is read by every non-branch role, a branch sees its own site's part.
- a demo site's page (以点带面) is read by every active account: for each approved site, its
  branch's approved records and the approved joint work naming it (never a draft, a returned or
  a pending record; never its funding, which stays with the ledger's readers);
- a joint activity (S8) is read by the staff of every partner branch it names, once submitted
  (never as a draft; as last submitted while its branch revises it);
- news (S9): reviewers edit, approve, forward and publish other branches' reports, admins may
  publish too; every active account reads the 先锋工程 column and the issued bulletins, which
  admins compose.
"""

from __future__ import annotations

from workflow.errors import PermissionDenied
from workflow.models import Role, Status, Submission, User

READ_ALL_ROLES = frozenset({Role.REVIEWER, Role.ADMIN, Role.READER})
# A record in these states was handed in and approved (news: and perhaps forwarded, published).
APPROVED_STATES = frozenset({Status.APPROVED, Status.FORWARDED, Status.PUBLISHED})
# A submission's ``data`` in these states may hold text its branch has not submitted.
UNSUBMITTED_STATES = frozenset({Status.DRAFT, Status.RETURNED})


def require(allowed: bool, actor: User, message_key: str, **values: object) -> None:
    """Raise ``PermissionDenied`` with the catalogue message ``message_key`` unless ``allowed``."""
    if not allowed:
        raise PermissionDenied.keyed(message_key, actor.lang, **values)


def is_admin(actor: User) -> bool:
    """An active administrator."""
    return actor.active and actor.role == Role.ADMIN


def may_build_forms(actor: User) -> bool:
    """Build forms and simple rules on screen, draft, copy and publish them."""
    return is_admin(actor)


def may_manage_accounts(actor: User) -> bool:
    """Create, list and change user accounts."""
    return is_admin(actor)


def may_manage_campaigns(actor: User) -> bool:
    """Create and change campaigns (and their settings and quotas)."""
    return is_admin(actor)


def may_manage_branches(actor: User) -> bool:
    """Create and change branches."""
    return is_admin(actor)


def may_set_password(actor: User, login: str) -> bool:
    """Everyone may change their own password; admins anyone's."""
    return actor.active and (actor.login == login or actor.role == Role.ADMIN)


def may_edit_branch_forms(actor: User, branch_id: str) -> bool:
    """Fill, save and submit the forms of ``branch_id``: that branch's own staff only."""
    return (
        actor.active
        and actor.role == Role.BRANCH
        and actor.branch_id is not None
        and actor.branch_id == branch_id
    )


def may_view_submission(actor: User, submission: Submission) -> bool:
    """Read a submission: the own branch always; others everything except drafts."""
    if not actor.active:
        return False
    if actor.role == Role.BRANCH:
        return actor.branch_id is not None and actor.branch_id == submission.branch_id
    return actor.role in READ_ALL_ROLES and submission.status != Status.DRAFT


def may_view_as_partner(actor: User, submission: Submission, partner_ids: set[str]) -> bool:
    """Read another branch's joint activity as its partner: staff of a branch among
    ``partner_ids`` (the branches its last submitted version names), once it is submitted."""
    return (
        actor.active
        and actor.role == Role.BRANCH
        and actor.branch_id is not None
        and actor.branch_id != submission.branch_id
        and submission.status != Status.DRAFT
        and bool(submission.versions)
        and actor.branch_id in partner_ids
    )


def may_view_demo_site_showcase(
    actor: User,
    site_submission: Submission,
    record: Submission,
    partner_ids: frozenset[str] = frozenset(),
) -> bool:
    """Read ``record`` on the page of the demo site founded by ``site_submission`` (以点带面):
    every active account, once the application is approved (立项), for a record of the same
    campaign that is approved (never a draft, a returned or a pending one) and is the site's
    branch's own or names it among ``partner_ids`` (the branches its partners field names)."""
    site_branch = site_submission.branch_id
    return (
        actor.active
        and site_submission.status == Status.APPROVED
        and record.campaign_id == site_submission.campaign_id
        and record.status in APPROVED_STATES
        and bool(record.versions)
        and (record.branch_id == site_branch or site_branch in partner_ids)
    )


def may_view_content(actor: User, branch_id: str, status: Status | str) -> bool:
    """Read a submission's text as it stands now (or a past revision's, in the audit log):
    its own branch's staff always; anyone else only when it holds nothing unsubmitted (not a
    draft, not returned and perhaps being revised). Others read submitted versions instead."""
    own = (
        actor.active
        and actor.role == Role.BRANCH
        and actor.branch_id is not None
        and actor.branch_id == branch_id
    )
    return own or (actor.active and status not in UNSUBMITTED_STATES)


def may_review(actor: User, submission: Submission) -> bool:
    """Approve or return a submission: a reviewer not belonging to the submitting branch."""
    return (
        actor.active
        and actor.role == Role.REVIEWER
        and (actor.branch_id is None or actor.branch_id != submission.branch_id)
    )


def require_review(actor: User, submission: Submission) -> None:
    """Raise ``PermissionDenied`` unless ``actor`` may review; reviewers of the submitting
    branch are told that is why."""
    own_branch = actor.branch_id is not None and actor.branch_id == submission.branch_id
    if actor.active and actor.role == Role.REVIEWER and own_branch:
        raise PermissionDenied.keyed("workflow.denied.review_own_branch", actor.lang)
    require(may_review(actor, submission), actor, "workflow.denied.review")


def may_write_reserved_field(actor: User, role: str, submission: Submission | None) -> bool:
    """Write a form field reserved to ``role`` (``field(..., role=...)``) of ``submission``
    (None: a form not stored yet): a reviewer's field by those who may review it, a branch's
    by that branch's staff, an admin's by admins."""
    if role == Role.REVIEWER:
        return submission is not None and may_review(actor, submission)
    if role == Role.BRANCH:
        return may_edit_branch_forms(actor, submission.branch_id if submission else "")
    if role == Role.ADMIN:
        return is_admin(actor)
    return False


def may_view_awards(actor: User) -> bool:
    """See the award ranking, the list under 公示 and the final list: every active user
    (branch staff see their own branch's nominations only, as everywhere)."""
    return actor.active


def may_manage_awards(actor: User) -> bool:
    """Select nominations within quotas, hold the 公示 and resolve objections: reviewers."""
    return actor.active and actor.role == Role.REVIEWER


def may_view_dashboards(actor: User) -> bool:
    """See a campaign's dashboards, charts, 同比 and ledgers: reviewers, admins, readers
    (branch staff see their own figures on their summary)."""
    return actor.active and actor.role in READ_ALL_ROLES


def may_draw_spot_check(actor: User) -> bool:
    """Draw a spot-check sample (S3): reviewers."""
    return actor.active and actor.role == Role.REVIEWER


def own_branch_only(actor: User) -> str | None:
    """The one branch whose submissions ``actor`` may see, when the role limits them to one
    (branch staff: their own); None otherwise. A listing asks the store for that branch's
    records alone instead of reading every branch's; each is still checked one by one."""
    return actor.branch_id if actor.role == Role.BRANCH else None


def may_view_spot_checks(actor: User) -> bool:
    """See the recorded spot-checks and reproduce them: reviewers, admins, readers."""
    return actor.active and actor.role in READ_ALL_ROLES


def may_view_branch_records(actor: User, branch_id: str) -> bool:
    """See a branch's figures (statistics, dossiers): its own staff, or any non-branch role."""
    if not actor.active:
        return False
    if actor.role == Role.BRANCH:
        return actor.branch_id == branch_id
    return actor.role in READ_ALL_ROLES


def may_build_dossiers(actor: User) -> bool:
    """Build branch and campaign dossiers for the school committee (S16): reviewers and
    admins. Dossiers hold only submissions that are done, never drafts."""
    return actor.active and actor.role in (Role.REVIEWER, Role.ADMIN)


def may_view_every_branch(actor: User) -> bool:
    """See every branch's records side by side (the committee's overviews): non-branch roles."""
    return actor.active and actor.role in READ_ALL_ROLES


def may_fill_own_branch_forms(actor: User) -> bool:
    """Fill the forms of one's own branch (an activity list's records to pick and edit rather
    than read): staff of a branch, with their branch set."""
    return actor.branch_id is not None and may_edit_branch_forms(actor, actor.branch_id)


def may_view_progress(actor: User) -> bool:
    """See every branch's progress on the campaign's tasks (the committee's branch × task
    table): reviewers, admins, readers."""
    return may_view_every_branch(actor)


def may_carry_out_demo_site(actor: User, branch_id: str) -> bool:
    """Start a demo site, hand in its outcome report, record its spending with receipts:
    the site's own branch staff."""
    return may_edit_branch_forms(actor, branch_id)


def may_accept_demo_site(actor: User, branch_id: str) -> bool:
    """Accept (验收) a demo site's outcome or return it: a reviewer not of the site's branch."""
    return (
        actor.active
        and actor.role == Role.REVIEWER
        and (actor.branch_id is None or actor.branch_id != branch_id)
    )


def may_grant_funds(actor: User, branch_id: str) -> bool:
    """Grant a demo site of branch ``branch_id`` money from the campaign budget (经费台账): a
    reviewer not of the site's branch, as for approving (立项) and accepting (验收) it."""
    return may_accept_demo_site(actor, branch_id)


def require_grant_funds(actor: User, branch_id: str) -> None:
    """Raise ``PermissionDenied`` unless ``actor`` may grant the site of ``branch_id`` money;
    a reviewer of that branch is told that is why."""
    own_branch = actor.branch_id is not None and actor.branch_id == branch_id
    if actor.active and actor.role == Role.REVIEWER and own_branch:
        raise PermissionDenied.keyed("demo_sites.denied.grant_own_branch", actor.lang)
    require(may_grant_funds(actor, branch_id), actor, "demo_sites.denied.grant")


def may_view_ledger(actor: User) -> bool:
    """See and export the whole funding ledger: reviewers, admins, readers."""
    return actor.active and actor.role in READ_ALL_ROLES


def may_edit_news(actor: User, submission: Submission) -> bool:
    """Edit a branch's submitted news report before approving it (S9): its reviewers."""
    return may_review(actor, submission)


def may_forward_news(actor: User, submission: Submission) -> bool:
    """Send an approved news report up to the school committee (报送学校党委): reviewers
    not of the submitting branch."""
    return may_review(actor, submission)


def may_publish_news(actor: User, submission: Submission) -> bool:
    """Publish a forwarded report in the 先锋工程 column (刊发): its reviewers and admins."""
    return may_review(actor, submission) or is_admin(actor)


def may_read_column(actor: User) -> bool:
    """Read the 先锋工程 column and the issued bulletins: every active account."""
    return actor.active


def may_compose_bulletin(actor: User) -> bool:
    """Compose, preview and issue 《机关工作简报》 (S10): admins."""
    return is_admin(actor)
