"""Streamlit pages, one module per page; only app.py and ui/ import streamlit."""
