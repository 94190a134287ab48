"""Text to vectors, offline: one protocol (`_base`), one module per backend (WordLlama static vectors, MiniLM
sentence embeddings, TF-IDF + SVD) and one registry that names and chooses them."""
