package fault

import "testing"

func TestGlob(t *testing.T) {
	for _, c := range []struct {
		pattern, s string
		want       bool
	}{
		{"/SmartService/Events*", "/SmartService/Events", true},
		{"/SmartService/Events*", "/SmartService/EventsAndStayAlive", true},
		{"/SmartService/Events*", "/smartservice/EVENTS", true},
		{"/SmartService/Events*", "/SmartService/Event", false},
		{"/SmartService/Events*", "/SmartService/Doors", false},
		{"/SmartService/Events", "/SmartService/Events/", false},
		{"/SmartService/Events", "/SmartService/events", true},
		{"*", "", true},
		{"*", "/anything/at/all", true},
		{"/Sites/*/Relays", "/Sites/2/Relays", true},
		{"/Sites/*/Relays", "/Sites/2/3/Relays", true},
		{"/Sites/*/Relays", "/Sites/Relays", false},
		{"/Sites/*/Relays", "/Sites//Relays", true},
		{"*/Relays", "/Sites/2/Relays", true},
		{"*Relays*", "/Sites/2/RelaysX", true},
		{"/a*b*c", "/abc", true},
		{"/a*b*c", "/aXbYc", true},
		{"/a*b*c", "/acb", false},
		{"/a*b*c", "/abcb", false},
		{"/a**c", "/ac", true},
		{"/ab*ba", "/aba", false},
		{"/ab*ba", "/abba", true},
	} {
		g := compileGlob(c.pattern)
		if got := g.match(c.s); got != c.want {
			t.Errorf("%q matching %q: got %v, want %v", c.pattern, c.s, got, c.want)
		}
	}
	if !methodEq("GET", "get") || methodEq("GET", "PUT") || methodEq("GET", "GETS") {
		t.Error("methodEq")
	}
}
