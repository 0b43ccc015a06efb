package entrapass

import (
	"bytes"
	"encoding/base64"
	"fmt"
	"net/http"
	"net/url"
	"runtime"
	"strings"
	"sync"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/pacsim/pacsim/sim"
	"github.com/pacsim/pacsim/sim/entrapass/wire"
)

// nestedCard is a <Card> body of wire.MaxBodySize bytes holding one
// unknown element nested as deep as the size allows: the shape that made
// the parser's element stack hold about 23 MB.
func nestedCard() []byte {
	const open = "<a>"
	head := "<Card><UserName>x</UserName>"
	n := (wire.MaxBodySize - len(head)) / len(open)
	return []byte(head + strings.Repeat(open, n))[:wire.MaxBodySize]
}

// TestNestedBodiesStayBounded: 100 deeply nested bodies at once are each
// refused with a StandardFault naming the depth, and the live heap stays
// under 200 MB meanwhile (it reached 2.4 GB when the parser followed the
// nesting). The heap is sampled after a GC while the requests run.
func TestNestedBodiesStayBounded(t *testing.T) {
	s := newSite(t)
	key := s.login()
	body := nestedCard()
	const parallel = 100
	const bound = 200 << 20

	done := make(chan struct{})
	peak := make(chan uint64)
	go func() {
		var max uint64
		var ms runtime.MemStats
		for {
			runtime.GC()
			runtime.ReadMemStats(&ms)
			max = maxU(max, ms.HeapAlloc)
			select {
			case <-done:
				peak <- max
				return
			default:
			}
		}
	}()
	var wg sync.WaitGroup
	answers := make([]string, parallel)
	for i := range parallel {
		wg.Go(func() {
			req, err := http.NewRequest(http.MethodPost, s.base+with("Cards/0", key), bytes.NewReader(body))
			if !assert.NoError(t, err) {
				return
			}
			resp, err := s.ts.Client().Do(req)
			if !assert.NoError(t, err) {
				return
			}
			defer resp.Body.Close()
			var b bytes.Buffer
			_, _ = b.ReadFrom(resp.Body)
			answers[i] = b.String()
		})
	}
	wg.Wait()
	close(done)
	max := <-peak
	t.Logf("peak live heap %d MiB", max>>20)
	assert.Less(t, max, uint64(bound), "live heap while %d nested bodies were parsed", parallel)
	for _, a := range answers {
		f := requireFault(t, a, wire.CodeInvalidParameter)
		require.Equal(t, "Invalid parameter Card: the body is refused: the document is nested deeper than 32 levels.", f.VisibleMessage)
	}
}

func maxU(a, b uint64) uint64 {
	if a > b {
		return a
	}
	return b
}

// TestProgramGUIDBounds: a ConnectedProgram GUID longer than a GUID is
// refused with the licence fault naming its length, and nothing of it is
// kept; the table of used GUIDs keeps the most recent ones only, and a
// reset of the site forgets them.
func TestProgramGUIDBounds(t *testing.T) {
	sf := sim.DefaultSite()
	sf.EntraPass.Operators[0].MaxSessions = 1 << 20
	s := newSiteFrom(t, sf)
	login := func(guid string) string {
		return s.get("Login?userName=pacsim&password=pacsim&ConnectedProgram=" + url.QueryEscape("56,"+guid))
	}

	long := strings.Repeat("g", 900<<10)
	f := requireFault(t, login(long), wire.CodeUnknownWebSDKID)
	assert.Equal(t, fmt.Sprintf("The ConnectedProgram GUID is %d bytes long; a GUID has at most %d.", len(long), MaxProgramGUID), f.VisibleMessage)
	requireFault(t, login(strings.Repeat("g", MaxProgramGUID+1)), wire.CodeUnknownWebSDKID)
	sessionKey(t, login(strings.Repeat("g", MaxProgramGUID)))
	assert.Zero(t, s.srv.sessions.programs.Len()-1, "the refused GUIDs were not kept")

	s.srv.sessions.programs = newNonces(3)
	first := newGUID()
	sessionKey(t, login(first))
	requireFault(t, login(first), wire.CodeUnknownWebSDKID)
	for range 3 {
		sessionKey(t, login(newGUID()))
	}
	assert.Equal(t, 3, s.srv.sessions.programs.Len())
	sessionKey(t, login(first)) // forgotten: the table keeps the 3 most recent

	used := newGUID()
	sessionKey(t, login(used))
	s.srv.Reset()
	assert.Zero(t, s.srv.sessions.programs.Len())
	sessionKey(t, login(used))
}

// TestCardUsersBounded: past MaxCardUsers card users, POST Cards creates
// no more (a fault naming the bound); past MaxPictureBytes of pictures, a
// picture that adds to them is refused. Updates still work.
func TestCardUsersBounded(t *testing.T) {
	s := newSite(t)
	key := s.login()
	db := s.srv.db
	db.mu.Lock()
	filler := &cardUser{own: &ownFields{}}
	for id := 1_000_000; len(db.users) < MaxCardUsers; id++ {
		db.users[id] = filler
	}
	db.mu.Unlock()
	f := requireFault(t, s.ok(http.MethodPost, with("Cards/0", key), "<Card><UserName>One too many</UserName></Card>"), wire.CodeInvalidParameter)
	assert.Equal(t, fmt.Sprintf("Invalid parameter Card: the server holds %d card users, its most: delete some first.", MaxCardUsers), f.VisibleMessage)
	assert.Equal(t, "<int>200</int>", s.put(with("Cards/200", key), "<Card><UserName>Renamed</UserName></Card>"), "an update creates nothing")

	db.mu.Lock()
	big := &cardUser{own: &ownFields{picture: make([]byte, MaxPictureBytes)}}
	for id := range db.users {
		if db.users[id] == filler {
			db.users[id] = big
			break
		}
	}
	db.mu.Unlock()
	pic := "<CardPicture><Picture>" + base64.StdEncoding.EncodeToString(jpeg) + "</Picture></CardPicture>"
	f = requireFault(t, s.put(with("CardPictures/200", key), pic), wire.CodeInvalidParameter)
	assert.Contains(t, f.VisibleMessage, "bytes of pictures, more than its most, 268435456 (256 MiB)")
	assert.Equal(t, "<CardPicture><ID>200</ID><Picture></Picture></CardPicture>", s.get(with("CardPictures/200", key)), "nothing was stored")
}
