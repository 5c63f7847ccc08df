"""Workflow services: who may do what, and the states forms go through. No Streamlit here.

Entry point: ``workflow.services.build_services(repo)`` → ``Services`` with

- ``accounts``     login (argon2) and user administration       (workflow/accounts.py)
- ``campaigns``    campaigns; ``current()`` is the latest year   (workflow/campaigns.py)
- ``branches``     branches                                       (workflow/branches.py)
- ``submissions``  drafts, submit, approve/return, versions       (workflow/submissions.py)
- ``spot_checks``  reproducible spot-check draws (S3)             (workflow/spot_check.py)
- ``documents``    permission-checked PDFs                        (workflow/documents.py)
- ``statistics``   a branch's figures for its summary (S11)       (workflow/statistics.py)

Every method that acts takes the acting ``User`` first; ``workflow/permissions.py`` decides.
Every error raised for a person is a ``workflow.errors.DomainError`` whose ``str()`` is the
message to show. First-run setup, CLI accounts and demo data: ``workflow/setup.py``, on the
command line ``python -m workflow`` (``workflow/cli.py``).
"""
