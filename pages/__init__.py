"""The screens of the Streamlit app: one file per screen, routed by ``router.py``.

Screens are thin: read input, call a ``workflow`` service, show the result. What every screen
shares (services, the signed-in user, language, error display) is in ``pages.common``.
"""
