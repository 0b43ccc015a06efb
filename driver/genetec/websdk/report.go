package websdk

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"net/http"
	"net/url"
	"strings"
)

// DefaultPageSize is ReportAll's page size when given none.
const DefaultPageSize = 500

// maxPages stops ReportAll if a server kept answering TooManyResults: no
// report of a real site has 100 000 pages, and a loop must end.
const maxPages = 100_000

// Report sends GET {base}report/{name}?q=q, e.g. name EntityConfiguration
// and q "EntityTypes@Door". status is Ok; TooManyResults when the report is
// paged and more pages exist (the result then holds one row more than the
// page, as the Web SDK does); or Partial.
func (c *Client) Report(ctx context.Context, name, q string) (status string, result json.RawMessage, err error) {
	if name == "" || strings.ContainsAny(name, "/?#") {
		return "", nil, fmt.Errorf("websdk: report name %q is not a report type", name)
	}
	return c.call(ctx, http.MethodGet, "report/"+url.PathEscape(name)+"?q="+escapeQ(q))
}

// ReportAll runs a paged report to its end: q with Page=n,PageSize=k
// appended, for n = 1, 2, … while Security Center answers TooManyResults.
// The extra row of each such page (the Web SDK answers page size + 1 rows
// to say that more exist) is dropped, as the next page starts with it. q
// must not hold Page or PageSize itself; pageSize ≤ 0 means
// DefaultPageSize. A Partial answer returns the rows so far and ErrPartial.
func (c *Client) ReportAll(ctx context.Context, name, q string, pageSize int) ([]json.RawMessage, error) {
	if pageSize <= 0 {
		pageSize = DefaultPageSize
	}
	all := []json.RawMessage{}
	for page := 1; ; page++ {
		pq := fmt.Sprintf("Page=%d,PageSize=%d", page, pageSize)
		if strings.TrimSpace(q) != "" {
			pq = q + "," + pq
		}
		st, res, err := c.Report(ctx, name, pq)
		if err != nil {
			return nil, err
		}
		rows, err := c.rows(name, res)
		if err != nil {
			return nil, err
		}
		switch st {
		case StatusTooManyResults:
			if len(rows) == 0 || page >= maxPages {
				return nil, &ProtocolError{What: fmt.Sprintf("page %d of %s answered TooManyResults with %d rows: the report does not end", page, name, len(rows)),
					Host: c.host, Op: c.op(http.MethodGet, "report/"+name)}
			}
			if len(rows) > pageSize {
				rows = rows[:pageSize]
			}
			all = append(all, rows...)
		case StatusPartial:
			return append(all, rows...), ErrPartial
		default:
			return append(all, rows...), nil
		}
	}
}

// rows reads a report's result: a list of rows (none when absent).
func (c *Client) rows(name string, res json.RawMessage) ([]json.RawMessage, error) {
	if len(res) == 0 {
		return nil, nil
	}
	var rows []json.RawMessage
	if err := json.Unmarshal(res, &rows); err != nil {
		return nil, &ProtocolError{What: "the result of report " + name + " is not a list", Body: c.clip(res), Host: c.host,
			Op: c.op(http.MethodGet, "report/"+name), Err: err}
	}
	return rows, nil
}

// firstGUID returns the Guid of a report's first row.
func (c *Client) firstGUID(name string, res json.RawMessage) (string, error) {
	rows, err := c.rows(name, res)
	if err != nil {
		return "", err
	}
	for _, r := range rows {
		var row struct{ Guid string }
		if json.Unmarshal(r, &row) == nil && row.Guid != "" {
			return row.Guid, nil
		}
	}
	return "", errNoRows
}

var errNoRows = errors.New("no row with a Guid")
