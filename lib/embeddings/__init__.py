"""Text to vectors, offline: one protocol (`_base.Backend`), one module per backend (`wordllama` static word
vectors, the fast default; `minilm` sentence embeddings; `tfidf` TF-IDF + SVD, no model), one `registry` that
names them and resolves "auto", and `cache.embed`, which embeds each distinct text once through the workspace's
vector cache."""
