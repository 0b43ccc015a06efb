// Package entrapass is the EntraPass integration driver: what a PSIM runs on
// site against a real Kantech EntraPass SmartService server (Global or
// Corporate 7.50 and later, with the E-GLOB-CONNECT or E-COR-CONNECT
// licence). It is tested against pacsim's simulated server, but shares no
// code with it: only the wire connects them, so the driver never inherits
// the simulator's parser bugs (it imports nothing under sim/).
//
// # Layers
//
//   - Config (config.go): the integration document's Communication Settings
//     (host, port 8080 by default, username, password) plus TLS, poll
//     interval (100 ms–1 h, 1 s by default), integration id (56) and limits.
//     Validate refuses an invalid or out-of-range value with a *ConfigError
//     naming the field, before anything is sent. The password never shows
//     in String, GoString, %v or slog.
//   - Client (client.go, api.go): SmartService over HTTP(S) at
//     http(s)://host:port/SmartService/. Login is encrypted=1 (AES-CBC keyed
//     by the password, see Encrypt) with ConnectedProgram =
//     Enc("<integration id>,<new GUID>") at every login; the server version
//     is checked (≥ 7.50). Application errors are HTTP 200 with a
//     <StandardFault>: they come back as *Fault, which errors.Is maps to
//     ErrBadLogin, ErrLicence, ErrSessionLimit and ErrSessionExpired. A lost
//     session (a fault naming the SessionKey) is logged out, replaced by a
//     new login and the request retried once. Every request has a timeout,
//     and every URL in a log line or an error is redacted (RedactURL).
//   - Driver (driver.go, discovery.go, status.go, events.go): discovers the
//     site into an asset.Registry, polls states and events, and implements
//     asset.Hardware for the hardware commands.
//
// # Assets
//
// door/<id> ("Door ID"), reader/<door id> ("Door ID" of its door: SmartService
// has no reader component; readers are addressed and reported through their
// door, so there is one Reader asset per door, its first reader, and the
// second reader's state is the property "Reader 2 Disabled"), output/<id>
// ("Output ID"), input/<id> ("Input ID") and system/1. The statuses follow
// SPEC §6's table from the wire (see status.go).
//
// # Events
//
// Access rows ("Access granted", "Access denied - <reason>"; P1TXT door,
// P2TXT user, P3TXT card, P4TXT reader) become Last Access Events on the
// door and its reader, with the card user's Badging and card state looked up
// in the Cards list (cached). "Gateway disconnected" / "Gateway connected"
// become Gateway Connection Changed. Every event is delivered once: after a
// lost session or a failure the missed events are read from the history
// (Events?startDate=) and de-duplicated by (UDT, ETXT, P1TXT…P4TXT) and
// their number of occurrences (see events.go).
//
// # Resilience
//
// A failed cycle (server unreachable, timeout, HTTP error, malformed answer,
// refused login) shows every asset No Communication; the loop retries with
// capped exponential back-off; the next successful cycle logs in afresh
// where needed (logging the old key out), reads every state again
// (statusID 0) and recovers the missed events.
package entrapass
