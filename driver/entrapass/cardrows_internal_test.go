package entrapass

import (
	"strconv"
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// Paging a million users through Cards reads 19 items a row: their keys
// are the same words every row and must not cost a string each (only the
// values unique to the user do).
func TestCardRowKeysAreInterned(t *testing.T) {
	var b strings.Builder
	b.WriteString(rowsRoot + ">")
	item := func(k, v string) { b.WriteString(itemOpen + k + itemMid + v + itemClose) }
	const n = 200
	for i := range n {
		card := "100:" + strconv.Itoa(1000+i)
		b.WriteString(rowOpen)
		item("PKDATA", strconv.Itoa(70000+i))
		item("CARDNUMBER", card)
		item("USERNAME", "User "+strconv.Itoa(i))
		item("CARDSTATE", "0")
		for _, f := range cardFields {
			v := ""
			switch f {
			case "BADGING":
				v = "1"
			case "CARDNUMBER1":
				v = card
			case "CARDSTATE1", "CARDSTATE2", "CARDSTATE3", "CARDSTATE4", "CARDSTATE5":
				v = "0"
			}
			item(f, v)
		}
		b.WriteString(rowClose)
	}
	b.WriteString(rowsClose)
	data := []byte(b.String())
	rows, err := parseRows(data)
	require.NoError(t, err)
	require.Len(t, rows, n)
	allocs := testing.AllocsPerRun(5, func() { _, _ = parseRows(data) })
	// PKDATA, CARDNUMBER, USERNAME and CARDNUMBER1 are the user's own.
	assert.LessOrEqual(t, allocs/n, 5.0, "allocations a row")
}
