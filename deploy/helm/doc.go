// Package helm tests the chart in pacsim/ (SPEC §11, "Chart") without a
// cluster: rendered with Helm's own SDK, every object decoded strictly into
// the Kubernetes API types, linted, its schema's refusals checked, and each
// container's command line run on loopback until its probes pass.
package helm
