"""The frame: page config, language, navigation. Each page is a script under pages/."""

import streamlit as st

from src.i18n import t
from src.ui import widgets

st.set_page_config(page_title="Theo dõi Nghị quyết", page_icon="📊", layout="wide")

lang = widgets.language_switch()
widgets.page_style()
pages = [
    st.Page(
        "pages/overview.py",
        title=t("nav_overview", lang),
        icon="📊",
        default=True,
        url_path="tong-quan",
    ),
]
pg = st.navigation(pages)
pg.run()
