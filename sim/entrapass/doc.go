// Package entrapass is the simulated Kantech EntraPass server: its database
// (operators, card users and their cards, card types, access levels,
// schedules, licence) and its SmartService API, the XML-over-HTTP web
// service that real integrations talk to on port 8801.
//
// The database decides access for the world (DB implements sim.Decider), so
// a card presented at a simulated reader is granted or denied exactly as the
// card users, access levels and schedules that a client reads and edits over
// SmartService say. The API is faithful to what public clients of the real
// service send and parse (see reference/entrapass-smartservice.md): paths
// and query parameter names compare case-insensitively, every application
// error is HTTP 200 with a <StandardFault>, documents are compact XML written
// by package wire.
//
// Everything runs on the world's clock: session idle expiry, card user end
// dates and event timestamps move only when a test calls Advance on a manual
// clock.
package entrapass
