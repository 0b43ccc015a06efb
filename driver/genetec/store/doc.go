// Package store is the visitor-badge connector's crash-safe embedded store.
//
// The connector (SPEC §7) must never leave a badge active for a visit that
// ended, even across a crash or a restart, so every change is written here
// before Security Center is called. The store is a single bbolt file: each
// [Store.Update] is one bbolt read-write transaction, fsync'd on commit, so
// its writes land entirely or not at all.
//
// Data is organised as buckets (named collections) of JSON documents keyed
// by string ids. [Tx] gives untyped access inside a transaction; the generic
// [Put], [Get] and [List] are one-document conveniences that each run their
// own transaction.
//
// The store also seals secrets (provider passwords) with AES-256-GCM under a
// key kept outside the bbolt file: the key file "<path>.key" (32 random
// bytes, mode 0600, made at first start) or $PACSIM_VISITORS_KEY (base64 of
// 32 bytes). A sealed check value written when the store is created lets
// [Open] refuse a different key up front, rather than letting every later
// unseal fail one by one.
//
// The package deliberately imports nothing from the simulator (sim/...): it
// is part of the connector, which runs against real Security Center too.
package store
