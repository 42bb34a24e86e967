"""The floor of a page in the browser (``bench.browser``): a Streamlit script with a title and
one line, no data, no chart, run by a server started as the dashboard's is, with its config
and fonts. What a fresh tab of any Streamlit page costs on this machine, below which no page
of the dashboard can be drawn."""

import streamlit as st

st.title("Sàn")
st.write("Một trang Streamlit chỉ có tiêu đề và một dòng chữ.")
