"""Files -> documents -> chunks -> embeddings -> the store. Knows nothing of the layers above it."""
