"""Looking ahead: a cross-validated performance model beside a naive baseline, the draft what-if, trend
forecasts with intervals, and their charts."""
