package panel_test

import (
	"fmt"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/pacsim/pacsim/sim"
)

// The default site, as a person first sees it: every component with its
// state in the control API's words, the clock virtual, the page live.
func TestPanelShowsTheDefaultSite(t *testing.T) {
	s := newSite(t, nil)
	p := s.open()
	snap := s.world.Snapshot()
	for kind, n := range map[string]int{"gateway": len(snap.Gateways), "site": len(snap.Sites), "controller": len(snap.Controllers),
		"door": len(snap.Doors), "reader": len(snap.Readers), "input": len(snap.Inputs), "output": len(snap.Outputs)} {
		assert.Equal(t, n, eval[int](p, fmt.Sprintf(`document.querySelectorAll('.row[data-kind=%q]').length`, kind)), kind)
	}
	assert.Equal(t, "locked", eval[string](p, stateOf("door", "Front Door", "lock")))
	assert.Equal(t, "closed", eval[string](p, stateOf("door", "Front Door", "contact")))
	assert.Equal(t, "enabled", eval[string](p, stateOf("reader", "Front Door entry", "enabled")))
	assert.Equal(t, "online", eval[string](p, stateOf("controller", "Office Controller", "online")))
	assert.Equal(t, "connected", eval[string](p, stateOf("gateway", "Main Gateway", "connected")))
	assert.Equal(t, "virtual", eval[string](p, `document.getElementById('clock-mode').textContent`))
	assert.Equal(t, "2026-01-05 09:00:00 UTC", eval[string](p, `document.getElementById('clock-time').textContent`))
	assert.Equal(t, "live", eval[string](p, `document.getElementById('conn').textContent`))
	assert.Greater(t, eval[int](p, `document.querySelectorAll('#card-user option').length`), 2, "card users to pick from")
	assert.Equal(t, 0, eval[int](p, `document.querySelectorAll('#fault-list tr').length`))
}

// Presenting the Full Access card at the Front Door shows granted and the
// door unlocked; a card number that is not one shows the API's message
// beside the button and changes nothing.
func TestPanelPresentCard(t *testing.T) {
	s := newSite(t, nil)
	p := s.open()
	p.fill("#card-number", "100:1001")
	p.click(button("reader", "Front Door entry", "Present card"))
	p.waitJS(fmt.Sprintf(`%s.querySelector('.result').textContent.startsWith("granted")`, row("reader", "Front Door entry")), 5*time.Second)
	p.waitJS(stateOf("door", "Front Door", "lock")+` === "unlocked-access"`, 5*time.Second)
	assert.Contains(t, eval[string](p, `document.getElementById('decision').textContent`), "granted")
	d, err := s.world.Door(20)
	require.NoError(t, err)
	assert.Equal(t, sim.LockUnlockedAccess, d.Lock)
	p.waitJS(`[...document.querySelectorAll('.jrow')].some(r => r.textContent.includes("Access granted"))`, 5*time.Second)

	// Bad input: the API's message beside the control, nothing changes.
	last := s.world.Journal().Last()
	p.fill("#card-number", "12ab")
	p.click(button("reader", "Office Door entry", "Present card"))
	p.waitJS(fmt.Sprintf(`%s.querySelector('[data-error]').textContent.includes('bad card number "12ab"')`, row("reader", "Office Door entry")), 5*time.Second)
	assert.Contains(t, eval[string](p, `document.getElementById('decision').textContent`), "HTTP 400")
	assert.Equal(t, last, s.world.Journal().Last(), "nothing journaled")
	assert.Equal(t, "locked", eval[string](p, stateOf("door", "Office Door", "lock")))

	// A card user picked from the list brings its card and PIN, which a
	// keypad reader asks for.
	p.fill("#user-search", "100:1002")
	p.waitJS(`document.querySelectorAll('#card-user option').length === 2`, 5*time.Second)
	p.do(chromedpSelect("#card-user", "0"))
	assert.Equal(t, "100:1002", eval[string](p, `document.getElementById('card-number').value`))
	assert.Equal(t, "12345", eval[string](p, `document.getElementById('card-pin').value`))
	p.click(button("reader", "Office Door entry", "Present card"))
	p.waitJS(fmt.Sprintf(`%s.querySelector('.result').textContent.startsWith("granted")`, row("reader", "Office Door entry")), 5*time.Second)
	assert.Empty(t, eval[string](p, fmt.Sprintf(`%s.querySelector('[data-error]').textContent`, row("reader", "Office Door entry"))), "a success clears the error")
}

// Opening a locked door without a grant: forced.
func TestPanelForcedDoor(t *testing.T) {
	s := newSite(t, nil)
	p := s.open()
	p.click(button("door", "Front Door", "Open"))
	p.waitJS(stateOf("door", "Front Door", "contact")+` === "forced"`, 5*time.Second)
	assert.Contains(t, eval[string](p, fmt.Sprintf(`%s.querySelector('[data-field="contact"]').className`, row("door", "Front Door"))), "s-bad", "in alarm colour")
	// Opening it again is refused: the API's 409 shows beside the button.
	p.click(button("door", "Front Door", "Open"))
	p.waitJS(fmt.Sprintf(`%s.querySelector('[data-error]').textContent.includes("already open")`, row("door", "Front Door")), 5*time.Second)
}

// A fault added from the page's form appears in the list, acts, is
// journaled, and is removed; a wrong value shows the API's message and
// adds nothing.
func TestPanelFaults(t *testing.T) {
	s := newSite(t, nil)
	p := s.open()
	p.click(`document.querySelector('#fault-add summary')`)
	p.do(chromedpSelect("#fault-target", "site"), chromedpSelect("#fault-kind", "door-forced"))
	p.fill("#fault-params-id", "abc")
	p.click(`document.querySelector('#fault-form button[type=submit]')`)
	p.waitJS(`document.getElementById('fault-error').textContent.includes("params.id")`, 5*time.Second)
	assert.Empty(t, s.plan.List(), "nothing added")

	p.fill("#fault-params-id", "21")
	p.click(`document.querySelector('#fault-form button[type=submit]')`)
	p.waitJS(`!!document.querySelector('#fault-list tr[data-fault="f1"]')`, 5*time.Second)
	assert.Empty(t, eval[string](p, `document.getElementById('fault-error').textContent`))
	assert.Contains(t, eval[string](p, `document.querySelector('#fault-list tr[data-fault="f1"]').textContent`), "site:door-forced id=21")
	p.waitJS(stateOf("door", "Office Door", "contact")+` === "forced"`, 5*time.Second)
	p.waitJS(`[...document.querySelectorAll('.jrow')].some(r => r.textContent.includes("Fault added f1"))`, 5*time.Second)
	p.fill("#card-number", "100:1001")
	p.click(button("reader", "Front Door entry", "Present card"))
	p.waitJS(stateOf("door", "Front Door", "lock")+` === "unlocked-access"`, 5*time.Second)
	p.screenshot()

	p.click(`document.querySelector('#fault-list tr[data-fault="f1"] button')`)
	p.waitJS(`!document.querySelector('#fault-list tr[data-fault="f1"]')`, 5*time.Second)
	p.waitJS(stateOf("door", "Office Door", "contact")+` === "closed"`, 5*time.Second)
	p.waitJS(`[...document.querySelectorAll('.jrow')].some(r => r.textContent.includes("Fault removed f1"))`, 5*time.Second)
	assert.Empty(t, s.plan.List())
}

// A change made by another client of the control API shows within a
// second, with no reload.
func TestPanelFollowsOtherClients(t *testing.T) {
	s := newSite(t, nil)
	p := s.open()
	require.NoError(t, s.c.FailController(t.Context(), 10))
	p.waitJS(stateOf("controller", "Office Controller", "online")+` === "offline"`, time.Second)
	require.NoError(t, s.c.RestoreController(t.Context(), 10))
	p.waitJS(stateOf("controller", "Office Controller", "online")+` === "online"`, time.Second)

	// Another client's clock advance: the door relocks after its passage
	// with no event, and the page reads it again when told the clock moved.
	_, err := s.c.Present(t.Context(), 30, "100:1001", "")
	require.NoError(t, err)
	p.waitJS(stateOf("door", "Front Door", "lock")+` === "unlocked-access"`, time.Second)
	c, err := s.c.Advance(t.Context(), 10*time.Second)
	require.NoError(t, err)
	p.waitJS(stateOf("door", "Front Door", "lock")+` === "locked"`, time.Second)
	p.waitJS(`document.getElementById('clock-time').textContent.startsWith("`+c.Time.UTC().Format("2006-01-02 15:04:05")+`")`, time.Second)
}

// The server goes away: the page says so, and when it comes back the page
// reconnects by itself and replays the journal it missed.
func TestPanelReconnects(t *testing.T) {
	s := newSite(t, nil)
	p := s.open()
	s.down()
	p.waitJS(`document.body.dataset.conn === "down" && document.getElementById('conn').textContent.startsWith("disconnected")`, 10*time.Second)
	_, err := s.world.OpenDoor(21) // journaled while the page is away
	require.NoError(t, err)
	s.up(s.addr)
	p.waitJS(`document.body.dataset.conn === "live"`, 15*time.Second)
	p.waitJS(`[...document.querySelectorAll('.jrow')].some(r => r.textContent.includes("Door forced open — Office Door"))`, 5*time.Second)
	p.waitJS(stateOf("door", "Office Door", "contact")+` === "forced"`, 5*time.Second)
}
