"""Schema migrations of the PostgreSQL backend: a versioned list of SQL steps.

Each step runs once, in order, inside one transaction holding an advisory lock, and is recorded
in ``schema_migrations``; app processes starting together never apply a step twice. Add a step
by appending to ``MIGRATIONS``; never edit a step that has shipped.
"""

from __future__ import annotations

from typing import Any

# (version, description, SQL). Indexed columns are generated from the document, so they can
# never disagree with it.
MIGRATIONS: list[tuple[int, str, str]] = [
    (
        1,
        "documents, events (history and audit), blobs",
        """
        CREATE TABLE documents (
            kind text NOT NULL,
            id text NOT NULL,
            rev integer NOT NULL,
            pos bigserial,
            doc jsonb NOT NULL,
            campaign_id text GENERATED ALWAYS AS (doc ->> 'campaign_id') STORED,
            branch_id text GENERATED ALWAYS AS (doc ->> 'branch_id') STORED,
            form_type text GENERATED ALWAYS AS (doc ->> 'form_type') STORED,
            status text GENERATED ALWAYS AS (doc ->> 'status') STORED,
            PRIMARY KEY (kind, id)
        );
        CREATE INDEX documents_kind_pos ON documents (kind, pos);
        CREATE INDEX documents_campaign ON documents (kind, campaign_id);
        CREATE INDEX documents_branch ON documents (kind, branch_id);
        CREATE INDEX documents_form_type ON documents (kind, form_type);
        CREATE INDEX documents_status ON documents (kind, status);
        CREATE TABLE events (
            seq bigserial PRIMARY KEY,
            at text NOT NULL,
            actor text NOT NULL,
            action text NOT NULL,
            kind text NOT NULL,
            id text NOT NULL,
            rev integer NOT NULL,
            old jsonb,
            doc jsonb
        );
        CREATE INDEX events_record ON events (kind, id, seq);
        CREATE TABLE blobs (
            key text PRIMARY KEY,
            data bytea NOT NULL,
            created_at timestamptz NOT NULL DEFAULT now()
        );
        """,
    ),
    (
        2,
        "composite indexes for the lookups by campaign and form type or branch",
        # With only single-column indexes, a campaign's plans were found through the form-type
        # index and every other campaign's plan was read (and decompressed) to be filtered out:
        # the lookups of a spot-check, a similarity corpus or a stage check grew with the years.
        """
        CREATE INDEX documents_campaign_form_type ON documents (kind, campaign_id, form_type);
        CREATE INDEX documents_campaign_branch ON documents (kind, campaign_id, branch_id);
        """,
    ),
    (
        3,
        "archived campaigns (read-only; their rows stay where they are)",
        """
        CREATE TABLE archived_campaigns (
            campaign_id text PRIMARY KEY,
            at text NOT NULL,
            actor text NOT NULL
        );
        """,
    ),
]


def migrate(conn: Any, schema: str | None) -> list[int]:
    """Apply the steps ``conn``'s database lacks; returns the versions applied now."""
    applied_now: list[int] = []
    with conn.transaction():
        conn.execute("SELECT pg_advisory_xact_lock(hashtext(%s))", (f"vanguard:{schema}",))
        if schema:
            conn.execute(f'CREATE SCHEMA IF NOT EXISTS "{schema}"')
        conn.execute(
            "CREATE TABLE IF NOT EXISTS schema_migrations ("
            " version integer PRIMARY KEY, description text NOT NULL,"
            " applied_at timestamptz NOT NULL DEFAULT now())"
        )
        done = {row[0] for row in conn.execute("SELECT version FROM schema_migrations")}
        for version, description, sql in MIGRATIONS:
            if version in done:
                continue
            conn.execute(sql)
            conn.execute(
                "INSERT INTO schema_migrations (version, description) VALUES (%s, %s)",
                (version, description),
            )
            applied_now.append(version)
    return applied_now
