package entrapass

// Bounds of what clients can add to the SmartService database through the
// API: the database lives in memory, so a script creating card users or
// storing pictures in a loop must meet a clear fault, not exhaust the
// process. A site file may load more card users than MaxCardUsers; the
// API then creates no more.
const (
	// MaxCardUsers is how many card users the database holds before
	// POST Cards refuses to create one (INVALID_PARAMETER naming Card).
	MaxCardUsers = 100_000
	// MaxPictureBytes is how many bytes of card pictures the database
	// holds before PUT CardPictures refuses a larger one: 256 MiB.
	MaxPictureBytes = 256 << 20
)
