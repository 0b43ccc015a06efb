// Package genetec is the visitor-badge connector of the Genetec document
// (docs/genetec-visitor-badges.txt, SPEC §7): it provisions temporary access
// badges in Genetec Security Center through the Web SDK, for a visitor
// management system.
//
// Per location it holds providers (a Security Center and the user it logs
// on as), synced lists (cardholder groups, access rules, badge types) that
// Refresh pulls, security badges (a name, a unique ID of digits only, a
// badge type), and user groups that decide which cardholder groups a user
// may assign. At sign-in a badge is provisioned to the visitor: a visitor
// entity, the badge's credential assigned and active, the chosen cardholder
// groups, check-in. The badge is active only while the visitor is on site:
// a user deactivates it, the visitor signs out, or the day ends, and its
// credential is checked out and deactivated at once. Every sign-in
// provisions again; a badge is never active for two visitors.
//
// Crash safety: every change is written to the store (package store,
// bbolt) before Security Center is called; a deactivation Security Center
// has not confirmed stays pending and is retried with capped back-off; at
// start pending work is finished and visits past their end of day are
// ended. The connector follows the Web SDK event stream for its visitors'
// credentials and keeps each visit's accesses.
//
// It imports nothing under sim/: it talks to a real Security Center and to
// pacsim's simulated one alike, through package websdk.
package genetec
