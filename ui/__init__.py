"""The Gradio app: chat, sources, draft, corpus admin."""
