"""KPIs that measure value, not vanity: engagement and its rate, the value model (per-post components), weights
and presets, the scorecard, leaderboards, share of voice and influence, and author authenticity."""
