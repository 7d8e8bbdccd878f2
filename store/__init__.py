"""Storage side of the app: embeddings, vector store and the SQLite store of reports, cells and findings."""
