"""Getting posts in: reading any export (encodings, delimiters, Excel, JSON), recognising the platform, mapping
columns to the canonical schema, parsing counts and dates, cleaning, privacy (PII masking, pseudonyms) and the
bundled samples. Everything here is pure: files in, a canonical posts table and an import report out."""
