package entrapass

import (
	"fmt"
	"net/http"
	"sync"
	"testing"
	"time"

	"github.com/stretchr/testify/require"

	"github.com/pacsim/pacsim/sim/entrapass/wire"
)

// TestConcurrentUse runs clients, card writes, stimuli and the clock at
// once; with -race it checks the locking, and the totals check that no
// session lost or repeated an event.
func TestConcurrentUse(t *testing.T) {
	s := newSite(t, WithEventBatch(50))
	const clients, presents = 4, 200
	keys := make([]string, clients)
	for i := range keys {
		keys[i] = s.login()
	}
	var wg, writers sync.WaitGroup
	stop := make(chan struct{})
	counts := make([]int, clients)
	for i := range clients {
		wg.Add(1)
		go func() {
			defer wg.Done()
			s.put(with("ComponentsStates?statusID=0", keys[i]), "<string>20,21,50,70</string>")
			for {
				select {
				case <-stop:
					return
				default:
				}
				counts[i] += len(rows(t, s.get(with("Events", keys[i]))))
				s.get(with("ComponentsStatesByStatusId?statusID=0", keys[i]))
				s.get(with("Cards?numberOfCards=10&listIndex=USERNAME", keys[i]))
				s.get(with("LastDoorAccess?id=20", keys[i]))
			}
		}()
	}
	writers.Add(2)
	go func() {
		defer writers.Done()
		for i := range 50 {
			code, body := s.do(http.MethodPost, with("Cards/0", keys[0]), fmt.Sprintf("<Card><UserName>c%d</UserName><CardNumber1>300:%d</CardNumber1></Card>", i, i))
			require.Equal(t, http.StatusOK, code)
			_, err := wire.ParseInt([]byte(body))
			require.NoError(t, err, body)
			s.put(with("Cards/200", keys[0]), fmt.Sprintf("<Card><CardInfo1>%d</CardInfo1></Card>", i))
			s.put(with("unlockDoor?id=21", keys[0]), "")
			s.put(with("LockDoor?id=21", keys[0]), "")
		}
	}()
	go func() {
		defer writers.Done()
		for range 50 {
			s.clk.Advance(time.Second)
		}
	}()
	for i := range presents {
		_, err := s.w.PresentCard(rdFrontIn, fmt.Sprintf("300:%d", i%60), "")
		require.NoError(t, err)
	}
	writers.Wait()
	close(stop)
	wg.Wait()
	total := s.w.Journal().Last()
	for i := range clients {
		for {
			n := len(rows(t, s.get(with("Events", keys[i]))))
			if n == 0 {
				break
			}
			counts[i] += n
		}
		require.EqualValues(t, total, counts[i], "client %d saw every event once", i)
	}
}
