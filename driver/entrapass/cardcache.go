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
// so does every event after it in the answer. So the cache refreshes ahead:
// a card used in the last quarter of its life is looked up again in the
// background, off the delivery path, and an entry is never used past its
// TTL (then the look-up is made on the spot, as for a card never seen).

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
)

// cardCache is the driver's card cache.
type cardCache struct {
	mu         sync.Mutex
	entries    map[string]cardInfo
	refreshing map[string]bool // queued or in flight
	queue      chan string
	now        func() time.Time // time.Now; tests set it
}

func newCardCache() *cardCache {
	return &cardCache{entries: map[string]cardInfo{}, refreshing: map[string]bool{}, queue: make(chan string, refreshQueue), now: time.Now}
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

// refreshCards runs the background look-ups until ctx ends (Start runs it
// beside the poll loop).
func (d *Driver) refreshCards(ctx context.Context) {
	for {
		select {
		case <-ctx.Done():
			return
		case number := <-d.cards.queue:
			d.refreshCard(ctx, number)
		}
	}
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
	c := cardInfo{status: cardStatusUnknown, at: sent}
	for _, r := range rows {
		slot := 0
		for i := 1; i <= 5; i++ {
			if strings.EqualFold(r.Value("CARDNUMBER"+strconv.Itoa(i)), number) {
				slot = i
				break
			}
		}
		if slot == 0 && !strings.EqualFold(r.Value("CARDNUMBER"), number) {
			continue
		}
		c.badging, _ = atoi(r.Value("BADGING"))
		c.status = cardStateName(r.Value("CARDSTATE"))
		if slot > 0 {
			if s := cardStateName(r.Value("CARDSTATE" + strconv.Itoa(slot))); s != "" && s != "Valid" && c.status == "Valid" {
				c.status = s
			}
		}
		break
	}
	return c, nil
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
