"""The 从 Excel 导入 tab of 账号管理: the template, the upload, and then either the row-by-row
problems (nothing was stored) or the accounts made with their one-time passwords."""

from __future__ import annotations

import streamlit as st

from pages.common import guarded, lang, role_label, services, tr
from workflow.account_import import EXCEL_MIME as MIME
from workflow.account_import import ImportResult
from workflow.models import User

RESULT_KEY = "vg_import_result"
MAX_UPLOAD_MB = 5


def draw_import(user: User) -> None:
    """Draw the import tab for the admin ``user``."""
    importer = services().account_import
    st.markdown(tr("pages.users.import_intro"))
    st.download_button(
        tr("pages.users.import_template"),
        importer.template(lang()),
        file_name=tr("pages.users.import_template_file"),
        mime=MIME,
        key="import_template",
    )
    upload = st.file_uploader(
        tr("pages.users.import_file"),
        type=["xlsx"],
        key="import_file",
        max_upload_size=MAX_UPLOAD_MB,
    )
    if st.button(
        tr("pages.users.import_run"), type="primary", key="import_run", disabled=upload is None
    ):
        assert upload is not None
        with guarded():
            st.session_state[RESULT_KEY] = importer.import_workbook(user, upload.getvalue())
    result = st.session_state.get(RESULT_KEY)
    if isinstance(result, ImportResult):
        _show(result)


def _show(result: ImportResult) -> None:
    if result.problems:
        st.error(tr("pages.users.import_problems", n=len(result.problems)))
        st.dataframe(
            [
                {
                    tr("pages.users.import_sheet"): p.sheet,
                    tr("pages.users.import_row"): p.row,
                    tr("pages.users.import_column"): p.column,
                    tr("pages.users.import_fix"): p.message,
                }
                for p in result.problems
            ],
            hide_index=True,
            width="stretch",
        )
        return
    st.success(
        tr("pages.users.import_done", branches=len(result.branches), accounts=len(result.accounts))
    )
    st.dataframe(
        [
            {
                tr("workflow.field.login"): a.login,
                tr("workflow.field.display_name"): a.display_name,
                tr("workflow.field.role"): role_label(a.role),
                tr("workflow.field.branch_id"): a.branch,
                tr("workflow.field.password"): a.password,
            }
            for a in result.accounts
        ],
        hide_index=True,
        width="stretch",
    )
    st.download_button(
        tr("pages.users.import_passwords"),
        services().account_import.passwords_workbook(result, lang()),
        file_name=tr("pages.users.import_passwords_file"),
        mime=MIME,
        key="import_passwords",
    )
