package guard

// MetricsPath is where every pacsim service answers its Prometheus metrics
// (SPEC §11). Like the health paths it needs no token: a scraper carries
// none, and no metric names an id, a card or a path.
const MetricsPath = "/metrics"

// OpenPaths are the paths answered without the token: health and metrics.
var OpenPaths = []string{HealthPath, ReadyPath, MetricsPath}
