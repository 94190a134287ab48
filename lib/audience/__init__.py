"""Segments of the audience: per-author behaviour features (`features`), UMAP + HDBSCAN (`segments.fit_segments`,
frozen `result.SegmentSettings` in, `result.SegmentResult` out), personas that describe each segment
(`personas`), and what the pages show about them (`views`, `charts`)."""
