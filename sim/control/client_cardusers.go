package control

import (
	"context"
	"net/http"
	"net/url"
	"strconv"
)

// CardUsers returns the site file's card users whose name or card contains
// text (all when text is empty), at most limit of them (the server's
// default, 50, when limit <= 0), and how many match in all
// (GET /v1/cardusers).
func (c *Client) CardUsers(ctx context.Context, text string, limit int) (CardUserPage, error) {
	q := url.Values{}
	if text != "" {
		q.Set("q", text)
	}
	if limit > 0 {
		q.Set("limit", strconv.Itoa(limit))
	}
	path := "/cardusers"
	if len(q) > 0 {
		path += "?" + q.Encode()
	}
	var p CardUserPage
	err := c.do(ctx, http.MethodGet, path, nil, &p)
	return p, err
}
