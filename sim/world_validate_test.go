package sim

import (
	"strings"
	"testing"
)

// New builds the world while the card users are checked: a user at fault
// still fails New with Validate's message, and so does an id a user shares
// with a door, found only after the world was built.
func TestNewFailsOnUsersCheckedBesideTheBuild(t *testing.T) {
	for _, tc := range []struct {
		name   string
		change func(sf *SiteFile)
		want   string
	}{
		{"bad card", func(sf *SiteFile) { sf.Users[3].Cards[0].Number = "12ab" }, "users[3].cards[0].number"},
		{"bad level", func(sf *SiteFile) { sf.Users[5].AccessLevels = []int{987654} }, "no access level has id 987654"},
		{"user id of a door", func(sf *SiteFile) {
			sf.Users[7].ID = int(sf.Gateways[0].Sites[0].Controllers[0].Doors[0].ID)
		}, "is already used by gateways[0].sites[0].controllers[0].doors[0]"},
		{"hardware at fault", func(sf *SiteFile) { sf.Gateways[0].Sites[0].Controllers[0].Model = "KT-9" }, "unknown controller model"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			sf, err := Generate(GenerateOptions{Doors: 8, Users: 50, Seed: 4, Unvalidated: true})
			if err != nil {
				t.Fatal(err)
			}
			tc.change(sf)
			want := sf.Validate()
			if want == nil || !strings.Contains(want.Error(), tc.want) {
				t.Fatalf("Validate: %v, want it to say %q", want, tc.want)
			}
			w, err := New(sf)
			if err == nil || err.Error() != want.Error() {
				t.Fatalf("New: %v (world %v), want Validate's %q", err, w != nil, want)
			}
		})
	}
}
