package sim

// The controller's copy of the card users. A real controller does not ask
// the server at each card: the server downloads the card users to it, and
// it decides at its doors from what it was sent. While it is cut off from
// the server (its own link, or its gateway's) the changes made at the
// server do not reach it — the troubleshooting case "changes not reflected
// → verify communication with the controller" — and once it is heard again
// it receives them.
//
// The world cannot hold a copy of a head-end's data (it knows no head-end),
// so it asks the head-end for one: a Decider that is also a Downloader
// freezes its decisions when a controller is cut off, and the controller
// decides from that frozen Decider until it is back. A Decider that is not
// a Downloader (a DeciderFunc, the Genetec head-end) is asked live, as if
// its controllers were never out of date.

// Downloader is a Decider whose data a controller keeps a copy of.
type Downloader interface {
	Decider
	// Freeze returns a Decider that decides as this one does now, from
	// the data as it stands now, whatever changes later, until Release.
	// Time-dependent rules (end dates, schedules) still follow the
	// request's time, as a controller applies them alone.
	//
	// Freeze and Release are called with the world locked, as Decide is.
	Freeze() Frozen
}

// Frozen is the copy a Downloader gave a controller.
type Frozen interface {
	Decider
	// Release tells the head-end the copy is no longer used, so it can
	// stop keeping the data it stood for. Decide must not be called after.
	Release()
}

// accessDecider is who decides at c's doors: its copy while it is cut off
// from the server, the head-end otherwise. Called locked.
func (w *World) accessDecider(c *controller) Decider {
	if c.copy != nil {
		return c.copy
	}
	return w.decider
}

// freeze gives c a copy of the head-end's data as it stands now, if the
// head-end keeps copies and c has none yet: c has just been cut off from
// the server. Called locked.
func (w *World) freeze(c *controller) {
	if c.copy != nil {
		return
	}
	if d, ok := w.decider.(Downloader); ok {
		c.copy = d.Freeze()
	}
}

// thaw drops c's copy once c is heard by the server again: the server
// downloads what changed and c decides as the head-end does. No event is
// journaled for the download: EntraPass has none that the reference shows.
// Called locked.
func (w *World) thaw(c *controller) {
	if c.copy != nil {
		c.copy.Release()
		c.copy = nil
	}
}
