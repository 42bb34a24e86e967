"""Views: what each page says (cards, tables, sentences) and its figures, as plain data.

No Streamlit here: pages render what these return. May import services and below.
"""
