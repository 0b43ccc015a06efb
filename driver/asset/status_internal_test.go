package asset

import "testing"

// TestIndex: the switch of index agrees with allStatuses, the order of the
// bits of a statusSet.
func TestIndex(t *testing.T) {
	for i, s := range allStatuses {
		if j, ok := index(s); !ok || int(j) != i {
			t.Errorf("index(%q) = %d, %v; want %d", s, j, ok, i)
		}
	}
	if _, ok := index("Ajar"); ok {
		t.Error(`index("Ajar") found`)
	}
	if len(allStatuses) > 32 {
		t.Error("a statusSet holds 32 statuses")
	}
}
