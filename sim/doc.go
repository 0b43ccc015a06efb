// Package sim is the simulated world of pacsim: gateways, sites, controllers,
// doors, readers, inputs and outputs, the physics that moves their states on
// the site clock, and the journal of what happened.
//
// The world knows no head-end and no wire protocol. Head-ends (EntraPass,
// Genetec) read it through snapshots, per-component change counters and
// journal cursors, command it through the methods named after what an
// operator does (UnlockDoor, DisableReader, ActivateOutput, …), and decide
// access for it through the Decider interface. People and the building act on
// it through stimuli (PresentCard, OpenDoor, PressREX, …).
//
// Every method is safe for concurrent use. Timers run on a Clock; with the
// ManualClock nothing moves until Advance is called, so tests never sleep.
package sim
