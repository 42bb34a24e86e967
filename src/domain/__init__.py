"""Domain: what a goal means, its status and pace, the data types, the consistency rules.

Pure functions and plain data: imports neither DuckDB nor Streamlit, nor any other layer.
"""
