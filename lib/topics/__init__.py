"""Topics with BERTopic over our own embeddings: frozen settings in, a frozen result out (`result`, `fit.fit_topics`),
the fit's stages (`prepare`: the text for meaning, without handles, links and brand names; `sample`: which posts
are clustered; `neighbours`: exact k-NN and UMAP; `describe`: keywords, labels, map, hierarchy; `assign`: outliers,
posts beyond the sample, the document map), a fitted model applied to other posts by both engines (`apply`), the
views every page and the report read (with the user's edits applied), and the topic charts."""
