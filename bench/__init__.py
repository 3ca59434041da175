"""Benchmarks with their own data generator (issue 2 and issue 4 performance figures)."""
import os

# AppTest outside a server logs "missing ScriptRunContext" warnings by the dozen; figures only, please.
os.environ.setdefault("STREAMLIT_LOGGER_LEVEL", "error")
