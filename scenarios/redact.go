package scenarios

import (
	"bytes"
	"crypto/hmac"
	"crypto/rand"
	"crypto/sha256"
	"encoding/base64"
	"encoding/binary"
	"encoding/hex"
	"image"
	"image/color"
	"image/jpeg"
	"net/url"
	"regexp"
	"sort"
	"strconv"
	"strings"
	"sync"
	"unicode"

	"github.com/brianvoe/gofakeit/v6"
)

// The kinds of pseudonym Redactor.Pseudonym makes. The kind is part of the
// keyed hash, so the same value gets unrelated pseudonyms as a name and as
// a password, and the kind chooses what the pseudonym looks like.
const (
	// PseudoName is a person's name: "Grace Hopper" → "Jane Smith". The
	// first word is pseudonymised as a first name and the rest as a last
	// name, so the name agrees with the FirstName and LastName pseudonyms of
	// the same person; "Hopper, Grace" keeps its comma form; one word (an
	// operator's login) gives one first name.
	PseudoName = "name"
	// PseudoFirstName and PseudoLastName are the parts of a name.
	PseudoFirstName = "first-name"
	PseudoLastName  = "last-name"
	// PseudoEmail is an e-mail address, always at example.com (RFC 2606),
	// so no pseudonym is somebody's real address.
	PseudoEmail = "email"
	// PseudoCard is a card number as displayed: "100:1001" → "137:48213"
	// (facility and number pseudonymised apart, as PseudoFacility and
	// PseudoCardNumber, so the Genetec Facility and CardId fields of a
	// credential agree with its "150:7" in an event); a plain number stays
	// a number; anything else keeps its length and alphabet.
	PseudoCard = "card"
	// PseudoFacility and PseudoCardNumber are the numbers of a card: a
	// number below the same power-of-two-minus-one bound as the input
	// (255, 4095, 65535…), so it still fits the card format.
	PseudoFacility   = "facility"
	PseudoCardNumber = "card-number"
	// PseudoPIN is a PIN: digits, of the same length.
	PseudoPIN = "pin"
	// PseudoPassword is a password: "redacted-<8 hex>".
	PseudoPassword = "password"
	// PseudoSessionKey is a session key: same length and alphabet (a GUID
	// stays a GUID).
	PseudoSessionKey = "session-key"
	// PseudoToken is any other secret string (an encrypted login field, a
	// raw credential, a phone number): same length and alphabet.
	PseudoToken = "token"
)

// Redactor replaces secrets and personal data in exchanges by consistent
// pseudonyms (SPEC §9): the same kind and value always give the same
// pseudonym within one Redactor, across requests and answers, so a session
// key read from a redacted Login answer is the one later requests send, and
// a redacted recording still replays. Pseudonyms are an HMAC-SHA256 of the
// value under a key that is never written to the recording, so they cannot
// be reversed by hashing guesses.
//
// What is redacted, by name (case-insensitive):
//
//   - query parameters: password, userName (pseudonymised as a name; as a
//     token when encrypted=1), sdKey, ConnectedProgram and
//     operatorLoginKey (both are encrypted with the password); the filter
//     and listStartValue of a Cards list that runs on USERNAME, EMAIL or
//     CARDNUMBER; and in a Web SDK q=: FirstName, LastName, EmailAddress,
//     Email, MobilePhoneNumber, the Name of a cardholder or visitor
//     (after entity=NewEntity(Cardholder|Visitor) or entity=<a GUID known to
//     be one>, or in a CardholderConfiguration or Visitor report), the
//     numbers of every *CredentialFormat(…) constructor and the <Raw> of
//     inline credential XML;
//   - headers: Authorization (Basic: the user pseudonymised as a name, the
//     application ID kept, the password replaced; other schemes: the
//     credentials as a token), Cookie and Set-Cookie values;
//   - XML elements, SmartLinkDataRow items (by their key) and JSON keys:
//     SessionKey; UserName, OperatorName, FirstName, LastName (names);
//     Email, EmailAddress, OperatorEmail; CardNumber and CardNumber1..5;
//     Nip; Picture (replaced by a grey 1×1 JPEG); MobilePhoneNumber; the
//     P2TXT (card user) and P3TXT (card) of an access event row (ETXT says
//     "Access…" or "Card…"); the card and user of LastDoorAccess's
//     ACCESSn; Card (a Web SDK event's card); the Name of an entity whose
//     EntityType is Cardholder or Visitor, of a report row that has
//     FirstName or LastName, or of a GUID learned to be a person; and in a
//     credential format (an object with FormatId, FormatName or CardId, or
//     a Format member) Facility, CardId, UniqueId, RawData and Code.
//
// Component names (doors, readers, sites, access levels, schedules) are
// kept, so a replay shows the same site. After these rules, every string
// value is swept for full names, e-mails, "facility:number" cards and
// session keys already met, so one echoed in a fault message or an audit
// row is replaced too. The rules of both head-ends apply whatever the
// system: their names do not collide.
//
// A Redactor is safe for concurrent use; give it the exchanges in the order
// they are to be written, since what it learns from one (a cardholder's
// GUID, a name) serves the next.
type Redactor struct {
	key []byte

	mu    sync.Mutex
	cache map[string]string // kind "\x00" value → pseudonym
	// known maps a secret met so far to its pseudonym, for the final sweep
	// of string values; byPrefix indexes the longer ones by their first
	// four bytes, so the sweep costs one map look-up per word boundary
	// rather than one search per secret.
	known    map[string]string
	byPrefix map[string][]string
	// entities maps a lower-cased, dash-less Web SDK GUID to what it is
	// (entityPerson, entityCredential), learned from answers and creates.
	entities map[string]string
}

// What a Web SDK entity is, for the redaction of its Name.
const (
	entityPerson     = "person"
	entityCredential = "credential"
)

// NewRedactor returns a Redactor for a recording of system (SystemEntraPass
// or SystemGenetec; the rules of both apply whatever it is, so a recording
// of an unknown system is not left unredacted). key keys the pseudonyms; nil draws 32 random bytes, so
// that nobody, the recording's author included, can link a pseudonym to a
// guessed value. A fixed key gives the same pseudonyms in every Redactor.
func NewRedactor(system string, key []byte) *Redactor {
	if key == nil {
		key = make([]byte, 32)
		_, _ = rand.Read(key) // crypto/rand does not fail short
	}
	return &Redactor{
		key:      append([]byte(nil), key...),
		cache:    map[string]string{},
		known:    map[string]string{},
		byPrefix: map[string][]string{},
		entities: map[string]string{},
	}
}

// Pseudonym returns the pseudonym of value as a kind (PseudoName,
// PseudoCard…; an unknown kind is a PseudoToken). The empty string stays
// empty. The pseudonym never equals the value.
func (r *Redactor) Pseudonym(kind, value string) string {
	r.mu.Lock()
	defer r.mu.Unlock()
	return r.pseudo(kind, value)
}

// Exchange redacts e in place: its request (query, headers, body), its
// answer (headers, body or chunks) and its error text.
func (r *Redactor) Exchange(e *Exchange) {
	r.mu.Lock()
	defer r.mu.Unlock()
	ctx := r.request(&e.Request)
	r.response(ctx, &e.Response)
	e.Error = r.plain(e.Error)
}

// ---- pseudonyms ----

// pseudo is Pseudonym with r.mu held.
func (r *Redactor) pseudo(kind, value string) string {
	if value == "" {
		return ""
	}
	ck := kind + "\x00" + value
	if p, ok := r.cache[ck]; ok {
		return p
	}
	var p string
	switch kind {
	case PseudoName:
		p = r.fullName(value)
	case PseudoCard:
		p = r.card(value)
	default:
		// Another round of the hash when the pseudonym happens to be the
		// value itself (a fake "Ada" for "Ada"): a pseudonym must differ.
		for round := 0; round < 16; round++ {
			p = r.make(kind, value, round)
			if p != value {
				break
			}
		}
	}
	r.cache[ck] = p
	switch kind {
	case PseudoName:
		if strings.ContainsAny(strings.TrimSpace(value), " ,") {
			r.remember(value, p)
		}
	case PseudoEmail, PseudoCard, PseudoSessionKey:
		r.remember(value, p)
	case PseudoToken:
		if len(value) >= 16 {
			r.remember(value, p)
		}
	}
	return p
}

// sum is the keyed hash of a kind and value: kind and value are separated
// by a NUL so that ("ab","c") and ("a","bc") differ.
func (r *Redactor) sum(kind, value string, round int) []byte {
	h := hmac.New(sha256.New, r.key)
	h.Write([]byte(kind))
	h.Write([]byte{0})
	h.Write([]byte(value))
	if round > 0 {
		h.Write([]byte{0, byte(round)})
	}
	return h.Sum(nil)
}

// faker is gofakeit seeded by the keyed hash: deterministic for the key,
// and unpredictable without it.
func (r *Redactor) faker(kind, value string, round int) *gofakeit.Faker {
	seed := int64(binary.BigEndian.Uint64(r.sum(kind, value, round)) &^ (1 << 63))
	if seed == 0 {
		seed = 1 // gofakeit takes 0 for "seed me randomly"
	}
	return gofakeit.New(seed)
}

// make makes one candidate pseudonym of a simple kind.
func (r *Redactor) make(kind, value string, round int) string {
	switch kind {
	case PseudoFirstName:
		return r.faker(kind, value, round).FirstName()
	case PseudoLastName:
		return r.faker(kind, value, round).LastName()
	case PseudoEmail:
		f := r.faker(kind, value, round)
		return lettersOnly(f.FirstName()) + "." + lettersOnly(f.LastName()) + "@example.com"
	case PseudoPassword:
		return "redacted-" + hex.EncodeToString(r.sum(kind, value, round)[:4])
	case PseudoFacility, PseudoCardNumber:
		return r.number(kind, value, round)
	case PseudoPIN:
		return r.shaped(kind, value, round)
	}
	return r.shaped(kind, value, round)
}

// lettersOnly is s lower-cased with only its letters (an e-mail's local part
// from "O'Conner").
func lettersOnly(s string) string {
	var b strings.Builder
	for _, c := range strings.ToLower(s) {
		if c >= 'a' && c <= 'z' {
			b.WriteRune(c)
		}
	}
	return b.String()
}

// fullName pseudonymises a person's name part by part (see PseudoName).
func (r *Redactor) fullName(v string) string {
	if last, first, ok := strings.Cut(v, ","); ok {
		last, first = strings.TrimSpace(last), strings.TrimSpace(first)
		switch {
		case last == "":
			return r.pseudo(PseudoFirstName, first)
		case first == "":
			return r.pseudo(PseudoLastName, last)
		}
		return r.pseudo(PseudoLastName, last) + ", " + r.pseudo(PseudoFirstName, first)
	}
	words := strings.Fields(v)
	switch len(words) {
	case 0:
		return r.make(PseudoToken, v, 0)
	case 1:
		return r.pseudo(PseudoFirstName, words[0])
	}
	return r.pseudo(PseudoFirstName, words[0]) + " " + r.pseudo(PseudoLastName, strings.Join(words[1:], " "))
}

// cardNumberShape is a card number as displayed: facility:number.
var cardNumberShape = regexp.MustCompile(`^(\d+)([:/])(\d+)$`)

// card pseudonymises a card number (see PseudoCard).
func (r *Redactor) card(v string) string {
	if m := cardNumberShape.FindStringSubmatch(v); m != nil {
		return r.pseudo(PseudoFacility, m[1]) + m[2] + r.pseudo(PseudoCardNumber, m[3])
	}
	if allDigits(v) {
		return r.pseudo(PseudoCardNumber, v)
	}
	return r.pseudo(PseudoToken, v)
}

// allDigits reports whether s is a non-empty string of ASCII digits.
func allDigits(s string) bool {
	if s == "" {
		return false
	}
	for i := 0; i < len(s); i++ {
		if s[i] < '0' || s[i] > '9' {
			return false
		}
	}
	return true
}

// cardBounds are the maxima of card fields (8, 12, 16, 20, 24, 32 bits…): a
// pseudonym stays within the bound of its input, so a facility code of a
// 26-bit card stays a valid facility code.
var cardBounds = []uint64{255, 4095, 65535, 1048575, 16777215, 4294967295, 1<<40 - 1, 1<<48 - 1, 1<<56 - 1}

// number pseudonymises a decimal number within its bound, keeping the
// leading zeros (the width) of one written with them.
func (r *Redactor) number(kind, v string, round int) string {
	n, err := strconv.ParseUint(v, 10, 64)
	if !allDigits(v) || err != nil || n > cardBounds[len(cardBounds)-1] {
		return r.shaped(kind, v, round)
	}
	bound := cardBounds[0]
	for _, b := range cardBounds {
		if n <= b {
			bound = b
			break
		}
	}
	h := binary.BigEndian.Uint64(r.sum(kind, v, round))
	p := 1 + h%bound
	if p == n {
		p = p%bound + 1
	}
	out := strconv.FormatUint(p, 10)
	if len(v) > 1 && v[0] == '0' && len(out) < len(v) {
		out = strings.Repeat("0", len(v)-len(out)) + out
	}
	return out
}

// shaped pseudonymises v keeping its length and alphabet: a hexadecimal
// string (a GUID, raw card data) stays hexadecimal in the same case and
// with its dashes and braces, otherwise digits stay digits, letters stay
// letters of the same case, and the rest (+ / = - …) is kept.
func (r *Redactor) shaped(kind, v string, round int) string {
	// Hexadecimal: only hex digits (and GUID punctuation), with at least one
	// letter; a string of digits stays digits.
	isHex := strings.ContainsAny(v, "abcdefABCDEF")
	for _, c := range v {
		if !strings.ContainsRune("0123456789abcdefABCDEF-{}", c) {
			isHex = false
			break
		}
	}
	upper := strings.ToUpper(v) == v && strings.ToLower(v) != v
	stream := r.stream(kind, v, round)
	var b strings.Builder
	for _, c := range v {
		x := stream()
		switch {
		case isHex && (c >= '0' && c <= '9' || c >= 'a' && c <= 'f' || c >= 'A' && c <= 'F'):
			d := "0123456789abcdef"[x%16]
			if upper || c >= 'A' && c <= 'F' {
				d = "0123456789ABCDEF"[x%16]
			}
			b.WriteByte(d)
		case c >= '0' && c <= '9':
			b.WriteByte('0' + x%10)
		case c >= 'a' && c <= 'z':
			b.WriteByte('a' + x%26)
		case c >= 'A' && c <= 'Z':
			b.WriteByte('A' + x%26)
		case unicode.IsLetter(c):
			b.WriteByte('a' + x%26)
		default:
			b.WriteRune(c)
		}
	}
	return b.String()
}

// stream returns a generator of pseudo-random bytes: the keyed hash in
// counter mode.
func (r *Redactor) stream(kind, v string, round int) func() byte {
	var buf []byte
	block := 0
	return func() byte {
		if len(buf) == 0 {
			h := hmac.New(sha256.New, r.key)
			h.Write(r.sum(kind, v, round))
			h.Write([]byte(strconv.Itoa(block)))
			buf = h.Sum(nil)
			block++
		}
		x := buf[0]
		buf = buf[1:]
		return x
	}
}

// remember records a secret for the final sweep.
func (r *Redactor) remember(value, p string) {
	if len(value) < 4 || value == p {
		return
	}
	if _, ok := r.known[value]; ok {
		return
	}
	r.known[value] = p
	k := value[:4]
	l := append(r.byPrefix[k], value)
	// Longest first, so "Grace Hopper-Smith" wins over "Grace Hopper".
	sort.Slice(l, func(i, j int) bool { return len(l[i]) > len(l[j]) })
	r.byPrefix[k] = l
}

// sweep replaces in s every secret already met, where it stands as a word
// of its own (not inside a longer word).
func (r *Redactor) sweep(s string) string {
	if len(s) < 4 || len(r.known) == 0 {
		return s
	}
	if p, ok := r.known[s]; ok {
		return p
	}
	var b strings.Builder
	at := 0
	for i := 0; i+4 <= len(s); i++ {
		if i < at || (i > 0 && isWordByte(s[i-1]) && isWordByte(s[i])) {
			continue
		}
		for _, k := range r.byPrefix[s[i:i+4]] {
			end := i + len(k)
			if end > len(s) || s[i:end] != k || (end < len(s) && isWordByte(s[end-1]) && isWordByte(s[end])) {
				continue
			}
			b.WriteString(s[at:i])
			b.WriteString(r.known[k])
			at = end
			break
		}
	}
	if at == 0 {
		return s
	}
	b.WriteString(s[at:])
	return b.String()
}

func isWordByte(c byte) bool {
	return c >= '0' && c <= '9' || c >= 'a' && c <= 'z' || c >= 'A' && c <= 'Z' || c >= 0x80
}

// urlSecret finds a secret query parameter quoted in free text (an error
// message that quotes a URL).
var urlSecret = regexp.MustCompile(`(?i)\b(password|sdkey|username|connectedprogram|operatorloginkey)=([^&\s"'<>]+)`)

// plain redacts free text: secret parameters of quoted URLs, then the sweep.
func (r *Redactor) plain(s string) string {
	if s == "" {
		return s
	}
	if strings.IndexByte(s, '=') < 0 {
		return r.sweep(s)
	}
	s = urlSecret.ReplaceAllStringFunc(s, func(m string) string {
		name, v, _ := strings.Cut(m, "=")
		kind := PseudoToken
		switch strings.ToLower(name) {
		case "password":
			kind = PseudoPassword
		case "sdkey":
			kind = PseudoSessionKey
		}
		if dv, err := url.QueryUnescape(v); err == nil {
			return name + "=" + url.QueryEscape(r.pseudo(kind, dv))
		}
		return name + "=" + r.pseudo(kind, v)
	})
	return r.sweep(s)
}

// ---- requests ----

// reqContext is what the answer's redaction needs to know of its request.
type reqContext struct {
	// targets are what each entity= of a q= is (entityPerson,
	// entityCredential or ""), in order.
	targets []string
}

// request redacts a request in place.
func (r *Redactor) request(q *Request) *reqContext {
	ctx := &reqContext{}
	q.Query = r.query(q.Path, q.Query, ctx)
	r.headers(q.Header)
	if b, err := q.Bytes(); err == nil && len(b) > 0 {
		SetBody(r.body(b, ctx), &q.Body, &q.Body64)
	}
	return ctx
}

// query redacts a raw query string. Parameters that need no change keep
// their bytes as sent; changed values are percent-encoded with %20 for a
// space (both head-ends read it).
func (r *Redactor) query(path, raw string, ctx *reqContext) string {
	if raw == "" {
		return raw
	}
	pairs := strings.Split(raw, "&")
	type param struct{ name, value string }
	ps := make([]param, len(pairs))
	for i, p := range pairs {
		k, v, _ := strings.Cut(p, "=")
		ps[i].name, ps[i].value = queryUnescape(k), queryUnescape(v)
	}
	get := func(name string) string {
		for _, p := range ps {
			if strings.EqualFold(p.name, name) {
				return p.value
			}
		}
		return ""
	}
	encrypted := false
	if v := strings.ToLower(get("encrypted")); v == "1" || v == "true" {
		encrypted = true
	}
	index := strings.ToUpper(strings.TrimSpace(get("listIndex")))
	filterField := index
	if f := strings.TrimSpace(get("listFieldFilter")); f != "" {
		filterField = strings.ToUpper(f)
	}
	for i, p := range pairs {
		k, _, hasValue := strings.Cut(p, "=")
		if !hasValue || ps[i].value == "" {
			continue
		}
		v := ps[i].value
		var nv string
		switch strings.ToLower(ps[i].name) {
		case "password":
			nv = r.pseudo(PseudoPassword, v)
		case "username":
			if encrypted {
				nv = r.pseudo(PseudoToken, v)
			} else {
				nv = r.pseudo(PseudoName, v)
			}
		case "sdkey":
			nv = r.pseudo(PseudoSessionKey, v)
		case "connectedprogram", "operatorloginkey":
			nv = r.pseudo(PseudoToken, v)
		case "filter":
			nv = r.listValue(filterField, v)
		case "liststartvalue":
			nv = r.listValue(index, v)
		case "q":
			nv = r.webSDKQuery(path, v, ctx)
		default:
			nv = r.plain(v)
		}
		if nv != v {
			pairs[i] = k + "=" + strings.ReplaceAll(url.QueryEscape(nv), "+", "%20")
		}
	}
	return strings.Join(pairs, "&")
}

// queryUnescape percent-decodes a query component ('+' is a space), or returns
// it as it is when it is not valid percent-encoding.
func queryUnescape(s string) string {
	if d, err := url.QueryUnescape(s); err == nil {
		return d
	}
	return s
}

// listValue redacts the filter or start value of a Cards list, by the
// field it applies to. planqr writes ':' as "[COLON]".
func (r *Redactor) listValue(field, v string) string {
	const colon = "[COLON]"
	switch {
	case field == "USERNAME":
		return r.pseudo(PseudoName, v)
	case field == "EMAIL":
		return r.pseudo(PseudoToken, v)
	case strings.HasPrefix(field, "CARDNUMBER"):
		return strings.ReplaceAll(r.pseudo(PseudoCard, strings.ReplaceAll(v, colon, ":")), ":", colon)
	}
	return r.plain(v)
}

// headers redacts credentials in headers.
func (r *Redactor) headers(h map[string][]string) {
	for name, vs := range h {
		switch strings.ToLower(name) {
		case "authorization", "proxy-authorization":
			for i, v := range vs {
				vs[i] = r.authorization(v)
			}
		case "cookie", "set-cookie":
			for i, v := range vs {
				vs[i] = r.cookie(v)
			}
		}
	}
}

// authorization redacts an Authorization value. Basic keeps its
// user;applicationId:password structure: the application ID licenses the
// integration and is no secret, and a replay against a live server must
// send it.
func (r *Redactor) authorization(v string) string {
	scheme, cred, ok := strings.Cut(strings.TrimSpace(v), " ")
	if !ok {
		return r.pseudo(PseudoToken, v)
	}
	cred = strings.TrimSpace(cred)
	if !strings.EqualFold(scheme, "basic") {
		return scheme + " " + r.pseudo(PseudoToken, cred)
	}
	raw, err := base64.StdEncoding.DecodeString(cred)
	if err != nil {
		return scheme + " " + r.pseudo(PseudoToken, cred)
	}
	userPart, pass, hasPass := strings.Cut(string(raw), ":")
	user, app, hasApp := strings.Cut(userPart, ";")
	out := r.pseudo(PseudoName, user)
	if hasApp {
		out += ";" + app
	}
	if hasPass {
		out += ":" + r.pseudo(PseudoPassword, pass)
	}
	return scheme + " " + base64.StdEncoding.EncodeToString([]byte(out))
}

// cookie replaces the values of a Cookie or Set-Cookie header (name=value
// pairs; the attributes of Set-Cookie, Path=/ and so on, are kept).
func (r *Redactor) cookie(v string) string {
	parts := strings.Split(v, ";")
	for i, p := range parts {
		k, val, ok := strings.Cut(p, "=")
		if !ok || val == "" {
			continue
		}
		switch strings.ToLower(strings.TrimSpace(k)) {
		case "path", "domain", "expires", "max-age", "samesite":
			continue
		}
		parts[i] = k + "=" + r.pseudo(PseudoToken, val)
	}
	return strings.Join(parts, ";")
}

// ---- the Web SDK's q= ----

// credentialCall is a credential format constructor with its arguments.
var credentialCall = regexp.MustCompile(`(?i)\b([A-Za-z0-9]*CredentialFormat)\(([^()]*)\)`)

// rawElement is the <Raw> of inline credential XML (UndecodedWiegand).
var rawElement = regexp.MustCompile(`(?is)(<Raw>)([^<]*)(</Raw>)`)

// personReports are the reports whose Name= filters are people's names.
var personReports = map[string]bool{"cardholderconfiguration": true, "visitor": true, "cardholderactivity": true, "visitoractivity": true}

// webSDKQuery redacts a decoded q= and notes in ctx which entities it
// addresses.
func (r *Redactor) webSDKQuery(path, q string, ctx *reqContext) string {
	report := ""
	if i := strings.LastIndex(strings.ToLower(path), "/report/"); i >= 0 {
		report = strings.ToLower(strings.Trim(path[i+len("/report/"):], "/"))
	}
	var edits []bodyEdit
	current := ""
	if personReports[report] {
		current = entityPerson
	}
	for _, t := range splitTerms(q) {
		eq := setIndex(q[t[0]:t[1]])
		if eq < 0 {
			// EntityTypes@Cardholder: the Name= that follows searches people.
			if types, ok := strings.CutPrefix(strings.ToLower(strings.TrimSpace(q[t[0]:t[1]])), "entitytypes@"); ok {
				for _, typ := range strings.Split(types, "@") {
					if typ == "cardholder" || typ == "visitor" {
						current = entityPerson
					}
				}
			}
			continue
		}
		name := strings.ToLower(strings.TrimSpace(q[t[0] : t[0]+eq]))
		vs, ve := t[0]+eq+1, t[1]
		raw := q[vs:ve]
		val := strings.TrimSpace(unescapeQ(raw))
		kind := ""
		switch name {
		case "entity":
			current = r.entityOf(val)
			ctx.targets = append(ctx.targets, current)
			continue
		case "firstname":
			kind = PseudoFirstName
		case "lastname":
			kind = PseudoLastName
		case "emailaddress", "email":
			kind = PseudoEmail
		case "mobilephonenumber":
			kind = PseudoToken
		case "name":
			if current == entityPerson {
				kind = PseudoName
			}
		}
		if kind == "" || val == "" {
			continue
		}
		// Keep the white space around the value as it was.
		lead := len(raw) - len(strings.TrimLeft(raw, " "))
		trail := len(raw) - len(strings.TrimRight(raw, " "))
		edits = append(edits, bodyEdit{vs + lead, ve - trail, []byte(escapeQ(r.pseudo(kind, val)))})
	}
	r.personCombos(q)
	for _, m := range credentialCall.FindAllStringSubmatchIndex(q, -1) {
		edits = append(edits, bodyEdit{m[4], m[5], []byte(r.credentialArgs(q[m[2]:m[3]], q[m[4]:m[5]]))})
	}
	for _, m := range rawElement.FindAllStringSubmatchIndex(q, -1) {
		if m[5] > m[4] {
			edits = append(edits, bodyEdit{m[4], m[5], []byte(r.pseudo(PseudoToken, q[m[4]:m[5]]))})
		}
	}
	return r.sweep(string(applyEdits([]byte(q), edits)))
}

// personCombos remembers "First Last" for a q= that sets both, so that the
// full name met later (a Name in an answer, an audit row) is swept too.
func (r *Redactor) personCombos(q string) {
	var first, last string
	for _, t := range splitTerms(q) {
		term := q[t[0]:t[1]]
		eq := setIndex(term)
		if eq < 0 {
			continue
		}
		switch strings.ToLower(strings.TrimSpace(term[:eq])) {
		case "entity":
			first, last = "", ""
		case "firstname":
			first = strings.TrimSpace(unescapeQ(term[eq+1:]))
		case "lastname":
			last = strings.TrimSpace(unescapeQ(term[eq+1:]))
		}
		if first != "" && last != "" {
			r.combo(first, last, r.pseudo(PseudoFirstName, first), r.pseudo(PseudoLastName, last))
		}
	}
}

// credentialArgs redacts the arguments of a credential format constructor:
// facility and card number, a card number alone, or a keypad code.
func (r *Redactor) credentialArgs(call, args string) string {
	parts := strings.Split(args, ",")
	trimmed := make([]string, len(parts))
	for i, p := range parts {
		trimmed[i] = strings.TrimSpace(p)
	}
	kinds := make([]string, len(parts))
	switch {
	case strings.Contains(strings.ToLower(call), "keypad"):
		for i := range kinds {
			kinds[i] = PseudoPIN
		}
	case len(parts) == 2:
		kinds[0], kinds[1] = PseudoFacility, PseudoCardNumber
		if allDigits(trimmed[0]) && allDigits(trimmed[1]) {
			// The card as readers and events show it, for the sweep.
			r.pseudo(PseudoCard, trimmed[0]+":"+trimmed[1])
		}
	default:
		for i := range kinds {
			kinds[i] = PseudoCardNumber
		}
	}
	for i, p := range parts {
		if trimmed[i] == "" || trimmed[i] == "0" {
			continue
		}
		kind := kinds[i]
		if !allDigits(trimmed[i]) && kind != PseudoPIN {
			kind = PseudoToken
		}
		parts[i] = strings.Replace(p, trimmed[i], r.pseudo(kind, trimmed[i]), 1)
	}
	return strings.Join(parts, ",")
}

// entityOf says what the entity named by an entity= value is.
func (r *Redactor) entityOf(v string) string {
	lv := strings.ToLower(strings.ReplaceAll(v, " ", ""))
	switch {
	case strings.HasPrefix(lv, "newentity(cardholder)"), strings.HasPrefix(lv, "newentity(visitor)"):
		return entityPerson
	case strings.HasPrefix(lv, "newentity(credential)"):
		return entityCredential
	}
	return r.entities[guidKey(v)]
}

// guidKey is a GUID as the entity table keys it: lower case, no dashes or
// braces (the Web SDK accepts every spelling).
func guidKey(g string) string {
	return strings.NewReplacer("-", "", "{", "", "}", "").Replace(strings.ToLower(strings.TrimSpace(g)))
}

// splitTerms returns the [start, end) of each top-level comma-separated
// term of a q=: commas inside (), {}, "…" or inline XML, and escaped ones,
// do not split.
func splitTerms(q string) [][2]int {
	var out [][2]int
	depth, start := 0, 0
	quoted, inXML := false, 0
	for i := 0; i < len(q); i++ {
		c := q[i]
		switch {
		case c == '\\':
			i++
		case quoted:
			if c == '"' {
				quoted = false
			}
		case c == '"':
			quoted = true
		case c == '<':
			inXML++
		case c == '>' && inXML > 0:
			inXML--
		case c == '(' || c == '{':
			depth++
		case (c == ')' || c == '}') && depth > 0:
			depth--
		case c == ',' && depth == 0 && inXML == 0:
			out = append(out, [2]int{start, i})
			start = i + 1
		}
	}
	return append(out, [2]int{start, len(q)})
}

// setIndex is the index of the '=' of a Prop=Value term, or -1 for a term
// that sets nothing (a read, a call, Prop@X).
func setIndex(term string) int {
	for i := 0; i < len(term); i++ {
		switch term[i] {
		case '\\':
			i++
		case '=':
			return i
		case '(', '@', '{', '"', '<':
			return -1
		}
	}
	return -1
}

// unescapeQ removes the q= escapes (a backslash makes the next character
// literal).
func unescapeQ(s string) string {
	if !strings.Contains(s, `\`) {
		return s
	}
	var b strings.Builder
	for i := 0; i < len(s); i++ {
		if s[i] == '\\' && i+1 < len(s) {
			i++
		}
		b.WriteByte(s[i])
	}
	return b.String()
}

// escapeQ escapes a value written after '=' in q=.
func escapeQ(s string) string {
	var b strings.Builder
	for _, c := range s {
		if strings.ContainsRune(`,()\{}#`, c) {
			b.WriteByte('\\')
		}
		b.WriteRune(c)
	}
	return b.String()
}

// ---- answers and bodies ----

// response redacts an answer in place. A streamed answer's chunks are
// redacted as one text (an event may straddle two chunks) and cut again at
// the same places, so each chunk keeps its time.
func (r *Redactor) response(ctx *reqContext, resp *Response) {
	r.headers(resp.Header)
	if len(resp.Chunks) == 0 {
		if b, err := resp.Bytes(); err == nil && len(b) > 0 {
			SetBody(r.body(b, ctx), &resp.Body, &resp.Body64)
		}
		return
	}
	var whole []byte
	cuts := make([]int, len(resp.Chunks)) // where each chunk ends
	for i := range resp.Chunks {
		b, err := resp.Chunks[i].Bytes()
		if err != nil {
			return
		}
		whole = append(whole, b...)
		cuts[i] = len(whole)
	}
	edits := disjointEdits(r.lines(whole, ctx, 0))
	out := applyEdits(whole, edits)
	// Move each cut through the edits: one inside an edited span goes to
	// its end, so a replaced value is never split.
	at := 0
	for i := range resp.Chunks {
		end := shiftOffset(cuts[i], edits)
		if i == len(resp.Chunks)-1 {
			end = len(out)
		}
		end = max(min(end, len(out)), at)
		SetBody(out[at:end], &resp.Chunks[i].Data, &resp.Chunks[i].Data64)
		at = end
	}
}

// shiftOffset maps an offset of a body to its offset after the (sorted, disjoint)
// edits.
func shiftOffset(off int, edits []bodyEdit) int {
	d := 0
	for _, e := range edits {
		switch {
		case off <= e.start:
			return off + d
		case off < e.end:
			return e.start + d + len(e.repl)
		}
		d += len(e.repl) - (e.end - e.start)
	}
	return off + d
}

// body redacts a whole body: one XML or JSON document, else line by line
// (the Web SDK's event stream, plain text).
func (r *Redactor) body(b []byte, ctx *reqContext) []byte {
	return applyEdits(b, r.doc(b, ctx, 0))
}

// doc returns the edits that redact b as a document, b starting at off in
// the whole body.
func (r *Redactor) doc(b []byte, ctx *reqContext, off int) []bodyEdit {
	var edits []bodyEdit
	if root, ok := parseJSON(b); ok {
		r.jsonDoc(root, ctx, newObjEditor(&edits, off))
		return edits
	}
	ed := newObjEditor(&edits, off)
	if o, ok := ed.fastRows(b); ok {
		r.object(o, r.resultKinds(ctx), "")
		return edits
	}
	if root, ok := parseXML(b); ok {
		r.xmlDoc(root, ctx, ed)
		return edits
	}
	return r.lines(b, ctx, off)
}

// lines redacts b line by line: a line that is a JSON or XML document as
// such, any other as free text.
func (r *Redactor) lines(b []byte, ctx *reqContext, off int) []bodyEdit {
	var edits []bodyEdit
	start := 0
	for start < len(b) {
		end := bytes.IndexByte(b[start:], '\n')
		if end < 0 {
			end = len(b)
		} else {
			end += start
		}
		line := bytes.TrimRight(b[start:end], "\r")
		if t := bytes.TrimSpace(line); len(t) > 0 {
			var sub []bodyEdit
			if root, ok := parseJSON(line); ok {
				r.jsonDoc(root, ctx, newObjEditor(&sub, off+start))
			} else if root, ok := parseXML(line); ok {
				r.xmlDoc(root, ctx, newObjEditor(&sub, off+start))
			} else if p := r.plain(string(line)); p != string(line) {
				sub = append(sub, bodyEdit{off + start, off + start + len(line), []byte(p)})
			}
			edits = append(edits, sub...)
		}
		start = end + 1
	}
	return edits
}

// A body's structure, seen the same way whatever its syntax: an object is
// a list of fields, a field a key with a leaf value (text, that can be
// replaced) or an object. A JSON array is the same key repeated; an XML
// element with child elements is an object; a SmartLinkDataRow item is the
// field its <key> names; a legacy Web SDK <Cell name="X"> is field X.
type redactObj struct {
	fields []redactField
}

type redactField struct {
	key  string
	leaf bool
	num  bool   // a JSON number: its replacement must be digits
	val  string // a leaf's text
	obj  *redactObj
	set  func(string) // replaces a leaf's text
}

// get returns the text of the first leaf named key (case-insensitive).
func (o *redactObj) get(key string) (string, bool) {
	for _, f := range o.fields {
		if f.leaf && strings.EqualFold(f.key, key) {
			return f.val, true
		}
	}
	return "", false
}

// has reports whether o has a field named key.
func (o *redactObj) has(key string) bool {
	for _, f := range o.fields {
		if strings.EqualFold(f.key, key) {
			return true
		}
	}
	return false
}

// objEditor collects edits to a body.
type objEditor struct {
	edits *[]bodyEdit
	off   int
}

func newObjEditor(edits *[]bodyEdit, off int) objEditor { return objEditor{edits, off} }

// jsonObj is the structure of a JSON value. A non-object root becomes an
// object with one field "" (an array: that field repeated).
func (ed objEditor) jsonObj(n *jsonNode) *redactObj {
	o := &redactObj{}
	if n.kind == jsonObject {
		for i, k := range n.keys {
			ed.jsonFields(o, k, n.vals[i])
		}
		return o
	}
	ed.jsonFields(o, "", n)
	return o
}

func (ed objEditor) jsonFields(o *redactObj, key string, v *jsonNode) {
	switch v.kind {
	case jsonObject:
		o.fields = append(o.fields, redactField{key: key, obj: ed.jsonObj(v)})
	case jsonArray:
		for _, it := range v.items {
			ed.jsonFields(o, key, it)
		}
	case jsonString, jsonNumber:
		n := v
		o.fields = append(o.fields, redactField{key: key, leaf: true, num: v.kind == jsonNumber, val: v.str, set: func(s string) {
			repl := jsonQuoted(s)
			if n.kind == jsonNumber {
				repl = []byte(s)
			}
			*ed.edits = append(*ed.edits, bodyEdit{ed.off + n.start, ed.off + n.end, repl})
		}})
	}
}

// xmlObj is the structure of an XML element.
func (ed objEditor) xmlObj(n *xmlNode) *redactObj {
	o := &redactObj{}
	for _, k := range n.kids {
		key, v := k.name, k
		if k.name == "Cell" {
			if name, ok := k.attr("name"); ok {
				key = name
			}
		}
		if k.name == "item" {
			// <item><key><string>K</string></key><value><SmartLinkDataValue><Value>V…
			if kk := k.child("key"); kk != nil {
				if s := kk.child("string"); s != nil {
					key = s.text
					v = nil
					if vv := k.child("value"); vv != nil {
						if sv := vv.child("SmartLinkDataValue"); sv != nil {
							v = sv.child("Value")
						}
					}
					if v == nil {
						continue
					}
				}
			}
		}
		if len(v.kids) > 0 {
			o.fields = append(o.fields, redactField{key: key, obj: ed.xmlObj(v)})
			continue
		}
		leaf := v
		o.fields = append(o.fields, redactField{key: key, leaf: true, val: v.text, set: func(s string) {
			if leaf.end > leaf.start { // never write into a self-closed <x/>
				*ed.edits = append(*ed.edits, bodyEdit{ed.off + leaf.start, ed.off + leaf.end, xmlEscaped(s)})
			}
		}})
	}
	return o
}

// jsonDoc redacts a JSON document.
func (r *Redactor) jsonDoc(root *jsonNode, ctx *reqContext, ed objEditor) {
	r.object(ed.jsonObj(root), r.resultKinds(ctx), "")
}

// xmlDoc redacts an XML document.
func (r *Redactor) xmlDoc(root *xmlNode, ctx *reqContext, ed objEditor) {
	o := &redactObj{}
	if len(root.kids) > 0 {
		o.fields = []redactField{{key: root.name, obj: ed.xmlObj(root)}}
	} else {
		leaf := root
		o.fields = []redactField{{key: root.name, leaf: true, val: root.text, set: func(s string) {
			if leaf.end > leaf.start {
				*ed.edits = append(*ed.edits, bodyEdit{ed.off + leaf.start, ed.off + leaf.end, xmlEscaped(s)})
			}
		}}}
	}
	r.object(o, r.resultKinds(ctx), "")
}

// resultKinds are what the objects of a Web SDK answer are, by the entity=
// of its request: one per entity= in a chained read.
func (r *Redactor) resultKinds(ctx *reqContext) []string {
	if ctx == nil {
		return nil
	}
	return ctx.targets
}

// isWebSDKEnvelope tells the keys of a Web SDK answer's envelope (Rsp, WebSdk,
// Result, and "" for a JSON root that is not an object): the result under
// them is what the request's entity= describe.
func isWebSDKEnvelope(key string) bool {
	switch strings.ToLower(key) {
	case "rsp", "websdk", "result", "":
		return true
	}
	return false
}

// kindFormat marks a credential format object (the Format of a credential).
const kindFormat = "format"

// object applies the rules to an object. targets are the kinds of the
// request's entities, for the result objects of an answer; kind is what
// this object is known to be ("" when unknown).
func (r *Redactor) object(o *redactObj, targets []string, kind string) {
	if t, ok := o.get("EntityType"); ok {
		switch strings.ToLower(t) {
		case "cardholder", "visitor":
			kind = entityPerson
		case "credential":
			kind = entityCredential
		}
	}
	if o.has("FirstName") || o.has("LastName") {
		kind = entityPerson
	}
	guid, _ := o.get("Guid")
	if kind == "" && guid != "" {
		kind = r.entities[guidKey(guid)]
	}
	if kind == "" && len(targets) == 1 && !o.has("Result") {
		// A result (a legacy <rsp> holds its properties itself).
		kind = targets[0]
	}
	if guid != "" && (kind == entityPerson || kind == entityCredential) {
		r.entities[guidKey(guid)] = kind
	}
	format := kind == kindFormat || o.has("FormatId") || o.has("FormatName") || o.has("CardId")
	access := false
	if etxt, ok := o.get("ETXT"); ok {
		l := strings.ToLower(etxt)
		access = strings.HasPrefix(l, "access") || strings.HasPrefix(l, "card")
	}

	// Results: one object per entity= of a chained read, in order.
	results := 0
	for _, f := range o.fields {
		if f.obj != nil && strings.EqualFold(f.key, "Result") {
			results++
		}
	}
	ri := 0
	var first, last, firstP, lastP string
	for _, f := range o.fields {
		if f.obj != nil {
			childKind := ""
			var childTargets []string
			switch {
			case isWebSDKEnvelope(f.key):
				childTargets = targets
				if strings.EqualFold(f.key, "Result") && results > 1 && results == len(targets) {
					childKind, childTargets = targets[ri], nil
					ri++
				}
			case strings.EqualFold(f.key, "Format"):
				childKind = kindFormat
			}
			r.object(f.obj, childTargets, childKind)
			continue
		}
		if !f.leaf || f.val == "" {
			continue
		}
		p := r.leaf(f, kind, format, access)
		switch strings.ToLower(f.key) {
		case "firstname":
			first, firstP = f.val, p
		case "lastname":
			last, lastP = f.val, p
		}
		if p != f.val {
			f.set(p)
		}
	}
	if first != "" && last != "" {
		r.combo(first, last, firstP, lastP)
	}
}

// combo makes "First Last" the name of a person whose first and last names
// were met apart (FirstName=, LastName=), unless that name has a pseudonym
// already, and remembers it for the sweep: a Name or an audit row shows
// the full name.
func (r *Redactor) combo(first, last, firstP, lastP string) {
	full := first + " " + last
	ck := PseudoName + "\x00" + full
	if _, ok := r.cache[ck]; !ok {
		r.cache[ck] = firstP + " " + lastP
	}
	r.remember(full, r.cache[ck])
}

// lastAccessItem is an ACCESSn item of LastDoorAccess: "yyyy-MM-dd  HH:mm:ss
// Access granted <card> <user>".
var lastAccessItem = regexp.MustCompile(`(?i)^(.*?\baccess (?:granted|denied)\S*\s+)(\S+)(?:\s(.+))?$`)

// leaf returns the redacted text of one leaf field of an object of kind.
func (r *Redactor) leaf(f redactField, kind string, format, access bool) string {
	v := f.val
	k := strings.ToLower(f.key)
	switch {
	case k == "sessionkey":
		return r.pseudo(PseudoSessionKey, v)
	case k == "username" || k == "operatorname" || k == "cardholdername":
		return r.pseudo(PseudoName, v)
	case k == "firstname":
		return r.pseudo(PseudoFirstName, v)
	case k == "lastname":
		return r.pseudo(PseudoLastName, v)
	case k == "email" || k == "emailaddress" || k == "operatoremail":
		return r.pseudo(PseudoEmail, v)
	case k == "mobilephonenumber" || k == "phonenumber":
		return r.pseudo(PseudoToken, v)
	case k == "cardnumber" || (strings.HasPrefix(k, "cardnumber") && allDigits(k[len("cardnumber"):])):
		return r.pseudo(PseudoCard, v)
	case k == "card" && !f.num:
		return r.pseudo(PseudoCard, v)
	case k == "nip":
		return r.pseudo(PseudoPIN, v)
	case k == "picture" && len(v) > 100:
		// A picture, not a reference to one.
		return placeholderJPEG
	case k == "name" && kind == entityPerson:
		return r.pseudo(PseudoName, v)
	case k == "p2txt" && access:
		return r.pseudo(PseudoName, v)
	case k == "p3txt" && access:
		return r.pseudo(PseudoCard, v)
	case strings.HasPrefix(k, "access") && allDigits(k[len("access"):]):
		if m := lastAccessItem.FindStringSubmatch(v); m != nil {
			out := m[1] + r.pseudo(PseudoCard, m[2])
			if m[3] != "" {
				out += " " + r.pseudo(PseudoName, m[3])
			}
			return out
		}
	case format:
		switch k {
		case "facility":
			if v != "0" {
				return r.pseudo(PseudoFacility, v)
			}
		case "cardid":
			if v != "0" {
				return r.pseudo(PseudoCardNumber, v)
			}
		case "uniqueid":
			// "<raw hex>|<bits>", or "<code>|Keypad".
			id, rest, _ := strings.Cut(v, "|")
			if rest != "" {
				rest = "|" + rest
			}
			return r.pseudo(PseudoToken, id) + rest
		case "rawdata", "raw":
			return r.pseudo(PseudoToken, v)
		case "code":
			return r.pseudo(PseudoPIN, v)
		}
	}
	if f.num {
		return v
	}
	return r.plain(v)
}

// placeholderJPEG replaces pictures of people: a grey 1×1 JPEG, so that a
// client that decodes the picture still gets one.
var placeholderJPEG = func() string {
	img := image.NewGray(image.Rect(0, 0, 1, 1))
	img.Set(0, 0, color.Gray{Y: 128})
	var buf bytes.Buffer
	_ = jpeg.Encode(&buf, img, nil) // into memory: cannot fail
	return base64.StdEncoding.EncodeToString(buf.Bytes())
}()
