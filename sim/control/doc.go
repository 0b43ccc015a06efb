// Package control is pacsim's control API: JSON over HTTP, every route under
// /v1, through which Gherkin steps, the command line and the web panel act
// on the simulated world — stimuli, hardware faults, the clock, the state of
// every component and the event journal. Server serves it for a sim.World;
// Client is its typed Go client, the same for a server in process (simtest)
// and a remote `pacsim serve` (default address 127.0.0.1:9700).
//
// # Answers and errors
//
// Every answer is JSON. An error is {"error":"…"} with a message that says
// what was wrong, and a 4xx status:
//
//   - 400: malformed JSON, a field the route does not take, trailing data
//     after the object, a missing required field ("card"), an id in the path
//     that is not an integer, a card number in no known format, a value out
//     of range (a clock advance over 31 days, say), a bad query parameter;
//   - 404: no component has the id, or not of the kind in the path (the
//     message names the id), or no route has the path;
//   - 405: the path takes other methods, listed in the Allow header;
//   - 409: the stimulus contradicts the current state (opening an open door,
//     failing a controller already cut off), the hardware is in fault (a card
//     presented at a reader in fault) or cannot be reached; a clock advance
//     on a server running on the real clock;
//   - 413: a request body over 64 KiB.
//
// A rejected request changes nothing in the world. A POST whose route takes
// no body accepts an empty body, null or {}.
//
// # Routes
//
// `pacsim serve` and simtest also mount the site panel (package
// control/panel) at GET / through WithRoutes: a web page that uses only the
// routes below.
//
//	GET  /v1/site
//
// Every component with its state, grouped by kind (sim.Snapshot):
// {"time":…,"version":…,"gateways":[…],"sites":[…],"controllers":[…],
// "doors":[…],"readers":[…],"inputs":[…],"outputs":[…]}; each component
// {"id":20,"guid":"…","name":"Front Door",…} with its state in plain words:
// door "lock" (locked, unlocked-operator, unlocked-temporary,
// unlocked-access, unlocked-schedule, one-time-access) and "contact"
// (closed, open, open-prealarm, open-too-long, forced); reader "door",
// "enabled", "fault", "keypad"; input "state" (normal, alarm), "tamper",
// "trouble", "shunted"; output "active", "fault", "trouble"; controller
// "online", "fault"; gateway "connected".
//
//	GET  /v1/gateways/{id}
//	GET  /v1/sites/{id}
//	GET  /v1/controllers/{id}
//	GET  /v1/doors/{id}
//	GET  /v1/readers/{id}
//	GET  /v1/inputs/{id}
//	GET  /v1/outputs/{id}
//
// One component, as in /v1/site. An id of another kind is a 404.
//
//	POST /v1/reset
//
// Every component back at rest, every timer stopped, held events dropped;
// the journal and the clock carry on. On a server with a fault plan (pacsim
// serve, simtest) every fault is removed too, as DELETE /v1/faults does, and
// healed first. Answer {"ok":true,"removed":{"faults":2}}: what was removed,
// counted by kind (see WithResetRemover).
//
//	POST /v1/readers/{id}/present   {"card":"100:1001","pin":"12345"}
//
// A card presented at a reader ("pin" optional). The card is
// "facility:number" or up to 20 decimal digits. Answer
// {"granted":true,"reason":"","user":"Alice Martin","seq":812}; a denial
// carries its reason: unknown-card, card-invalid, card-lost-stolen,
// card-expired, card-not-yet-valid, no-access-level, outside-schedule,
// reader-disabled, wrong-card-type, pin-required, pin-wrong,
// controller-offline. While the reader's controller is cut off the access
// event is held: "seq" is 0 and "held" true. A reader in fault reads no
// card: 409.
//
//	POST /v1/doors/{id}/open
//	POST /v1/doors/{id}/close
//	POST /v1/doors/{id}/rex
//
// A door opened, closed, or its request-to-exit pressed. A door opened while
// locked, without a grant or request-to-exit, is forced; one left open past
// its open time goes to open-prealarm, then open-too-long. Answer
// {"seq":N}, the event's sequence number (0 while held).
//
//	POST /v1/inputs/{id}/activate
//	POST /v1/inputs/{id}/deactivate
//	POST /v1/inputs/{id}/tamper
//	POST /v1/inputs/{id}/restore
//
// An input put in alarm, back to rest, tampered with, or its tamper ended.
// Answer {"seq":N} (0 while held, or when a shunted input raised no event).
//
//	POST /v1/controllers/{id}/fail
//	POST /v1/controllers/{id}/restore
//
// A controller's communication cut (it works on alone and holds its events)
// or restored (the held events are journaled, in order). Answer the
// controller's state.
//
//	POST /v1/gateways/{id}/disconnect
//	POST /v1/gateways/{id}/connect
//
// A gateway disconnected (every controller behind it holds its events) or
// connected again. Answer the gateway's state.
//
//	GET  /v1/clock
//
// The site clock: {"time":"2026-01-05T09:00:00Z","mode":"virtual"} ("real"
// when the server runs on the wall clock).
//
//	POST /v1/clock/advance   {"seconds":30}  or  {"duration":"1m30s"}
//
// The virtual clock moved forward, firing every timer that falls due, in
// order. "seconds" is a number from 0 to 2678400 (31 days), fractions
// allowed; "duration" a Go duration string in the same range. Answer as GET
// /v1/clock. On the real clock: 409.
//
//	GET  /v1/cardusers?q=TEXT&limit=N
//
// The card users of the site file whose name or one of whose cards
// contains TEXT (case ignored; all without q), at most N (default 50, at
// most 1000), in file order: {"card_users":[{"id":201,"name":"Bruno
// Bernard","cards":["100:1002"],"pin":"12345","access_levels":["Office only
// (Office)"]}],"total":<every match>}; a level is "name (site)". "pin" is left out for a user without one. Card
// users created later through a head-end's API are not listed.
//
//	GET  /v1/events?after=SEQ&limit=N
//
// Journal events with a sequence number above SEQ (default 0: from the
// oldest retained), at most N (default 1000, at most 10000), oldest first:
// {"events":[…],"last":<newest seq in the journal>,"missed":<events after
// SEQ that retention dropped>}. Each event (Event):
//
//	{"seq":812,"time":"2026-01-05T09:00:00Z","type":202,"text":"Access granted",
//	 "kind":"reader","source":30,"source_name":"Front Door entry","door":20,
//	 "door_name":"Front Door","controller":10,"card":"100:1001",
//	 "user":"Alice Martin","granted":true}
//
// Empty fields are left out, except seq, time, type, text and source;
// "granted" is on access events only; "reason" on denials; "value" carries
// the seconds of a temporary unlock, activation or shunt.
//
//	GET  /v1/events/stream?after=SEQ
//
// Server-sent events: the events above SEQ, then each event as the world
// journals it, as
//
//	id: 812
//	event: access
//	data: {"seq":812,…}
//
// The event name is "access" for access events and the source's kind
// ("door", "input", …) otherwise; "fault-added" and "fault-removed" for
// the events (types 990 and 991, text "Fault added", "Fault removed") that
// the fault API journals when a fault is added or removed, which carry
// the fault as "fault" (as GET /v1/faults shows it) and, for a hardware
// fault, its component as "source". A reconnecting client's Last-Event-ID
// header wins over "after"; with neither, the stream starts after the
// newest event. The stream opens with a "retry:" line, sends a
// ": keep-alive" comment every 15 s of wall time, and, when events were
// lost to retention before they could be sent, "event: missed" with
// {"missed":N}. It ends when the client goes away or Server.Close is
// called; once closed, the server answers new streams 503.
package control
