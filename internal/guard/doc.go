// Package guard is the HTTP hardening every pacsim server shares: server
// timeouts (Server), a cap on open connections per listener (Listen,
// Limit), a cap on concurrent long streams (Slots, Stream), and, for the
// APIs a browser on the same machine could reach — the simulator's control
// API, the driver's northbound API and the visitor connector's API — a
// middleware (Wrap) that refuses what a hostile web page or DNS rebinding
// would send: a Host that is not this machine, a cross-origin Origin, a
// body that is not application/json, and, when a token is set, a request
// without it.
//
// The simulated head-ends (SmartService, the Web SDK), the record proxy and
// the replay server get the timeouts and caps but not Wrap: real drivers
// address them by any name and send XML or forms.
package guard
