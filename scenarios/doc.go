// Package scenarios is recorded site traffic (SPEC §9): the on-disk format
// of a recording, its writer and reader, redaction with consistent keyed
// pseudonyms, the matching of a request to a recorded exchange, and the
// diff of two answers. The recorder (a reverse proxy) and the replayer (a
// server of a recording) are built on it; `pacsim record` and `pacsim
// replay` run them.
//
// A recording is JSON Lines: a versioned header, then one exchange per line
// in the order the exchanges completed. A streamed answer (the Web SDK's
// event stream) is kept as timed chunks. Readers refuse a version they do
// not know, and name the line of anything they cannot read.
package scenarios
