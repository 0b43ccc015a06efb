package control

import (
	"context"
	"net/http"
)

// EntraPassRequests returns the last requests the simulated SmartService
// answered, oldest first, secrets redacted (GET /v1/entrapass/requests):
// what a driver under test sent. A server without the log answers 404.
func (c *Client) EntraPassRequests(ctx context.Context) (RequestPage, error) {
	return get[RequestPage](ctx, c, "/entrapass/requests")
}

// ClearEntraPassRequests empties the request log (DELETE
// /v1/entrapass/requests), so that a test asserts only what follows.
func (c *Client) ClearEntraPassRequests(ctx context.Context) error {
	return c.do(ctx, http.MethodDelete, "/entrapass/requests", nil, nil)
}
