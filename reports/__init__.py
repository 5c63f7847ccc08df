"""PDF reports: ReportLab builders, pure functions from data to PDF bytes.

One module per document: ``plan``, ``form`` (any registered form type), ``rule_report``,
``bulletin``, ``branch_dossier``, ``campaign_dossier``, ``commendation``. They share the page
frame (``document``), paragraph styles (``styles``), the embedded CJK font (``fonts``), markup
escaping of user text (``markup``) and the rule-report / review-trail sections (``sections``).
No Streamlit and no storage here: callers pass plain dicts and get ``bytes`` back.
``python -m reports`` renders one JSON file without the app.
"""
