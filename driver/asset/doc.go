// Package asset is what every integration of the driver shares: the assets a
// PSIM shows (System, Door, Reader, Output, Input), the statuses and commands
// each of them supports, the status tables that decide which status shows,
// the operator commands Mask, Acknowledge, Reset and Cancel, the selection,
// and the workflow events (Status Changed, Last Access Event, Gateway
// Connection Changed).
//
// The words are the integration document's (docs/entrapass-integration.txt):
// statuses and commands are spelled exactly as it spells them, so a reader
// can find every identifier of this package in the document and back.
//
// The model, in one paragraph. An integration reads the hardware from the
// wire and sets each asset's *true* statuses (a set: a door can be Held Open,
// Unsecure and in Fault at once). The operator lays Mask and Acknowledge over
// them. What an asset shows is the highest of its visible statuses in its
// status table (SPEC §6's precedence by default, reorderable by
// configuration). Normal is never set: it is derived, and holds only while
// nothing but at-rest statuses (Enabled, Secure, Inactive, Present) holds.
//
// This package knows no wire protocol and imports nothing of the simulator:
// the driver runs on site against a real EntraPass server. Hardware commands
// (Lock, Pass, Activate Output, …) are validated here and handed to the
// integration through the Hardware interface.
package asset
