// Package genetec is a simulated Genetec Security Center as its Web-based
// SDK shows it: users and SDK applications with their licence parts,
// cardholders, visitors, credentials in every built-in format, cardholder
// groups, access rules, schedules and partitions, and the world's doors,
// readers, areas, units and roles under the world's GUIDs.
//
// Security Center decides access for the cards the EntraPass database does
// not know (sim.Chain): an active credential assigned to an active
// cardholder or checked-in visitor, in a group whose access rule covers the
// door at that time. A checked-out visitor's or deactivated credential opens
// nothing from that moment.
//
// The Web SDK (Server.Handler) answers under /WebSdk/ in the four
// serialisations the Accept header chooses (package wire), parses q= with
// package query, and streams the world's journal as Web SDK events. What it
// answers is documented in SPEC §3 and README "Simulated Genetec Web SDK".
package genetec
