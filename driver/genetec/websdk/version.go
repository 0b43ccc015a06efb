package websdk

import (
	"context"
	"encoding/json"
	"fmt"
	"net/http"
	"strconv"
	"strings"
)

// ServerVersion returns Security Center's version, read as clients of the
// real Web SDK do: the first Server entity (report EntityConfiguration,
// EntityTypes@Server), then its Version property, a .NET System.Version
// {"Major":5,"Minor":12,"Build":2,"Revision":0,…}. full is "5.12.2.0".
func (c *Client) ServerVersion(ctx context.Context) (major, minor int, full string, err error) {
	_, res, err := c.Report(ctx, "EntityConfiguration", "EntityTypes@Server")
	if err != nil {
		return 0, 0, "", err
	}
	guid, err := c.firstGUID("EntityConfiguration", res)
	if err != nil {
		return 0, 0, "", &ProtocolError{What: "no Server entity to read the version from", Body: c.clip(res), Host: c.host,
			Op: c.op(http.MethodGet, "report/EntityConfiguration"), Err: err}
	}
	res, err = c.Read(ctx, "entity="+guid+",Version")
	if err != nil {
		return 0, 0, "", err
	}
	var r struct{ Version json.RawMessage }
	if err := json.Unmarshal(res, &r); err != nil || len(r.Version) == 0 {
		return 0, 0, "", c.versionError(res, err)
	}
	parts, err := versionParts(r.Version)
	if err != nil {
		return 0, 0, "", c.versionError(res, err)
	}
	s := make([]string, len(parts))
	for i, p := range parts {
		s[i] = strconv.Itoa(p)
	}
	return parts[0], parts[1], strings.Join(s, "."), nil
}

func (c *Client) versionError(res json.RawMessage, err error) error {
	return &ProtocolError{What: "the Server entity has no readable Version", Body: c.clip(res), Host: c.host,
		Op: c.op(http.MethodGet, "entity"), Err: err}
}

// versionParts reads a System.Version object, or a "5.12.2.0" string. The
// parts that .NET leaves undefined (-1) are dropped; at least major and
// minor are required.
func versionParts(raw json.RawMessage) ([]int, error) {
	var obj struct{ Major, Minor, Build, Revision *int }
	if err := json.Unmarshal(raw, &obj); err == nil {
		if obj.Major == nil || obj.Minor == nil || *obj.Major < 0 || *obj.Minor < 0 {
			return nil, fmt.Errorf("version %s has no Major and Minor", clip(raw))
		}
		out := []int{*obj.Major, *obj.Minor}
		for _, p := range []*int{obj.Build, obj.Revision} {
			if p == nil || *p < 0 {
				break
			}
			out = append(out, *p)
		}
		return out, nil
	}
	var s string
	if err := json.Unmarshal(raw, &s); err != nil {
		return nil, fmt.Errorf("version %s is neither an object nor a string", clip(raw))
	}
	var out []int
	for _, f := range strings.Split(strings.TrimSpace(s), ".") {
		n, err := strconv.Atoi(f)
		if err != nil || n < 0 {
			return nil, fmt.Errorf("version %q is not numbers separated by dots", clip([]byte(s)))
		}
		out = append(out, n)
	}
	if len(out) < 2 || len(out) > 4 {
		return nil, fmt.Errorf("version %q is not major.minor[.build[.revision]]", clip([]byte(s)))
	}
	return out, nil
}
