package entrapass_test

import (
	"bytes"
	"crypto/sha256"
	"encoding/base64"
	"encoding/hex"
	"fmt"
	"io"
	"net/http"
	"os"
	"strconv"
	"strings"
	"sync"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/pacsim/pacsim/driver/entrapass"
)

// testJPEG is a small stand-in for a JPEG: the SOI marker, an APP0 (JFIF)
// segment start, some payload of its own and the EOI marker.
func testJPEG(payload string) []byte {
	b := []byte{0xFF, 0xD8, 0xFF, 0xE0, 0x00, 0x10, 'J', 'F', 'I', 'F', 0x00}
	b = append(b, payload...)
	return append(b, 0xFF, 0xD9)
}

func summary(jpeg []byte) string {
	sum := sha256.Sum256(jpeg)
	return fmt.Sprintf("%d bytes, sha256 %s", len(jpeg), hex.EncodeToString(sum[:]))
}

// TestUsersPhoto: a photo is stored with a card user and read back
// (UM-PHOTO); replacing it is audited from the old photo to the new, by
// size and SHA-256 only. A user without a photo answers ErrNoPhoto; an
// unknown user is the server's fault, audited as failed.
func TestUsersPhoto(t *testing.T) {
	f := newUsers(t, nil, "pacsim", "pacsim")
	const card = "100:5040"
	id, err := f.u.Add(ctx(t), "TCK-40", newUser("Photo Test", card, entrapass.SiteLevel{Site: siteOffice, Level: lvlOffice}))
	require.NoError(t, err)

	_, err = f.u.Photo(ctx(t), id)
	require.ErrorIs(t, err, entrapass.ErrNoPhoto)
	_, err = f.u.Photo(ctx(t), idAlice)
	require.ErrorIs(t, err, entrapass.ErrNoPhoto, "a user of the site file has none")

	first := testJPEG("first photo")
	require.NoError(t, f.u.SetPhoto(ctx(t), "TCK-41", id, first))
	got, err := f.u.Photo(ctx(t), id)
	require.NoError(t, err)
	assert.Equal(t, first, got)
	_, err = f.u.Photo(ctx(t), idAlice)
	assert.ErrorIs(t, err, entrapass.ErrNoPhoto, "another user's photo is not touched")

	second := testJPEG("second photo, a little longer")
	require.NoError(t, f.u.SetPhoto(ctx(t), "TCK-42", id, second))
	got, err = f.u.Photo(ctx(t), id)
	require.NoError(t, err)
	assert.Equal(t, second, got)

	// The photo stays with the user when the user is changed; the card
	// still works.
	require.NoError(t, f.u.CompleteBatchCard(ctx(t), "TCK-43", id, "Photo Renamed", []entrapass.SiteLevel{{Site: siteOffice, Level: lvlOffice}}))
	got, err = f.u.Photo(ctx(t), id)
	require.NoError(t, err)
	assert.Equal(t, second, got)
	assert.Equal(t, "granted", f.present(t, rdFrontIn, card, ""))

	// An unknown user: the server's fault, recorded as failed.
	err = f.u.SetPhoto(ctx(t), "TCK-44", 99999, first)
	var fault *entrapass.Fault
	require.ErrorAs(t, err, &fault)
	assert.Equal(t, entrapass.CodeComponentNotExist, fault.Code)
	_, err = f.u.Photo(ctx(t), 99999)
	require.ErrorAs(t, err, &fault)
	assert.Equal(t, entrapass.CodeComponentNotExist, fault.Code)

	recs := f.records(t)
	require.Len(t, recs, 5)
	r := recs[1]
	assert.Equal(t, "photo", r.Action)
	assert.Equal(t, "jane.admin", r.Operator)
	assert.Equal(t, id, r.UserID)
	assert.Equal(t, card, r.Card)
	assert.Equal(t, "TCK-41", r.Ticket)
	assert.Equal(t, entrapass.AuditOK, r.Result)
	assert.Equal(t, []entrapass.AuditChange{{Field: "photo", To: summary(first)}}, r.Changes)
	r = recs[2]
	assert.Equal(t, "photo", r.Action)
	assert.Equal(t, "TCK-42", r.Ticket)
	assert.Equal(t, entrapass.AuditOK, r.Result)
	assert.Equal(t, []entrapass.AuditChange{{Field: "photo", From: summary(first), To: summary(second)}}, r.Changes)
	r = recs[4]
	assert.Equal(t, "photo", r.Action)
	assert.Equal(t, 99999, r.UserID)
	assert.Equal(t, "TCK-44", r.Ticket)
	assert.Equal(t, entrapass.AuditFailed, r.Result)
	assert.Contains(t, r.Error, entrapass.CodeComponentNotExist)

	// The picture itself is never written to the audit trail.
	data, err := os.ReadFile(f.path)
	require.NoError(t, err)
	for _, p := range [][]byte{first, second} {
		assert.NotContains(t, string(data), base64.StdEncoding.EncodeToString(p))
		assert.False(t, bytes.Contains(data, p))
	}
	assert.NotContains(t, string(data), "first photo")
	assert.NotContains(t, string(data), "second photo")
}

// TestUsersPhotoValidation: an empty photo, one that is not a JPEG and one
// larger than 512 KiB are refused before anything is sent, naming the
// field "photo"; so are a missing ticket and a bad id. A photo of exactly
// MaxPhotoSize is taken.
func TestUsersPhotoValidation(t *testing.T) {
	f := newUsers(t, nil, "pacsim", "pacsim")
	big := make([]byte, entrapass.MaxPhotoSize+1)
	copy(big, []byte{0xFF, 0xD8, 0xFF})
	cases := []struct {
		name, ticket string
		id           int
		jpeg         []byte
		field        string
	}{
		{"nil", "TCK-50", idAlice, nil, "photo"},
		{"empty", "TCK-50", idAlice, []byte{}, "photo"},
		{"GIF", "TCK-50", idAlice, []byte("GIF89a\x01\x00\x01\x00"), "photo"},
		{"PNG", "TCK-50", idAlice, []byte("\x89PNG\r\n\x1a\n"), "photo"},
		{"SOI only", "TCK-50", idAlice, []byte{0xFF, 0xD8}, "photo"},
		{"too big", "TCK-50", idAlice, big, "photo"},
		{"no ticket", " ", idAlice, testJPEG("x"), "ticket"},
		{"no id", "TCK-50", 0, testJPEG("x"), "id"},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			n := len(f.s.paths())
			err := f.u.SetPhoto(ctx(t), tc.ticket, tc.id, tc.jpeg)
			var ue *entrapass.UserError
			require.ErrorAs(t, err, &ue)
			assert.Equal(t, tc.field, ue.Field)
			assert.Equal(t, "photo", ue.Op)
			assert.ErrorIs(t, err, entrapass.ErrInvalidUser)
			assert.Equal(t, n, len(f.s.paths()), "nothing sent")
		})
	}
	_, err := f.u.Photo(ctx(t), -1)
	var ue *entrapass.UserError
	require.ErrorAs(t, err, &ue)
	assert.Equal(t, "id", ue.Field)
	assert.Empty(t, f.records(t), "a request refused before sending is not recorded")

	// The largest photo taken goes through.
	largest := big[:entrapass.MaxPhotoSize]
	require.NoError(t, f.u.SetPhoto(ctx(t), "TCK-51", idAlice, largest))
	got, err := f.u.Photo(ctx(t), idAlice)
	require.NoError(t, err)
	assert.True(t, bytes.Equal(largest, got))
	recs := f.records(t)
	require.Len(t, recs, 1)
	assert.Equal(t, cardAlice, recs[0].Card)
	assert.Equal(t, entrapass.AuditOK, recs[0].Result)
}

// TestUsersPhotoWire: PUT CardPictures/{id} with <CardPicture><ID>
// <Picture>Base64</Picture></CardPicture>; an answer whose Base64 is
// wrapped in lines and unpadded is read; an answer of another user, or not
// Base64, is malformed.
func TestUsersPhotoWire(t *testing.T) {
	f := newUsers(t, nil, "pacsim", "pacsim")
	var mu sync.Mutex
	var sent []string
	answer := ""
	f.s.setIntercept(func(w http.ResponseWriter, r *http.Request) bool {
		if !strings.Contains(strings.ToLower(r.URL.Path), "/cardpictures/") {
			return false
		}
		mu.Lock()
		defer mu.Unlock()
		if r.Method == http.MethodGet && answer != "" {
			w.Header().Set("Content-Type", "application/xml")
			_, _ = io.WriteString(w, answer)
			return true
		}
		if r.Method != http.MethodGet {
			b, err := io.ReadAll(r.Body)
			require.NoError(t, err)
			r.Body = io.NopCloser(bytes.NewReader(b))
			sent = append(sent, r.Method+" "+r.URL.Path[strings.LastIndex(r.URL.Path, "/CardPictures/"):]+" "+string(b))
		}
		return false
	})
	jpeg := testJPEG("wire photo \xfb\xff")
	b64 := base64.StdEncoding.EncodeToString(jpeg)
	require.NoError(t, f.u.SetPhoto(ctx(t), "TCK-60", idBruno, jpeg))
	ids := strconv.Itoa(idBruno)
	mu.Lock()
	assert.Equal(t, []string{"PUT /CardPictures/" + ids + " <CardPicture><ID>" + ids + "</ID><Picture>" + b64 + "</Picture></CardPicture>"}, sent)
	mu.Unlock()

	set := func(s string) {
		mu.Lock()
		defer mu.Unlock()
		answer = s
	}
	raw := strings.TrimRight(b64, "=")
	set("<CardPicture>\n  <ID>" + ids + "</ID>\n  <Picture>\n" + raw[:10] + "\r\n" + raw[10:] + "\n  </Picture>\n</CardPicture>")
	got, err := f.u.Photo(ctx(t), idBruno)
	require.NoError(t, err)
	assert.Equal(t, jpeg, got)

	set("<CardPicture><Picture/></CardPicture>")
	_, err = f.u.Photo(ctx(t), idBruno)
	assert.ErrorIs(t, err, entrapass.ErrNoPhoto)

	for _, bad := range []string{
		"<CardPicture><ID>" + strconv.Itoa(idAlice) + "</ID><Picture>" + b64 + "</Picture></CardPicture>",
		"<CardPicture><ID>" + ids + "</ID><Picture>!!not base64!!</Picture></CardPicture>",
		"<Card><ID>" + ids + "</ID></Card>",
	} {
		set(bad)
		_, err = f.u.Photo(ctx(t), idBruno)
		assert.ErrorIs(t, err, entrapass.ErrMalformed, bad)
	}
}
