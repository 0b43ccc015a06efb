package entrapass

import (
	"testing"

	"github.com/stretchr/testify/require"
)

// TestRowBufferReusesItsStorage parses answers one after the other into
// one RowBuffer, as the driver's state polls do: each gives the rows
// encoding/xml gives, a large answer (read in two halves) reuses the items
// of the one before instead of allocating them, and rows of a larger or
// another kind of answer are right too.
func TestRowBufferReusesItsStorage(t *testing.T) {
	large := stateRowsDoc(3001)
	require.Greater(t, len(large), parallelScan, "read in two halves")
	var buf RowBuffer
	for i, doc := range [][]byte{
		large, large, stateRowsDoc(5), stateRowsDoc(4000), stateRowsDoc(2999),
		[]byte(goldenRows), []byte(prettyRows), []byte(`<ArrayOfSmartLinkDataRow/>`),
		[]byte(`<ArrayOfSmartLinkDataRow></ArrayOfSmartLinkDataRow>`), large,
	} {
		want, err := decodeRows(doc)
		require.NoError(t, err, "answer %d", i)
		got, err := parseRowsInto(doc, &buf)
		require.NoError(t, err, "answer %d", i)
		require.True(t, sameRows(want, got), "answer %d: %d rows for %d", i, len(got), len(want))
	}

	// The same answer again: its rows land where the last ones were.
	first, err := parseRowsInto(large, &buf)
	require.NoError(t, err)
	firstItem, lastItem := &first[0][0], &first[len(first)-1][0]
	again, err := parseRowsInto(large, &buf)
	require.NoError(t, err)
	require.Same(t, firstItem, &again[0][0], "the first half's items are reused")
	require.Same(t, lastItem, &again[len(again)-1][0], "the second half's items are reused")
	require.Equal(t, "4000", again[3000].Value("UNIQUEID"))

	// Without a buffer, every parse has its own.
	a, err := parseRows(large)
	require.NoError(t, err)
	b, err := parseRows(large)
	require.NoError(t, err)
	require.NotSame(t, &a[0][0], &b[0][0])
}

// TestScanRowsAfterDeclaration: the declaration .NET writes before a list
// (the simulator's WithXMLDeclaration) leaves a state answer to the scan,
// not to encoding/xml, and the rows are encoding/xml's.
func TestScanRowsAfterDeclaration(t *testing.T) {
	doc := stateRowsDoc(40)
	want, err := decodeRows(doc)
	require.NoError(t, err)
	for _, prefix := range []string{
		`<?xml version="1.0" encoding="utf-8"?>`,
		`<?xml version="1.0" encoding="UTF-8"?>`,
		`<?xml version="1.0" encoding="utf-8"?>` + "\r\n",
	} {
		withDecl := append([]byte(prefix), doc...)
		rows, ok := scanRows(withDecl)
		require.True(t, ok, "%q", prefix)
		require.True(t, sameRows(want, rows), "%q", prefix)
		decoded, err := decodeRows(withDecl)
		require.NoError(t, err)
		require.True(t, sameRows(want, decoded), "%q", prefix)
	}
	// Other prologs stay encoding/xml's to judge.
	for _, prefix := range []string{` <?xml version="1.0" encoding="utf-8"?>`, `<?xml version="1.0" encoding="utf-16"?>`, `<?xml version="1.1"?>`, `<!-- c -->`} {
		_, ok := scanRows(append([]byte(prefix), doc...))
		require.False(t, ok, "%q", prefix)
	}
}
