"""The frame: page config, language, navigation. Each page is a script under pages/."""

import streamlit as st

from src.i18n import t
from src.ui import actions, guard, widgets
from src.ui.widgets import ICON

st.set_page_config(page_title="Theo dõi Nghị quyết", page_icon=str(ICON), layout="wide")

lang = widgets.lang()  # as chosen on the last run: the page titles need it now
pages = [
    st.Page(
        "pages/overview.py",
        title=t("nav_overview", lang),
        icon=":material/monitoring:",
        default=True,
    ),
    st.Page(
        "pages/goal.py", title=t("nav_goal", lang), icon=":material/flag:", url_path="chi-tieu"
    ),
    st.Page(
        "pages/cells.py", title=t("nav_cells", lang), icon=":material/groups:", url_path="chi-bo"
    ),
    st.Page(
        "pages/reports.py",
        title=t("nav_reports", lang),
        icon=":material/description:",
        url_path="bao-cao",
    ),
    st.Page(
        "pages/resolutions.py",
        title=t("nav_resolutions", lang),
        icon=":material/gavel:",
        url_path="nghi-quyet",
    ),
    st.Page(
        "pages/upload.py",
        title=t("nav_upload", lang),
        icon=":material/upload_file:",
        url_path="cap-nhat",
    ),
]
pg = st.navigation(pages)
# The frame's widgets come after st.navigation: a widget drawn before it loses what the
# reader chose at the next run (Streamlit 1.67)
lang = widgets.language_switch()
widgets.page_style(lang)
actions.refuse_open_network(lang)
guard.notices()  # a write whose summaries could not be kept says so, on any page
guard.run(pg.run)  # a damaged file, a full disk: a message, not a traceback
