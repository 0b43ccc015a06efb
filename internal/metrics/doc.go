// Package metrics is what every pacsim service shares to answer GET
// /metrics (SPEC §11): a registry with the Go runtime and process
// collectors, its handler, the head-end request middleware, and a helper
// for collectors that read counters kept elsewhere at scrape time.
//
// It imports neither sim nor driver packages, so both sides use it.
// Labels are bounded by construction: a route template, a status code, a
// kind from a fixed list — never an id, a card number or a raw path.
package metrics
