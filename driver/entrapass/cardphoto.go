package entrapass

import (
	"bytes"
	"context"
	"crypto/sha256"
	"encoding/base64"
	"encoding/hex"
	"errors"
	"fmt"
	"net/http"
	"strconv"
	"strings"
)

// The optional photo of a card user (UM-PHOTO): CardPictures/{id}, whose
// document is <CardPicture><ID>id</ID><Picture>Base64 JPEG</Picture>
// </CardPicture> (SPEC §2, our reading of the shape); GET reads it, PUT sets
// it. The SmartService has no DELETE CardPictures/{id}, so there is no
// RemovePhoto.

// MaxPhotoSize bounds the JPEG SetPhoto sends: 512 KiB.
const MaxPhotoSize = 512 << 10

// jpegMagic is how every JPEG file begins: the SOI marker (FF D8) and the
// first byte of the next marker (FF).
var jpegMagic = []byte{0xFF, 0xD8, 0xFF}

// ErrNoPhoto: the card user has no photo.
var ErrNoPhoto = errors.New("no photo")

// checkPhoto refuses an empty photo, one that is not a JPEG, and one
// larger than MaxPhotoSize.
func checkPhoto(op string, jpeg []byte) error {
	switch {
	case len(jpeg) == 0:
		return &UserError{Op: op, Field: "photo", Problem: "is required"}
	case !bytes.HasPrefix(jpeg, jpegMagic):
		return &UserError{Op: op, Field: "photo", Problem: "is not a JPEG image (it does not begin with FF D8 FF)"}
	case len(jpeg) > MaxPhotoSize:
		return &UserError{Op: op, Field: "photo", Problem: fmt.Sprintf("is %d bytes; at most %d (512 KiB)", len(jpeg), MaxPhotoSize)}
	}
	return nil
}

// photoSummary is what the audit trail keeps of a photo: its size and
// SHA-256, never the picture.
func photoSummary(jpeg []byte) string {
	sum := sha256.Sum256(jpeg)
	return fmt.Sprintf("%d bytes, sha256 %s", len(jpeg), hex.EncodeToString(sum[:]))
}

// SetPhoto stores jpeg as the photo of card user id (UM-PHOTO), replacing
// any it had: PUT CardPictures/{id}. The photo must be a JPEG (it begins
// with FF D8 FF) of at most MaxPhotoSize bytes; it is refused before
// anything is sent otherwise, the *UserError naming the field "photo".
//
// The change is audited as "photo": the audit line holds the size and
// SHA-256 of the new photo (and of the old one when it could be read),
// never the picture.
func (us *Users) SetPhoto(ctx context.Context, ticket string, id int, jpeg []byte) error {
	const op = "photo"
	if err := checkTicket(op, ticket); err != nil {
		return err
	}
	if err := checkID(op, id); err != nil {
		return err
	}
	if err := checkPhoto(op, jpeg); err != nil {
		return err
	}
	if err := us.needCardRight(op); err != nil {
		return err
	}
	to := photoSummary(jpeg)
	u, err := us.Get(ctx, id)
	if err != nil {
		return us.record(AuditRecord{Action: op, UserID: id, Ticket: ticket,
			Changes: []AuditChange{{Field: "photo", To: to}}}, err)
	}
	// The old photo, for the audit line only: a failure to read it does not
	// stop the change.
	from := ""
	if old, err := us.Photo(ctx, id); err == nil {
		from = photoSummary(old)
	} else if !errors.Is(err, ErrNoPhoto) {
		from = "unknown"
	}
	path := "CardPictures/" + strconv.Itoa(id)
	var b bytes.Buffer
	b.Grow(base64.StdEncoding.EncodedLen(len(jpeg)) + 64)
	b.WriteString("<CardPicture><ID>")
	b.WriteString(strconv.Itoa(id))
	b.WriteString("</ID><Picture>")
	b.WriteString(base64.StdEncoding.EncodeToString(jpeg)) // [A-Za-z0-9+/=]: nothing to escape
	b.WriteString("</Picture></CardPicture>")
	got, err := us.write(ctx, http.MethodPut, path, b.Bytes())
	if err == nil && got != id {
		err = fmt.Errorf("entrapass: PUT %s: %w: answered <int>%d</int>", path, ErrMalformed, got)
	}
	return us.record(AuditRecord{Action: op, UserID: id, Card: firstOf(u.Cards), Ticket: ticket,
		Changes: []AuditChange{{Field: "photo", From: from, To: to}}}, err)
}

// Photo returns the photo of card user id (GET CardPictures/{id}), the
// JPEG as stored, or an error wrapping ErrNoPhoto when the user has none
// (the server answers an empty <Picture>). An unknown user is the server's
// fault (COMPONENT_NOT_EXIST).
func (us *Users) Photo(ctx context.Context, id int) ([]byte, error) {
	if err := checkID("photo", id); err != nil {
		return nil, err
	}
	path := "CardPictures/" + strconv.Itoa(id)
	body, err := us.c.get(ctx, path)
	if err != nil {
		return nil, err
	}
	pic, err := parsePicture(body, id)
	if err != nil {
		return nil, fmt.Errorf("entrapass: GET %s: %w", path, err)
	}
	if len(pic) == 0 {
		return nil, fmt.Errorf("entrapass: card user %d: %w", id, ErrNoPhoto)
	}
	return pic, nil
}

// parsePicture reads a <CardPicture> document of card user id and returns
// its picture, Base64-decoded (nil when empty or absent). White space in
// the Base64 (line breaks) is ignored; padding is optional.
func parsePicture(data []byte, id int) ([]byte, error) {
	root, err := parseDoc(data)
	if err != nil {
		return nil, err
	}
	if !strings.EqualFold(root.name, "CardPicture") {
		return nil, fmt.Errorf("%w: <%s> where <CardPicture> was expected", ErrMalformed, root.name)
	}
	if s := root.childText("ID"); s != "" {
		got, err := atoiField(s, "CardPicture/ID")
		if err != nil {
			return nil, err
		}
		if got != id {
			return nil, fmt.Errorf("%w: the picture of card user %d where %d was asked", ErrMalformed, got, id)
		}
	}
	b64 := strings.Map(func(r rune) rune {
		switch r {
		case ' ', '\t', '\r', '\n':
			return -1
		}
		return r
	}, root.childText("Picture"))
	if b64 == "" {
		return nil, nil
	}
	pic, err := base64.StdEncoding.DecodeString(b64)
	if err != nil {
		if pic, err = base64.RawStdEncoding.DecodeString(strings.TrimRight(b64, "=")); err != nil {
			return nil, fmt.Errorf("%w: <Picture> is not Base64", ErrMalformed)
		}
	}
	return pic, nil
}
