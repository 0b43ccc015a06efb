package panel_test

import (
	"context"
	"fmt"
	"io/fs"
	"math/rand/v2"
	"os"
	"strconv"
	"sync/atomic"
	"testing"
	"time"

	"github.com/chromedp/cdproto/cdp"
	"github.com/chromedp/cdproto/heapprofiler"
	cdpruntime "github.com/chromedp/cdproto/runtime"
	"github.com/chromedp/chromedp"
	"github.com/stretchr/testify/require"

	"github.com/pacsim/pacsim/sim"
	"github.com/pacsim/pacsim/sim/control/panel"
)

// TestPanelFigures measures what bench/RESULTS.md records of the panel:
// page weight, time to first render of the default and of a 10,000-door
// site, and the browser's heap while the big site journals 1,000 events/s.
// It runs only when asked (PACSIM_PANEL_FIGURES=1; PACSIM_PANEL_MINUTES
// sets the load's length, default 2): it measures, it asserts no speed.
func TestPanelFigures(t *testing.T) {
	if os.Getenv("PACSIM_PANEL_FIGURES") != "1" {
		t.Skip("figures only when asked: PACSIM_PANEL_FIGURES=1")
	}
	minutes := 2.0
	if v := os.Getenv("PACSIM_PANEL_MINUTES"); v != "" {
		m, err := strconv.ParseFloat(v, 64)
		require.NoError(t, err)
		minutes = m
	}

	var weight int64
	require.NoError(t, fs.WalkDir(panel.Assets(), ".", func(path string, d fs.DirEntry, err error) error {
		if err == nil && !d.IsDir() {
			info, _ := d.Info()
			weight += info.Size()
			t.Logf("asset %s: %d bytes", path, info.Size())
		}
		return err
	}))
	t.Logf("page weight: %d bytes uncompressed, all assets", weight)

	firstRender := func(s *site) float64 {
		p := s.open()
		return eval[float64](p, `window.pacsimPanel.firstRender`)
	}
	small := newSite(t, nil)
	for i := range 3 {
		t.Logf("default site: first render %.0f ms (run %d)", firstRender(small), i+1)
	}

	sf, err := sim.Generate(sim.GenerateOptions{Doors: 10000, Users: 50000, Seed: 7})
	require.NoError(t, err)
	big := newSite(t, sf)
	for i := range 3 {
		t.Logf("10,000-door site: first render %.0f ms (run %d)", firstRender(big), i+1)
	}

	// The load: 1,000 events/s, access at random readers, in batches of
	// 100 every 100 ms of wall time.
	p := big.open()
	// Open one site and find a door, as a person would, so that some rows
	// are live under the load.
	p.click(`document.querySelector('details[data-fold] details[data-fold] summary')`)
	snap := big.world.Snapshot()
	var sent atomic.Int64
	ctx, stop := context.WithCancel(context.Background())
	done := make(chan struct{})
	go func() {
		defer close(done)
		r := rand.New(rand.NewPCG(7, 7))
		tick := time.NewTicker(100 * time.Millisecond)
		defer tick.Stop()
		for {
			select {
			case <-ctx.Done():
				return
			case <-tick.C:
			}
			for range 100 {
				rd := snap.Readers[r.IntN(len(snap.Readers))]
				card := fmt.Sprintf("%d:%d", 100+r.IntN(2), 1000+r.IntN(60000))
				if _, err := big.world.PresentCard(rd.ID, card, ""); err == nil {
					sent.Add(1)
				}
			}
		}
	}()
	heap := func() (used, total float64, nodes int, lag float64) {
		hctx, cancel := context.WithTimeout(p.ctx, 30*time.Second)
		defer cancel()
		require.NoError(t, chromedp.Do(hctx, chromedp.Func(func(ctx context.Context, tg *chromedp.Target) error {
			_, err := cdp.Call(ctx, tg, heapprofiler.CollectGarbage, cdp.Empty{})
			return err
		})))
		u, err := chromedp.Run(hctx, func(ctx context.Context, tg *chromedp.Target) (cdpruntime.GetHeapUsageResult, error) {
			return cdp.Call(ctx, tg, cdpruntime.GetHeapUsage, cdp.Empty{})
		})
		require.NoError(t, err)
		nodes = eval[int](p, `document.getElementsByTagName('*').length`)
		// Responsiveness: how long the page takes to give two frames.
		lag, err = chromedp.Run(hctx, chromedp.Evaluate[float64](`new Promise(r => { const t = performance.now(); requestAnimationFrame(() => requestAnimationFrame(() => r(performance.now() - t))); })`, chromedp.EvalAwaitPromise))
		require.NoError(t, err)
		return u.UsedSize, u.TotalSize, nodes, lag
	}
	start := time.Now()
	used, total, nodes, lag := heap()
	t.Logf("t=0: JS heap used %.1f MB of %.1f MB, %d DOM nodes, two frames in %.0f ms", used/1e6, total/1e6, nodes, lag)
	for el := time.Minute / 2; el <= time.Duration(minutes*float64(time.Minute)); el += time.Minute / 2 {
		time.Sleep(time.Until(start.Add(el))) // a measurement's cadence, not a wait for state
		used, total, nodes, lag = heap()
		rate := float64(sent.Load()) / time.Since(start).Seconds()
		journal := eval[int](p, `Number((document.getElementById('journal-count').textContent.match(/of the last (\d+)/) || [0, 0])[1])`)
		t.Logf("t=%v: %.0f events/s journaled, JS heap used %.1f MB of %.1f MB, %d DOM nodes, journal holds %d, two frames in %.0f ms",
			el, rate, used/1e6, total/1e6, nodes, journal, lag)
	}
	stop()
	<-done
}
