"""Gradio front end. Renders what the library returns; never parses reports itself."""
