"""KPIs that measure value, not vanity: engagement and its rate (`engagement`), the value model (`value`:
`fit_value_model` -> frozen `ValueResult`, scores, rankings), the weights a consultant tunes and their presets
(`weights.Weights`), the scorecard of KPIs with definitions (`scorecard`), leaderboards, trends and share of
voice (`leaderboards`), author authenticity (`authenticity`), and which metrics have no signal because (nearly)
every post ties on them (`signal`)."""
