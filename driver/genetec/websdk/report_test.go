package websdk_test

import (
	"context"
	"encoding/json"
	"sort"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/pacsim/pacsim/driver/genetec/websdk"
)

// guids reads the Guid of each row, sorted.
func guids(t *testing.T, rows []json.RawMessage) []string {
	t.Helper()
	out := make([]string, len(rows))
	for i, r := range rows {
		out[i] = guidOf(t, r)
	}
	sort.Strings(out)
	return out
}

// A paged report answers TooManyResults with one row more than the page.
func TestReport(t *testing.T) {
	t.Parallel()
	s := startSite(t)
	cfg := config(s)
	cl := newClient(t, cfg)
	ctx := context.Background()

	st, res, err := cl.Report(ctx, "EntityConfiguration", "EntityTypes@Door")
	require.NoError(t, note(t, cfg, err))
	assert.Equal(t, websdk.StatusOk, st)
	var rows []json.RawMessage
	require.NoError(t, json.Unmarshal(res, &rows))
	assert.Len(t, rows, 8, "the default site has 8 doors")

	st, res, err = cl.Report(ctx, "EntityConfiguration", "EntityTypes@Door,Page=1,PageSize=2")
	require.NoError(t, note(t, cfg, err))
	assert.Equal(t, websdk.StatusTooManyResults, st)
	require.NoError(t, json.Unmarshal(res, &rows))
	assert.Len(t, rows, 3, "page size + 1")

	_, _, err = cl.Report(ctx, "NoSuchReport", "")
	var se *websdk.SdkError
	require.ErrorAs(t, note(t, cfg, err), &se)
	assert.Equal(t, "InvalidOperation", se.Code)
}

// ReportAll pages to the end, dropping each page's extra row: every door
// once, whatever the page size.
func TestReportAll(t *testing.T) {
	t.Parallel()
	s := startSite(t)
	cfg, rec := recorded(s, config(s))
	cl := newClient(t, cfg)
	ctx := context.Background()

	_, res, err := cl.Report(ctx, "EntityConfiguration", "EntityTypes@Door")
	require.NoError(t, note(t, cfg, err))
	var all []json.RawMessage
	require.NoError(t, json.Unmarshal(res, &all))
	want := guids(t, all)
	require.Len(t, want, 8)

	before := len(rec.list())
	rows, err := cl.ReportAll(ctx, "EntityConfiguration", "EntityTypes@Door", 2)
	require.NoError(t, note(t, cfg, err))
	got := guids(t, rows)
	assert.Equal(t, want, got, "exactly the 8 doors, none twice")
	assert.Equal(t, 4, len(rec.list())-before, "8 doors in pages of 2: 4 requests")

	for _, size := range []int{1, 3, 7, 8, 9, 0} {
		rows, err := cl.ReportAll(ctx, "EntityConfiguration", "EntityTypes@Door", size)
		require.NoError(t, note(t, cfg, err), size)
		assert.Equal(t, want, guids(t, rows), "page size %d", size)
	}

	rows, err = cl.ReportAll(ctx, "EntityConfiguration", "EntityTypes@Door,Name=No such door,NameSearchMode=Is", 2)
	require.NoError(t, note(t, cfg, err))
	assert.Empty(t, rows)
	assert.NotNil(t, rows, "an empty report is an empty list")
}
