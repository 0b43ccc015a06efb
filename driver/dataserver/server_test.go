package dataserver_test

import (
	"context"
	"encoding/json"
	"net/http"
	"strings"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/pacsim/pacsim/driver/asset"
	"github.com/pacsim/pacsim/driver/dataserver"
)

func TestListAssets(t *testing.T) {
	e := newEnv(t)
	var all []asset.Snapshot
	e.ok("GET", "/assets", "", &all)
	refs := make([]string, len(all))
	for i, a := range all {
		refs[i] = a.Ref.String()
	}
	assert.Equal(t, []string{"system/1", "door/12", "door/13", "reader/12", "output/5", "input/7"}, refs)

	var doors []asset.Snapshot
	e.ok("GET", "/assets?type=door", "", &doors)
	require.Len(t, doors, 2)
	assert.Equal(t, door, doors[0].Ref)
	assert.Equal(t, door13, doors[1].Ref)

	var none []asset.Snapshot
	e.ok("GET", "/assets?type=DOOR", "", &none) // ParseType ignores case
	assert.Len(t, none, 2)

	msg := e.errorOf(http.StatusBadRequest, "GET", "/assets?type=gate", "")
	assert.Contains(t, msg, "type")
	assert.Contains(t, msg, "gate")
}

func TestListAssetsEmptyFilterIsArray(t *testing.T) {
	reg := asset.NewRegistry(nil, nil)
	e := &env{t: t, reg: reg, ds: dataserver.New(reg)}
	e.ts = newServer(t, e.ds.Handler())
	_, _, b := e.do("GET", "/assets?type=door", "")
	assert.JSONEq(t, `[]`, string(b))
}

func TestGetAsset(t *testing.T) {
	e := newEnv(t)
	require.NoError(t, e.reg.Update(door, func(a *asset.Asset) error { return a.SetHardware(asset.HeldOpen, asset.Unsecure) }))
	code, h, b := e.do("GET", "/assets/door/12", "")
	require.Equal(t, http.StatusOK, code)
	assert.Equal(t, "application/json", h.Get("Content-Type"))
	assert.JSONEq(t, `{"type":"door","id":12,"name":"Front Door","status":"Held Open",
		"statuses":["Held Open","Unsecure"],"properties":{"Door ID":"12"}}`, string(b))

	var sys asset.Snapshot
	e.ok("GET", "/assets/system/1", "", &sys)
	assert.Equal(t, asset.Normal, sys.Status)
}

func TestGetAssetNotFound(t *testing.T) {
	e := newEnv(t)
	for _, p := range []string{"/assets/door/99", "/assets/gate/1", "/assets/door/x", "/assets/door/0", "/assets/door/-1", "/assets/system/2"} {
		msg := e.errorOf(http.StatusNotFound, "GET", p, "")
		assert.Contains(t, msg, "unknown", p)
	}
	assert.Contains(t, e.errorOf(http.StatusNotFound, "GET", "/nowhere", ""), "/nowhere")
	assert.Contains(t, e.errorOf(http.StatusNotFound, "GET", "/assets/door/12/extra", ""), "no such resource")
}

func TestCommandPass(t *testing.T) {
	e := newEnv(t)
	var resp struct {
		Type    string         `json:"type"`
		ID      int            `json:"id"`
		Command string         `json:"command"`
		Seconds int            `json:"seconds"`
		Asset   asset.Snapshot `json:"asset"`
	}
	e.ok("POST", "/assets/door/12/commands", `{"command":"Pass","seconds":5}`, &resp)
	assert.Equal(t, "door", resp.Type)
	assert.Equal(t, 12, resp.ID)
	assert.Equal(t, "Pass", resp.Command)
	assert.Equal(t, 5, resp.Seconds)
	assert.Equal(t, asset.Secure, resp.Asset.Status)
	// Case is ignored; the document's spelling is what is sent.
	e.ok("POST", "/assets/reader/12/commands", `{"command":"disable reader"}`, nil)
	e.ok("POST", "/assets/output/5/commands", `{"command":"Timed Activation","seconds":64800}`, nil)
	assert.Equal(t, []string{"door/12 Pass 5s", "reader/12 Disable Reader", "output/5 Timed Activation 64800s"}, e.hw.sent())
}

func TestCommandRefusedBeforeSending(t *testing.T) {
	e := newEnv(t)
	cases := []struct {
		path, body string
		want       []string
	}{
		{"/assets/door/12/commands", `{"command":"Pass","seconds":0}`, []string{"Seconds Unlocked", "between 1 and 255", "not 0"}},
		{"/assets/door/12/commands", `{"command":"Pass","seconds":256}`, []string{"Seconds Unlocked", "256"}},
		{"/assets/door/12/commands", `{"command":"Pass"}`, []string{"Seconds Unlocked"}},
		{"/assets/output/5/commands", `{"command":"Timed Activation","seconds":64801}`, []string{"Seconds Active", "64800"}},
		{"/assets/door/12/commands", `{"command":"Lock","seconds":3}`, []string{"Lock takes no seconds"}},
		{"/assets/door/12/commands", `{"command":"Timed Activation","seconds":5}`, []string{"Timed Activation", "not supported", "Door"}},
		{"/assets/input/7/commands", `{"command":"Lock"}`, []string{"Lock", "not supported"}},
		{"/assets/door/12/commands", `{"command":"Open"}`, []string{"unknown command", "Open"}},
		{"/assets/door/12/commands", `{"seconds":5}`, []string{`"command" is required`}},
		{"/assets/door/12/commands", `{"command":"Pass","seconds":5,"force":true}`, []string{"malformed JSON", "force"}},
		{"/assets/door/12/commands", `{"command":"Pass",`, []string{"malformed JSON"}},
		{"/assets/door/12/commands", `{"command":"Pass","seconds":"5"}`, []string{"malformed JSON"}},
		{"/assets/door/12/commands", `{"command":"Lock"} {"command":"Unlock"}`, []string{"trailing data"}},
		{"/assets/door/12/commands", ``, []string{"empty body"}},
	}
	for _, c := range cases {
		msg := e.errorOf(http.StatusBadRequest, "POST", c.path, c.body)
		for _, w := range c.want {
			assert.Contains(t, msg, w, "%s %s", c.path, c.body)
		}
	}
	assert.Empty(t, e.hw.sent(), "nothing is sent for a refused command")
}

func TestCommandUnknownAsset(t *testing.T) {
	e := newEnv(t)
	assert.Contains(t, e.errorOf(http.StatusNotFound, "POST", "/assets/door/99/commands", `{"command":"Lock"}`), "door/99")
	assert.Contains(t, e.errorOf(http.StatusNotFound, "POST", "/assets/gate/1/commands", `{"command":"Lock"}`), "gate")
	assert.Empty(t, e.hw.sent())
}

func TestCommandBodyTooLarge(t *testing.T) {
	e := newEnv(t)
	big := `{"command":"Lock","x":"` + strings.Repeat("a", dataserver.MaxBody) + `"}`
	assert.Contains(t, e.errorOf(http.StatusRequestEntityTooLarge, "POST", "/assets/door/12/commands", big), "65536")
	assert.Contains(t, e.errorOf(http.StatusRequestEntityTooLarge, "POST", "/selection", `{"assets":[`+strings.Repeat(`{"type":"door","id":12},`, 4000)+`]}`), "larger")
	assert.Empty(t, e.hw.sent())
}

func TestCommandHardwareFailure(t *testing.T) {
	e := newEnv(t)
	e.hw.fail[door] = "entrapass: command failed: SmartService fault COMPONENT_NOT_EXIST"
	msg := e.errorOf(http.StatusBadGateway, "POST", "/assets/door/12/commands", `{"command":"Lock"}`)
	assert.Contains(t, msg, "COMPONENT_NOT_EXIST")
	assert.Contains(t, msg, "door/12")
}

func TestCommandNoHardware(t *testing.T) {
	e := newEnvWith(t, nil, nil)
	assert.Contains(t, e.errorOf(http.StatusServiceUnavailable, "POST", "/assets/door/12/commands", `{"command":"Lock"}`), "no hardware")
}

func TestCommandTimeout(t *testing.T) {
	hw := asset.HardwareFunc(func(ctx context.Context, _ asset.Ref, _ asset.Command) error {
		<-ctx.Done()
		return ctx.Err()
	})
	e := newEnvWith(t, nil, hw, dataserver.WithCommandTimeout(time.Millisecond))
	assert.Contains(t, e.errorOf(http.StatusGatewayTimeout, "POST", "/assets/door/12/commands", `{"command":"Lock"}`), "deadline")
}

func TestOperatorCommands(t *testing.T) {
	e := newEnv(t)
	var resp dataserver.CommandResponse
	e.ok("POST", "/assets/door/12/commands", `{"command":"Mask"}`, &resp)
	assert.Equal(t, asset.Masked, resp.Asset.Status)
	e.ok("POST", "/assets/door/12/commands", `{"command":"Reset"}`, &resp)
	assert.Equal(t, asset.Secure, resp.Asset.Status)

	msg := e.errorOf(http.StatusConflict, "POST", "/assets/door/12/commands", `{"command":"Acknowledge"}`)
	assert.Contains(t, msg, "Acknowledge applies only to an asset showing an alarm")

	require.NoError(t, e.reg.Update(door, func(a *asset.Asset) error { return a.SetHardware(asset.ForcedOpen, asset.Unsecure) }))
	e.ok("POST", "/assets/door/12/commands", `{"command":"Acknowledge"}`, &resp)
	assert.Equal(t, asset.Acknowledged, resp.Asset.Status)
	assert.Empty(t, e.hw.sent())
}

func TestMethodNotAllowed(t *testing.T) {
	e := newEnv(t)
	cases := []struct{ method, path, allow string }{
		{"DELETE", "/assets", "GET"},
		{"POST", "/assets/door/12", "GET"},
		{"GET", "/assets/door/12/commands", "POST"},
		{"PUT", "/selection", "GET, POST"},
		{"GET", "/selection/commands", "POST"},
		{"POST", "/events", "GET"},
	}
	for _, c := range cases {
		code, h, b := e.do(c.method, c.path, "")
		require.Equal(t, http.StatusMethodNotAllowed, code, "%s %s", c.method, c.path)
		assert.Equal(t, c.allow, h.Get("Allow"), "%s %s", c.method, c.path)
		assert.Contains(t, string(b), `"error":`)
		assert.Contains(t, string(b), c.method)
	}
}

func TestNamedRoutes(t *testing.T) {
	e := newEnv(t)
	r := e.ds.Router()
	for name, want := range map[string]string{
		dataserver.RouteAssets:            "/assets",
		dataserver.RouteSelection:         "/selection",
		dataserver.RouteSelectionCommands: "/selection/commands",
		dataserver.RouteEvents:            "/events",
	} {
		require.NotNil(t, r.Get(name), name)
		u, err := r.Get(name).URL()
		require.NoError(t, err)
		assert.Equal(t, want, u.Path)
	}
	u, err := r.Get(dataserver.RouteAssetCommands).URL("type", "door", "id", "12")
	require.NoError(t, err)
	assert.Equal(t, "/assets/door/12/commands", u.Path)
	u, err = r.Get(dataserver.RouteAsset).URL("type", "door", "id", "12")
	require.NoError(t, err)
	assert.Equal(t, "/assets/door/12", u.Path)
}

func TestSelection(t *testing.T) {
	e := newEnv(t)
	var sel dataserver.Selection
	e.ok("GET", "/selection", "", &sel)
	assert.Empty(t, sel.Assets)
	_, _, b := e.do("GET", "/selection", "")
	assert.JSONEq(t, `{"assets":[]}`, string(b))

	e.ok("POST", "/selection", `{"assets":[{"type":"door","id":13},{"type":"door","id":12}]}`, &sel)
	assert.Equal(t, []asset.Ref{door, door13}, sel.Assets)
	e.ok("GET", "/selection", "", &sel)
	assert.Equal(t, []asset.Ref{door, door13}, sel.Assets)

	// An unknown asset leaves the selection as it was.
	assert.Contains(t, e.errorOf(http.StatusNotFound, "POST", "/selection", `{"assets":[{"type":"door","id":99}]}`), "door/99")
	assert.Contains(t, e.errorOf(http.StatusBadRequest, "POST", "/selection", `{"assets":[{"type":"gate","id":1}]}`), "gate")
	assert.Contains(t, e.errorOf(http.StatusBadRequest, "POST", "/selection", `{}`), `"assets" is required`)
	assert.Contains(t, e.errorOf(http.StatusBadRequest, "POST", "/selection", `{"assets":[],"all":true}`), "all")
	e.ok("GET", "/selection", "", &sel)
	assert.Equal(t, []asset.Ref{door, door13}, sel.Assets)

	e.ok("POST", "/selection", `{"assets":[]}`, &sel)
	assert.Empty(t, sel.Assets)
}

func TestSelectionCommands(t *testing.T) {
	e := newEnv(t)
	assert.Contains(t, e.errorOf(http.StatusConflict, "POST", "/selection/commands", `{"command":"Lock"}`), "no asset is selected")

	e.ok("POST", "/selection", `{"assets":[{"type":"door","id":12},{"type":"door","id":13}]}`, nil)
	code, _, b := e.do("POST", "/selection/commands", `{"command":"Lock"}`)
	require.Equal(t, http.StatusOK, code, "%s", b)
	assert.JSONEq(t, `{"command":"Lock","failed":0,"results":[{"type":"door","id":12},{"type":"door","id":13}]}`, string(b))
	assert.Equal(t, []string{"door/12 Lock", "door/13 Lock"}, e.hw.sent())

	// One asset of the selection cannot take it: nothing is sent to any.
	e.ok("POST", "/selection", `{"assets":[{"type":"door","id":12},{"type":"output","id":5}]}`, nil)
	msg := e.errorOf(http.StatusBadRequest, "POST", "/selection/commands", `{"command":"Pass","seconds":5}`)
	assert.Contains(t, msg, "nothing sent")
	assert.Contains(t, msg, "output/5")
	assert.Contains(t, e.errorOf(http.StatusBadRequest, "POST", "/selection/commands", `{"command":"Pass","seconds":0}`), "Seconds Unlocked")
	assert.Contains(t, e.errorOf(http.StatusBadRequest, "POST", "/selection/commands", `{}`), `"command" is required`)
	assert.Len(t, e.hw.sent(), 2)

	// A hardware failure on one: the others are still carried out.
	e.ok("POST", "/selection", `{"assets":[{"type":"door","id":12},{"type":"door","id":13}]}`, nil)
	e.hw.fail[door] = "door 12 jammed"
	code, _, b = e.do("POST", "/selection/commands", `{"command":"Unlock"}`)
	require.Equal(t, http.StatusMultiStatus, code, "%s", b)
	assert.JSONEq(t, `{"command":"Unlock","failed":1,"results":[
		{"type":"door","id":12,"error":"door/12: Unlock: door 12 jammed"},{"type":"door","id":13}]}`, string(b))
	assert.Equal(t, "door/13 Unlock", e.hw.sent()[2])

	// Cancel empties the selection.
	e.ok("POST", "/selection/commands", `{"command":"Cancel"}`, nil)
	var sel dataserver.Selection
	e.ok("GET", "/selection", "", &sel)
	assert.Empty(t, sel.Assets)
}

func TestEventsStream(t *testing.T) {
	e := newEnv(t)
	ctx := deadline(t)
	s := openStream(t, ctx, e.ts.Client(), e.ts.URL+"/events", "")
	assert.Equal(t, "text/event-stream", s.resp.Header.Get("Content-Type"))

	require.NoError(t, e.reg.Update(door, func(a *asset.Asset) error { return a.SetHardware(asset.HeldOpen, asset.Unsecure) }))
	e.reg.PublishGateway(&asset.GatewayConnectionChanged{GatewayID: 1, GatewayName: "Main Gateway"})
	require.NoError(t, e.reg.PublishAccess(&asset.LastAccessEvent{Ref: door, Username: "Alice", AccessGranted: true, CardID: "100:1001"}))

	ev, ok := s.next()
	require.True(t, ok, "no event before the deadline")
	assert.Equal(t, asset.EventStatusChanged, ev.name)
	got, err := asset.DecodeEvent([]byte(ev.data))
	require.NoError(t, err)
	sc := got.(*asset.StatusChanged)
	assert.Equal(t, door, sc.Ref)
	assert.Equal(t, asset.Secure, sc.From)
	assert.Equal(t, asset.HeldOpen, sc.To)
	assert.Equal(t, ev.id, jsonNumber(sc.Seq))

	ev, ok = s.next()
	require.True(t, ok)
	assert.Equal(t, asset.EventGatewayConnectionChanged, ev.name)
	assert.Contains(t, ev.data, `"Gateway Name":"Main Gateway"`)

	ev, ok = s.next()
	require.True(t, ok)
	assert.Equal(t, asset.EventLastAccess, ev.name)
	assert.Contains(t, ev.data, `"Username":"Alice"`)
	assert.Equal(t, jsonNumber(e.reg.Bus().Published()), ev.id)
}

func jsonNumber(n uint64) string { b, _ := json.Marshal(n); return string(b) }

func TestEventsStreamEndsOnClose(t *testing.T) {
	e := newEnv(t)
	s := openStream(t, deadline(t), e.ts.Client(), e.ts.URL+"/events", "")
	e.ds.Close()
	_, ok := s.next()
	assert.False(t, ok, "the stream ends when the server is closed")
	assert.Contains(t, e.errorOf(http.StatusServiceUnavailable, "GET", "/events", ""), "shutting down")
}

func TestEventsStreamEndsWhenClientLeaves(t *testing.T) {
	e := newEnv(t)
	ctx, cancel := context.WithCancel(deadline(t))
	openStream(t, ctx, e.ts.Client(), e.ts.URL+"/events", "")
	require.Equal(t, 1, e.reg.Bus().Subscribers())
	cancel()
	require.Eventually(t, func() bool { return e.reg.Bus().Subscribers() == 0 }, 5*time.Second, time.Millisecond,
		"the handler unsubscribes when the client leaves")
}

func TestEventsStreamHeartbeat(t *testing.T) {
	e := newEnv(t, dataserver.WithHeartbeat(time.Millisecond))
	s := openStream(t, deadline(t), e.ts.Client(), e.ts.URL+"/events", "")
	line, ok := s.line()
	require.True(t, ok)
	assert.Equal(t, ": keep-alive", line)
}

func TestCommandsAreLogged(t *testing.T) {
	logs := dataserver.NewLogStream()
	ls := newServer(t, logs.Handler())
	e := newEnv(t, dataserver.WithLogger(slogTo(logs)))
	s := openStream(t, deadline(t), ls.Client(), ls.URL+"/logs", "")
	e.ok("POST", "/assets/door/12/commands", `{"command":"Pass","seconds":5}`, nil)
	line, ok := s.line()
	require.True(t, ok)
	assert.Contains(t, line, "command carried out")
	assert.Contains(t, line, "asset=door/12")
	assert.Contains(t, line, `command="Pass 5s"`)
}
