// Package features is pacsim's conformance suite: the requirement
// catalogue (catalogue.md, the IDs of docs/requirements.md) and the Gherkin
// scenarios that prove it (*.feature), embedded so that `go test` and
// `pacsim conform` run the same files. The step vocabulary is package
// features/steps; its reference is STEPS.md, generated from it.
//
// Tags: every scenario carries the IDs it proves (@EP-DOOR-S-FORCED-OPEN),
// @entrapass, @fault for injected faults, @sim-only when it drives the
// simulated hardware (a real server cannot run it), and @known-issue when
// the driver or the simulator does not do what the document demands yet
// (TestFeatures skips those; the list is in KNOWN-ISSUES.md).
package features

import "embed"

// FS holds the feature files.
//
//go:embed *.feature
var FS embed.FS

// Catalogue is the requirement catalogue, a copy of docs/requirements.md
// with the same IDs.
//
//go:embed catalogue.md
var Catalogue []byte
