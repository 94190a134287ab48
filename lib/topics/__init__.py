"""Topics with BERTopic over our own embeddings: frozen settings in, a frozen result out (`fit_topics`), the
views every page and the report read (with the user's edits applied), and the topic charts."""
