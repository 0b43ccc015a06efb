package entrapass

import (
	"context"
	"strconv"
	"strings"
	"sync"
	"time"
)

// The card cache keeps what the Last Access Events need of the card users
// (badge layout, card state) for CardCacheTTL. A card looked up is one
// SmartService round trip, on the delivery path: the event waits for it, and
// so does every event after it in the answer. So the cache is filled from
// the whole Cards list in the background after the first synchronisation
// (warm), and it refreshes ahead: a card used in the last quarter of its
// life is looked up again in the background, off the delivery path. An
// entry is never used past its TTL (then the look-up is made on the spot,
// as for a card never seen).

// cardInfo is what a Last Access Event needs of a card user.
type cardInfo struct {
	badging int
	status  string
	at      time.Time // when the look-up that made it was sent
}

const (
	// maxCardLookupsPerCycle bounds the look-ups made on the delivery path
	// in one cycle, so a burst of new cards cannot stall the events.
	maxCardLookupsPerCycle = 256
	// maxCachedCards bounds the cache: past it, it starts again empty.
	maxCachedCards = 100000
	// refreshQueue is how many refreshes may wait; past it a card is
	// looked up on the spot when its TTL is over, as without refresh.
	refreshQueue = 1024
	// warmPage is the Cards list page the cache is warmed with (the
	// server's maximum), and warmMax the most cards warmed, so that a site
	// with more cards than the cache holds does not thrash it.
	warmPage = 4096
	warmMax  = maxCachedCards * 3 / 4
)

// cardCache is the driver's card cache.
type cardCache struct {
	mu         sync.Mutex
	entries    map[string]cardInfo
	refreshing map[string]bool // queued or in flight
	queue      chan string
	warm       chan struct{}    // a token: warm the cache from the Cards list
	now        func() time.Time // time.Now; tests set it
}

func newCardCache() *cardCache {
	return &cardCache{entries: map[string]cardInfo{}, refreshing: map[string]bool{}, queue: make(chan string, refreshQueue),
		warm: make(chan struct{}, 1), now: time.Now}
}

func (cc *cardCache) get(number string) (cardInfo, bool) {
	cc.mu.Lock()
	defer cc.mu.Unlock()
	c, ok := cc.entries[number]
	return c, ok
}

// put keeps c unless the cache holds a newer look-up of the card (a
// background refresh sent before a look-up made on the spot may come back
// after it).
func (cc *cardCache) put(number string, c cardInfo) {
	cc.mu.Lock()
	defer cc.mu.Unlock()
	if old, ok := cc.entries[number]; ok && old.at.After(c.at) {
		return
	}
	if len(cc.entries) >= maxCachedCards {
		clear(cc.entries)
	}
	cc.entries[number] = c
}

// refreshAhead queues a background look-up of the card, once.
func (cc *cardCache) refreshAhead(number string) {
	cc.mu.Lock()
	defer cc.mu.Unlock()
	if cc.refreshing[number] {
		return
	}
	select {
	case cc.queue <- number:
		cc.refreshing[number] = true
	default: // full: the card is looked up on the spot when its TTL is over
	}
}

func (cc *cardCache) refreshed(number string) {
	cc.mu.Lock()
	defer cc.mu.Unlock()
	delete(cc.refreshing, number)
}

// warmSoon asks the background worker to warm the cache (once the driver
// is synchronised: the session is needed).
func (cc *cardCache) warmSoon() {
	select {
	case cc.warm <- struct{}{}:
	default:
	}
}

// refreshCards runs the background look-ups until ctx ends (Start runs it
// beside the poll loop).
func (d *Driver) refreshCards(ctx context.Context) {
	for {
		select {
		case <-ctx.Done():
			return
		case <-d.cards.warm:
			d.warmCards(ctx)
		case number := <-d.cards.queue:
			d.refreshCard(ctx, number)
		}
	}
}

// warmCards fills the cache from the whole Cards list, a page at a time
// (at 10,000 events/s over 10,000 cards, the events of the first two
// seconds, each new card waiting for its look-up, had a p99 of 124 ms
// against 102 ms once warm). It returns how many cards it cached; it stops
// at warmMax, at the first error, and when ctx ends.
func (d *Driver) warmCards(ctx context.Context) int {
	if d.cfg.CardCacheTTL <= 0 {
		return 0
	}
	n, after := 0, ""
	for n < warmMax {
		sent := d.cards.now()
		rows, err := d.client.Cards(ctx, CardQuery{StartValue: after, Max: warmPage, Extended: cardFields})
		if err != nil {
			if ctx.Err() == nil {
				d.log.Warn("entrapass: reading the card list to warm the card cache failed; cards are looked up as they come", "cached", n, "error", err)
			}
			return n
		}
		for _, r := range rows {
			for _, number := range cardNumbers(r) {
				if c, ok := cardInfoOf(r, number, sent); ok {
					d.cards.put(number, c)
					n++
				}
			}
		}
		next := ""
		if len(rows) > 0 {
			next = rows[len(rows)-1].Value("PKDATA")
		}
		if len(rows) < warmPage || next == "" || next == after {
			break
		}
		after = next
	}
	d.log.Info("entrapass: card cache warmed from the card list", "cards", n)
	return n
}

// cardNumbers returns the card numbers of a Cards list row (CARDNUMBER1…5,
// or CARDNUMBER when the server sent no slots).
func cardNumbers(r Row) []string {
	var out []string
	for i := 1; i <= 5; i++ {
		if v := r.Value("CARDNUMBER" + strconv.Itoa(i)); v != "" {
			out = append(out, v)
		}
	}
	if len(out) == 0 {
		if v := r.Value("CARDNUMBER"); v != "" {
			out = append(out, v)
		}
	}
	return out
}

func (d *Driver) refreshCard(ctx context.Context, number string) {
	if c, err := d.lookupCard(ctx, number); err == nil {
		d.cards.put(number, c)
	} else if ctx.Err() == nil {
		d.log.Debug("entrapass: card refresh failed; the card is looked up again when used", "card", number, "error", err)
	}
	d.cards.refreshed(number)
}

// card returns what the cache knows of a card, looking it up (GET Cards
// filtered by the card number) when the cache has nothing younger than
// CardCacheTTL, or when fresh asks to look again however recent the card
// (a denial the card's state may explain; spared only when the card was
// looked up during this very cycle).
func (d *Driver) card(ctx context.Context, number string, fresh bool) cardInfo {
	number = strings.TrimSpace(number)
	if number == "" {
		return cardInfo{status: cardStatusUnknown}
	}
	ttl := d.cfg.CardCacheTTL
	c, ok := d.cards.get(number)
	if ok && ttl > 0 && (!fresh || !c.at.Before(d.cycleStart)) {
		if age := d.cards.now().Sub(c.at); age < ttl {
			if age >= ttl-ttl/4 {
				d.cards.refreshAhead(number)
			}
			return c
		}
	}
	if d.lookups >= maxCardLookupsPerCycle {
		if ok {
			return c
		}
		return cardInfo{}
	}
	d.lookups++
	looked, err := d.lookupCard(ctx, number)
	if err != nil {
		d.log.Warn("entrapass: card lookup failed; BadgeTemplateID and Card Status are left empty", "card", number, "error", err)
		if ok {
			return c
		}
		return cardInfo{}
	}
	if ttl > 0 {
		d.cards.put(number, looked)
	}
	return looked
}

// cardFields are the Cards fields a look-up asks for.
var cardFields = func() []string {
	fields := []string{"BADGING"}
	for i := 1; i <= 5; i++ {
		fields = append(fields, "CARDNUMBER"+strconv.Itoa(i), "CARDSTATE"+strconv.Itoa(i))
	}
	return fields
}()

// lookupCard asks SmartService for the card user holding a card.
func (d *Driver) lookupCard(ctx context.Context, number string) (cardInfo, error) {
	sent := d.cards.now()
	rows, err := d.client.Cards(ctx, CardQuery{Index: "CARDNUMBER", Filter: number, Max: 64, Extended: cardFields})
	if err != nil {
		return cardInfo{}, err
	}
	for _, r := range rows {
		if c, ok := cardInfoOf(r, number, sent); ok {
			return c, nil
		}
	}
	return cardInfo{status: cardStatusUnknown, at: sent}, nil
}

// cardInfoOf reads what a Last Access Event needs of the card number from a
// Cards list row, if the row holds that card: the user's badge layout, and
// the user's card state unless the card's own slot state says worse.
func cardInfoOf(r Row, number string, at time.Time) (cardInfo, bool) {
	slot := 0
	for i := 1; i <= 5; i++ {
		if strings.EqualFold(r.Value("CARDNUMBER"+strconv.Itoa(i)), number) {
			slot = i
			break
		}
	}
	if slot == 0 && !strings.EqualFold(r.Value("CARDNUMBER"), number) {
		return cardInfo{}, false
	}
	c := cardInfo{at: at}
	c.badging, _ = atoi(r.Value("BADGING"))
	c.status = cardStateName(r.Value("CARDSTATE"))
	if slot > 0 {
		if s := cardStateName(r.Value("CARDSTATE" + strconv.Itoa(slot))); s != "" && s != "Valid" && c.status == "Valid" {
			c.status = s
		}
	}
	return c, true
}

// cardStateName names a CARDSTATE code (SPEC §2: 0 Valid, 1 Invalid,
// 2 StolenLost, 3 Pending, 4 Expired, 5 PostDated, 6 ToBeActivated); a
// name is kept as sent.
func cardStateName(v string) string {
	names := [...]string{"Valid", "Invalid", "StolenLost", "Pending", "Expired", "PostDated", "ToBeActivated"}
	if n, ok := atoi(v); ok {
		if n >= 0 && n < len(names) {
			return names[n]
		}
		return "State " + v
	}
	return strings.TrimSpace(v)
}
