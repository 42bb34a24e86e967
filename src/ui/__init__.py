"""The only part of src that imports Streamlit: cached wrappers and shared page widgets."""
