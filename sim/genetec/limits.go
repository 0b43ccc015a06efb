package genetec

// MaxEntities is how many entities (the site's and those created through
// NewEntity) the simulated Security Center holds: the database lives in
// memory, so a script creating cardholders in a loop meets InvalidOperation
// naming the bound instead of exhausting the process.
const MaxEntities = 100_000
