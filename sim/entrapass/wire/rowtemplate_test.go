package wire

import (
	"bytes"
	"math"
	"testing"

	"github.com/stretchr/testify/require"
)

// rowValues are values every escaping path of appendEscaped takes.
var rowValues = []string{
	"", "0", "CLOSE", "O'Brien \"x\"", "a&b<c>d", "line\r\nnext\ttab", "\x00\x01\x1f", "é😀",
	"\xff\xfe", "\uFFFE", "\xed\xa0\x80", "]]>",
}

// rowInts are integers of every length and sign.
var rowInts = []int64{0, 1, 9, 10, -1, -10, 4711, math.MaxInt64, math.MinInt64}

// TestRowFromWritesWhatItemsWrite writes rows from templates and the same
// rows item by item: the same bytes, and Len is their length.
func TestRowFromWritesWhatItemsWrite(t *testing.T) {
	keys := append([]string{"STATUSID", "UNIQUEID", "FLAG"}, rowValues...)
	for _, n := range []int{0, 1, 3, len(keys)} {
		tmpl := NewRowTemplate(keys[:n]...)
		require.Equal(t, n, tmpl.Keys())
		var byItem, byTemplate RowWriter
		byItem.Begin()
		byTemplate.Begin()
		size := 0
		for r := range rowInts {
			vals := make([]Value, n)
			byItem.Row()
			for i, k := range keys[:n] {
				switch i % 3 {
				case 0:
					v := rowInts[(r+i)%len(rowInts)]
					vals[i] = Int(v)
					byItem.ItemInt(k, v)
				case 1:
					v := rowValues[(r+i)%len(rowValues)]
					vals[i] = Text(v)
					byItem.Item(k, v)
				default:
					vals[i] = Flag(r%2 == 0)
					byItem.ItemFlag(k, r%2 == 0)
				}
			}
			byItem.EndRow()
			before := byTemplate.Buffered()
			byTemplate.RowFrom(tmpl, vals)
			require.Equal(t, byTemplate.Buffered()-before, tmpl.Len(vals), "%d keys, row %d", n, r)
			size += tmpl.Len(vals)
		}
		want, got := string(byItem.End()), string(byTemplate.End())
		require.Equal(t, want, got, "%d keys", n)
		require.Equal(t, len(got), len(MarshalRows(nil))+size)
		require.Equal(t, len(rowInts), byTemplate.Rows())
	}
	tmpl := NewRowTemplate("A", "B")
	require.Panics(t, func() { tmpl.Len([]Value{Int(1)}) }, "a value short")
	var w RowWriter
	w.Begin()
	require.Panics(t, func() { w.RowFrom(tmpl, []Value{Int(1), Int(2), Int(3)}) }, "a value over")
	w.Row()
	require.Panics(t, func() { w.RowFrom(tmpl, []Value{Int(1), Int(2)}) }, "inside a row")
}

// TestRowWriterFlushStreamsTheDocument writes a document in parts, with a
// Flush after each row, and checks that the parts make the document.
func TestRowWriterFlushStreamsTheDocument(t *testing.T) {
	tmpl := NewRowTemplate("KEY", "N")
	write := func(w *RowWriter, out *bytes.Buffer) {
		for i, v := range rowValues {
			if i%2 == 0 {
				w.RowFrom(tmpl, []Value{Text(v), Int(int64(i))})
			} else {
				w.Row()
				w.Item("KEY", v)
				w.ItemInt("N", int64(i))
				w.EndRow()
			}
			if out != nil {
				require.NotZero(t, w.Buffered())
				require.NoError(t, w.Flush(out))
				require.Zero(t, w.Buffered())
			}
		}
	}
	var whole RowWriter
	whole.Begin()
	write(&whole, nil)
	want := string(whole.End())

	var w RowWriter
	var out bytes.Buffer
	w.Begin()
	require.NoError(t, w.Flush(&out))
	write(&w, &out)
	require.Equal(t, rowsClose, string(w.End()))
	require.NoError(t, w.Flush(&out))
	require.NoError(t, w.Flush(&out), "nothing left")
	require.Equal(t, want, out.String())
	require.Equal(t, len(rowValues), w.Rows())
}

func FuzzRowTemplate(f *testing.F) {
	for i, v := range rowValues {
		f.Add(v, rowInts[i%len(rowInts)])
	}
	f.Fuzz(func(t *testing.T, s string, n int64) {
		var byItem, byTemplate RowWriter
		byItem.Begin()
		byItem.Row()
		byItem.Item(s, s)
		byItem.ItemInt(s, n)
		byItem.ItemFlag(s, n%2 == 0)
		byItem.EndRow()
		tmpl := NewRowTemplate(s, s, s)
		vals := []Value{Text(s), Int(n), Flag(n%2 == 0)}
		byTemplate.Begin()
		byTemplate.RowFrom(tmpl, vals)
		want, got := byItem.End(), byTemplate.End()
		if !bytes.Equal(want, got) {
			t.Fatalf("%q, %d: items wrote %q, the template %q", s, n, want, got)
		}
		if l := tmpl.Len(vals); l != len(got)-len(MarshalRows(nil)) {
			t.Fatalf("%q, %d: Len %d for a row of %d bytes", s, n, l, len(got)-len(MarshalRows(nil)))
		}
	})
}
