"""Looking ahead: what a post's performance is predicted from (`features`), the cross-validated performance
model beside a naive baseline and the draft what-if (`model`: frozen `PerformanceSettings` in,
`fit_performance_model` -> frozen `PerformanceResult`), trend forecasts with intervals (`forecast`), and their
charts (`charts`)."""
