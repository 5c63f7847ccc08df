"""A child process for tests/security/test_races.py: opens a store, prints ``ready``, waits for
a line on stdin (the parent sends it to every child at once, so they collide), does one action
and prints ``ok`` or the error's class name.

    python tests/security/race_worker.py demote URL ACTOR TARGET
    python tests/security/race_worker.py plan URL LOGIN CAMPAIGN_ID
"""

from __future__ import annotations

import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[2]))

from argon2 import PasswordHasher

from storage.factory import open_repository
from workflow.errors import DomainError
from workflow.models import Role, User
from workflow.services import build_services

FAST_HASHER = PasswordHasher(time_cost=1, memory_cost=8, parallelism=1)


def main() -> None:
    mode, url = sys.argv[1], sys.argv[2]
    repo = open_repository(url)
    services = build_services(repo, hasher=FAST_HASHER)
    try:
        actor = User.model_validate(repo.get("users", sys.argv[3]))
        print("ready", flush=True)
        sys.stdin.readline()
        if mode == "demote":
            target = User.model_validate(repo.get("users", sys.argv[4]))
            demoted = target.model_copy(update={"role": Role.READER})
            services.accounts.update_user(actor, demoted, target.rev)
        else:
            services.submissions.save_draft(
                actor, campaign_id=sys.argv[4], form_type="plan", data={"title": "方案"}
            )
        print("ok", flush=True)
    except DomainError as exc:
        print(type(exc).__name__, flush=True)
    finally:
        repo.close()


if __name__ == "__main__":
    main()
