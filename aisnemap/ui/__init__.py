"""The only package code that imports Streamlit: loaders, sidebar, page frame."""
