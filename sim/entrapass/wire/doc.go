// Package wire is the wire format of the Kantech EntraPass SmartService: the
// XML documents its WCF REST endpoints exchange and the AES scheme of its
// encrypted login. It knows nothing of the simulated world, so the simulated
// server writes with it and a client (the driver's tests, a conformance step)
// reads with it, and both agree on the bytes by construction.
//
// Writers append to a caller's []byte and never add an XML declaration or
// whitespace between elements: public clients of the real service pick values
// out with regular expressions such as <Value>([^<]*)</Value>, so the shape is
// part of the contract, not a matter of taste. Every writer has a byte-exact
// golden test.
//
// Parsers of request bodies (ParseCardPatch, ParseStringList) return a *Fault
// built with InvalidParameter, ready to be sent as the StandardFault the real
// service answers with; its VisibleMessage names the offending element.
// Parsers of response bodies (ParseRows, ParseLight, ParseInt, …) are for
// clients and tests and return plain errors. None of them limits the size of
// its input: callers must cap request bodies (MaxBodySize) before parsing.
package wire

// MaxBodySize is the largest request body the server should hand to a parser
// here. The parsers hold the whole document in memory and encoding/xml keeps
// per-token allocations, so an unbounded body is a memory hazard; 1 MiB is
// far more than the largest <Card> (40 CardInfo fields plus access levels)
// any real client sends. Enforce it with http.MaxBytesReader.
const MaxBodySize = 1 << 20
