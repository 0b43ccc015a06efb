package main

import (
	"bufio"
	"bytes"
	"context"
	"encoding/json"
	"io"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// fakeClock is a clock a test moves by hand.
type fakeClock struct {
	mu sync.Mutex
	t  time.Time
}

func (c *fakeClock) now() time.Time {
	c.mu.Lock()
	defer c.mu.Unlock()
	return c.t
}

func (c *fakeClock) advance(d time.Duration) {
	c.mu.Lock()
	c.t = c.t.Add(d)
	c.mu.Unlock()
}

// syncBuffer is a bytes.Buffer safe for the progress goroutine and the test.
type syncBuffer struct {
	mu sync.Mutex
	b  bytes.Buffer
}

func (s *syncBuffer) Write(p []byte) (int, error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.b.Write(p)
}

func (s *syncBuffer) String() string {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.b.String()
}

// lineWriter hands each line written to the test, which waits for it: the
// progress writes from its own goroutine.
type lineWriter chan string

func (w lineWriter) Write(p []byte) (int, error) {
	w <- string(p)
	return len(p), nil
}

func TestProgressQuietThenALinePerTick(t *testing.T) {
	clock := &fakeClock{t: time.Date(2026, 1, 5, 9, 0, 0, 0, time.UTC)}
	tick := make(chan time.Time)
	lines := make(lineWriter, 16)
	p := newProgress(lines, time.Second, clock.now, tick)
	n := 0
	p.Phase("generating the site", func() string { n++; return thousands(n*1000) + " of 3,000 card users" })

	clock.advance(500 * time.Millisecond)
	tick <- clock.now()
	p.Phase("building the world", nil)

	// Past the first interval: a line per tick and per phase. Had the
	// quiet tick or phases above written, their line would come first.
	clock.advance(700 * time.Millisecond)
	tick <- clock.now()
	assert.Equal(t, "pacsim: 1.2s: building the world\n", <-lines)
	p.Phase("generating the site again", func() string { n++; return thousands(n*1000) + " of 3,000 card users" })
	assert.Equal(t, "pacsim: 1.2s: generating the site again: 1,000 of 3,000 card users\n", <-lines)
	clock.advance(time.Second)
	tick <- clock.now()
	assert.Equal(t, "pacsim: 2.2s: generating the site again: 2,000 of 3,000 card users\n", <-lines)
	p.Stop("started")
	assert.Equal(t, "pacsim: started after 2.2s\n", <-lines)
	p.Stop("started") // twice is harmless
	assert.Empty(t, lines)
	assert.Equal(t, 2, n, "the first phase's figures were never asked for: nothing printed them")

	var nilp *progress // --progress 0
	nilp.Phase("x", nil)
	nilp.Stop("y")
	assert.Nil(t, startProgress(io.Discard, 0))
}

func TestProgressShortRunSaysNothing(t *testing.T) {
	clock := &fakeClock{t: time.Date(2026, 1, 5, 9, 0, 0, 0, time.UTC)}
	var out syncBuffer
	p := newProgress(&out, time.Second, clock.now, nil)
	p.Phase("generating the site", nil)
	clock.advance(999 * time.Millisecond)
	p.Stop("started")
	assert.Empty(t, out.String())
}

func TestThousands(t *testing.T) {
	for n, want := range map[int]string{0: "0", 999: "999", 1000: "1,000", 1000000: "1,000,000", -12345: "-12,345"} {
		assert.Equal(t, want, thousands(n))
	}
}

// The commands print their progress on stderr; stdout stays what scripts
// parse. --progress 1ns makes every phase print at once.
func TestSiteProgressOnStderrOnly(t *testing.T) {
	var quiet, quietErr bytes.Buffer
	require.NoError(t, run(context.Background(), []string{"site", "--generate", "doors=4,users=3"}, &quiet, &quietErr))
	assert.Empty(t, quietErr.String(), "a small site is generated quietly")

	var out, errOut bytes.Buffer
	require.NoError(t, run(context.Background(), []string{"site", "--generate", "doors=4,users=3", "--progress", "1ns"}, &out, &errOut))
	assert.Equal(t, quiet.String(), out.String(), "stdout is the site file alone")
	assert.Contains(t, errOut.String(), ": generating the site: 0 of 3 card users\n")
	assert.Contains(t, errOut.String(), ": writing the site file\n")
	assert.Contains(t, errOut.String(), "pacsim: site written after ")

	err := run(context.Background(), []string{"site", "--progress", "-1s"}, io.Discard, io.Discard)
	assert.ErrorContains(t, err, "--progress")
}

func TestServeProgressKeepsTheJSONLineFirst(t *testing.T) {
	ctx, cancel := context.WithCancel(context.Background())
	defer cancel()
	pr, pw := io.Pipe()
	var errOut syncBuffer
	done := make(chan error, 1)
	go func() {
		err := run(ctx, []string{"serve", "--generate", "doors=40,users=300", "--clock", "virtual", "--control", "127.0.0.1:0",
			"--entrapass", "127.0.0.1:0", "--genetec", "127.0.0.1:0", "--print-addresses", "json", "--progress", "1ns"}, pw, &errOut)
		pw.CloseWithError(io.EOF)
		done <- err
	}()
	sc := bufio.NewScanner(pr)
	require.True(t, sc.Scan())
	var addrs map[string]string
	require.NoError(t, json.Unmarshal(sc.Bytes(), &addrs), "the first stdout line is the JSON: %q", sc.Text())
	go io.Copy(io.Discard, pr)
	cancel()
	require.NoError(t, <-done)
	lines := errOut.String()
	for _, phase := range []string{"generating the site: 0 of 300 card users", "building the world",
		"loading the EntraPass and Security Center databases", "starting the servers", "pacsim: started after "} {
		assert.Contains(t, lines, phase)
	}
	assert.Less(t, strings.Index(lines, "building the world"), strings.Index(lines, "starting the servers"), lines)
}

func TestLoadProgressOnStderr(t *testing.T) {
	var out bytes.Buffer
	var errOut syncBuffer
	err := run(context.Background(), []string{"load", "--doors", "16", "--users", "100", "--rate", "500",
		"--duration", "300ms", "--poll", "100ms", "--json", "--progress", "1ns"}, &out, &errOut)
	require.NoError(t, err, out.String())
	var res map[string]any
	require.NoError(t, json.Unmarshal(out.Bytes(), &res), "stdout is the JSON alone: %q", out.String())
	assert.Contains(t, errOut.String(), ": presenting cards: sent ")
	assert.Contains(t, errOut.String(), "pacsim: done after ")

	require.ErrorIs(t, run(context.Background(), []string{"load", "--progress", "-1s"}, io.Discard, io.Discard), errUsage)
}
