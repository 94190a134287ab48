"""Listening Lab's engine: pure functions over the canonical posts table (see DESIGN.md)."""
import pandas as pd

# Copy-on-write (pandas 3's default): a frame derived from another never writes through to it. The app
# hands every page a shallow copy of one shared, cached frame instead of unpickling a private one per rerun.
pd.set_option("mode.copy_on_write", True)
