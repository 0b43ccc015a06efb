// Package fault is pacsim's fault injection: plans of transport faults on
// the simulated head-ends' HTTP traffic and hardware faults on the
// simulated world, with seeded, counted and time-windowed schedules, and
// their control API. One vocabulary, three ways in: the control API (JSON,
// Routes), `pacsim serve --fault SPEC` (ParseFlag) and Gherkin steps (Plan
// in process).
//
// # A plan
//
//	w, _ := sim.New(sim.DefaultSite())
//	ep, _ := entrapass.New(w)
//	plan := fault.New(w, fault.WithSessionExpirer(fault.TargetEntraPass, ep))
//	srv := httptest.NewServer(plan.Middleware("entrapass", ep.Handler()))
//	ctl := control.New(w, control.WithRoutes(fault.Routes(plan)))
//
//	st, err := plan.Add(fault.Fault{Target: fault.TargetEntraPass, Kind: fault.KindStatus,
//		Params: fault.Params{Status: 503}, When: fault.When{Every: 3}})
//	// st.ID == "f1"; plan.Remove("f1"), plan.Reset(), plan.List()
//
// Fault ids are "f1", "f2", … in order of addition; a plan never reuses
// one, not even after Reset.
//
// A plan with a world journals each fault added or removed (Remove, Reset)
// as sim.EventFaultAdded or sim.EventFaultRemoved, the fault's Status in
// JSON as the event's Detail and, for a hardware fault, its component as
// the Source: the control API's event stream shows them ("fault-added",
// "fault-removed"); the head-ends do not.
//
// # The JSON form
//
//	{"target": "entrapass" | "genetec" | "site",
//	 "kind":   "latency" | "status" | "app-fault" | "malformed" | "empty" | "reset" | "hang" |
//	           "slow-body" | "expire-sessions" | "stream-cut" | "controller-fail" |
//	           "controller-fault" | "gateway-disconnect" | "reader-fault" | "input-tamper" |
//	           "input-trouble" | "output-controller-fault" | "output-trouble" | "door-forced" |
//	           "door-held-open",
//	 "params": {"latency": "300ms", "jitter": "50ms", "status": 503, "id": 12, …},
//	 "match":  {"method": "GET", "path": "/SmartService/Events*"},
//	 "when":   {"probability": 0.1, "seed": 7, "every": 3, "first": 5, "after": 10,
//	            "start_after": "30s", "for": "60s"}}
//
// Decoding is strict: an unknown field, target, kind, parameter, match or
// when key, a value of the wrong type, a value out of range, a transport
// kind aimed at site or a hardware kind at a head-end is an error that
// names it (ErrInvalid). Durations are Go duration strings, each bounded:
// latency and jitter at most MaxLatency (10m), a hang's timeout at most
// MaxHangTimeout (1h), a slow body's interval at most MaxInterval (1m),
// start_after and for at most MaxWindow (30 days of site time).
//
// # Kinds and their parameters
//
// Transport kinds (target entrapass or genetec):
//
//	latency          latency, jitter       delay ± jitter (wall clock), then through
//	status           status (100–599), body   answer that status
//	app-fault        code, message         the head-end's application fault (EntraPass:
//	                                       HTTP 200 <StandardFault>; pluggable: WithAppFault)
//	malformed        mode (truncate|garble), at   the real answer, its body broken
//	empty            —                     200, empty body
//	reset            —                     TCP RST (SO_LINGER 0): ECONNRESET
//	hang             timeout               held until removed (then through), the client
//	                                       leaves, or timeout (connection closed)
//	slow-body        rate, interval        the real answer, rate bytes per interval
//	expire-sessions  —                     SessionExpirer.ExpireSessions, then through
//	stream-cut       bytes | events        the real answer, connection cut after N bytes
//	                                       or N flushes (events)
//
// Hardware kinds (target site; params.id names the component, which must
// exist and be of the right kind when the fault is added):
//
//	controller-fail          controller   CutController … RestoreController
//	controller-fault         controller   SetControllerFault(true … false)
//	gateway-disconnect       gateway      DisconnectGateway … ConnectGateway
//	reader-fault             reader       SetReaderFault(true … false)
//	input-tamper             input        TamperInput … RestoreInput
//	input-trouble            input        SetInputTrouble(true … false)
//	output-controller-fault  output       SetOutputFault(true … false)
//	output-trouble           output       SetOutputTrouble(true … false)
//	door-forced              door         a closed, locked door opened with no grant … closed
//	door-held-open           door         request to exit, door opened (open too long once
//	                                      its open time passes on the site clock) … closed
//
// A hardware fault is applied when added (or when its window opens) and
// healed when removed, when the plan is reset, or when its window closes.
// If the world refuses it (ErrApply: the controller is already cut off, the
// door already open), nothing is applied.
//
// # When
//
// The stages of When AND together, in order: the time window
// (start_after, for — on the site clock, from when the fault was added, so
// a test moves it with ManualClock.Advance; the fault heals by itself),
// after N, every Nth (counted after after), probability p (a PCG generator
// from math/rand/v2 seeded with seed, which is required with probability:
// the same seed and the same traffic give the same faults), first N (the
// first N requests passing all the rest). So {"every":2,"first":5} fires on
// matching requests 2, 4, 6, 8, 10. Counters count only the requests that
// match the fault's target, method and path. Hardware faults take only
// start_after and for.
//
// # Clocks
//
// What delays real bytes — latency, jitter, slow-body, a hang's timeout —
// runs on the wall clock; the window and hardware faults run on the site
// clock (the world's).
//
// # Never behind traffic
//
// Requests read an immutable snapshot of the faults (an atomic pointer);
// Add, Remove, Reset and List never take a lock a request holds, and a
// hang, delay or dribble in progress lets go as soon as its fault is
// removed. A request no fault matches costs an atomic load and the match
// of each fault of its head-end: no lock, no allocation (BENCH.md).
//
// # The flag form
//
// `pacsim serve --fault SPEC`, repeatable (Flags is the flag.Value):
//
//	TARGET:KIND[=VALUE][,KEY=VALUE]…
//
// KIND=VALUE sets the kind's main parameter (latency, status, code, mode,
// timeout, rate, bytes, id); a KEY is a parameter, method, path or a when
// key, optionally qualified (params.status, match.path, when.every); a
// VALUE with a comma or quote is a Go double-quoted string. Examples:
//
//	entrapass:status=503,path=/SmartService/Events*,every=3
//	entrapass:latency=300ms,jitter=50ms,probability=0.1,seed=7
//	entrapass:hang,method=PUT,start_after=30s,for=60s
//	entrapass:hang=5s,path=/SmartService/Login*
//	entrapass:app-fault,code="Error 72",message="Too many sessions, sorry.",first=1
//	entrapass:malformed=garble,path=/SmartService/Doors*
//	entrapass:slow-body=64,interval=250ms
//	entrapass:expire-sessions,every=100
//	genetec:stream-cut,events=3,path=/WebSdk/events
//	site:controller-fail,id=10,start_after=10s,for=30s
//	site:door-held-open=20
//
// Fault.String writes this form; ParseFlag(f.String()) gives f back.
//
// # Control API
//
// Routes(plan) adds to the control API (control.WithRoutes):
// GET /v1/faults, POST /v1/faults (201 with the fault and its id),
// GET /v1/faults/{id}, DELETE /v1/faults/{id}, DELETE /v1/faults, and
// GET /v1/fault-kinds, the vocabulary as data (Describe).
package fault
