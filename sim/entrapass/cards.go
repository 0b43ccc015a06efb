package entrapass

import (
	"bytes"
	"encoding/base64"
	"encoding/xml"
	"errors"
	"fmt"
	"io"
	"strings"

	"github.com/pacsim/pacsim/internal/limit"
	"github.com/pacsim/pacsim/sim/entrapass/wire"
)

// cardGet answers GET Cards/{id} with the <Card> of a card user.
// shortReturn= and includeLastAccess= are ignored.
func (s *Server) cardGet(c *call) ([]byte, *wire.Fault) {
	id, f := c.pathID()
	if f != nil {
		return nil, f
	}
	card, ok := s.db.Card(id, c.now)
	if !ok {
		return nil, wire.ComponentNotExist(fmt.Sprint(id))
	}
	return wire.AppendCard(c.scratch(), &card), nil
}

// cardPatch reads and parses a POST or PUT <Card> body.
func (c *call) cardPatch() (*wire.CardPatch, *wire.Fault) {
	body, f := c.body("Card")
	if f != nil {
		return nil, f
	}
	p, err := wire.ParseCardPatch(body)
	if err != nil {
		var wf *wire.Fault
		if errors.As(err, &wf) {
			return nil, wf
		}
		return nil, wire.InvalidParameter("Card", err.Error())
	}
	return p, nil
}

// cardPost answers POST Cards/{id}, answering <int>id</int>.
//
//   - POST Cards/0 creates a card user with a new id (Airflow, GO app) —
//     unless the body is <State>Modified</State> with an <ID> of an
//     existing user, which updates that user (the GO app's way of saving).
//   - POST Cards/{id} with an id no object uses creates the card user with
//     that very id: ropelletier's client chooses the id and POSTs to it.
//     An id used by another kind of object (a door, an access level…) is
//     INVALID_PARAMETER, since EntraPass ids share one number space.
//   - POST Cards/{id} of an existing card user updates it, as PUT does.
//
// The body's <ID> is ignored whenever the path names an id.
func (s *Server) cardPost(c *call) ([]byte, *wire.Fault) {
	if f := c.needRight(RightCard, "card users cannot be created or modified"); f != nil {
		return nil, f
	}
	id, f := c.pathID()
	if f != nil {
		return nil, f
	}
	p, f := c.cardPatch()
	if f != nil {
		return nil, f
	}
	create := true
	if id == 0 && p.Card.State == wire.Modified && p.Sent(wire.FieldID) && p.Card.ID > 0 {
		id, create = p.Card.ID, false
	}
	if id < 0 {
		return nil, wire.InvalidParameter("id", fmt.Sprintf("%d is not a card user id", id))
	}
	res, f := s.db.save(id, create, p, s.db.defaultCardType, c.now)
	if f != nil {
		return nil, f
	}
	return wire.AppendInt(c.scratch(), int64(res.id)), nil
}

// cardPut answers PUT Cards/{id}: only the elements sent change, an empty
// element clears its field. The path's id wins over the body's <ID>; with
// Cards/0 the body's <ID> names the user (the GO app writes Doors/0 so).
func (s *Server) cardPut(c *call) ([]byte, *wire.Fault) {
	if f := c.needRight(RightCard, "card users cannot be modified"); f != nil {
		return nil, f
	}
	id, f := c.pathID()
	if f != nil {
		return nil, f
	}
	p, f := c.cardPatch()
	if f != nil {
		return nil, f
	}
	if id == 0 && p.Sent(wire.FieldID) {
		id = p.Card.ID
	}
	if id <= 0 {
		return nil, wire.InvalidParameter("ID", "PUT needs the card user id, in the path or in <ID>")
	}
	res, f := s.db.save(id, false, p, s.db.defaultCardType, c.now)
	if f != nil {
		return nil, f
	}
	return wire.AppendInt(c.scratch(), int64(res.id)), nil
}

// cardDelete answers DELETE Cards/{id} with <int>id</int>. An unknown id is
// COMPONENT_NOT_EXIST whose sentence begins "Error deleting card.", the
// text the Airflow client looks for.
func (s *Server) cardDelete(c *call) ([]byte, *wire.Fault) {
	if f := c.needRight(RightCard, "card users cannot be deleted"); f != nil {
		return nil, f
	}
	id, f := c.pathID()
	if f != nil {
		return nil, f
	}
	if !s.db.remove(id, c.now) {
		return nil, notExist(fmt.Sprintf("Error deleting card. Card user %d does not exist.", id))
	}
	return wire.AppendInt(c.scratch(), int64(id)), nil
}

// pictureGet answers GET CardPictures/{id}:
// <CardPicture><ID>id</ID><Picture>Base64 JPEG</Picture></CardPicture>,
// Picture empty when the user has none (our reading of the shape).
func (s *Server) pictureGet(c *call) ([]byte, *wire.Fault) {
	id, f := c.pathID()
	if f != nil {
		return nil, f
	}
	pic, ok := s.db.picture(id, c.now)
	if !ok {
		return nil, wire.ComponentNotExist(fmt.Sprint(id))
	}
	buf := append(c.scratch(), "<CardPicture>"...)
	buf = appendIntElem(buf, "ID", int64(id))
	buf = append(buf, "<Picture>"...)
	buf = base64.StdEncoding.AppendEncode(buf, pic)
	buf = append(buf, "</Picture></CardPicture>"...)
	return buf, nil
}

// picturePut answers PUT CardPictures/{id} with the same document: the
// Picture replaces the user's picture (empty clears it). It must be Base64
// of a JPEG. The answer is <int>id</int>, as for a card.
func (s *Server) picturePut(c *call) ([]byte, *wire.Fault) {
	if f := c.needRight(RightCard, "the pictures of card users cannot be changed"); f != nil {
		return nil, f
	}
	id, f := c.pathID()
	if f != nil {
		return nil, f
	}
	body, f := c.body("CardPicture")
	if f != nil {
		return nil, f
	}
	jpeg, f := parsePicture(body)
	if f != nil {
		return nil, f
	}
	if ok, f := s.db.setPicture(id, jpeg, c.now); f != nil {
		return nil, f
	} else if !ok {
		return nil, wire.ComponentNotExist(fmt.Sprint(id))
	}
	return wire.AppendInt(c.scratch(), int64(id)), nil
}

// parsePicture reads a <CardPicture> body and returns the JPEG (nil for an
// empty or absent Picture). Unknown elements, <ID> included, are ignored.
func parsePicture(data []byte) ([]byte, *wire.Fault) {
	dec := limit.NewXML(bytes.NewReader(data), limit.Server).Decoder()
	var doc struct {
		XMLName xml.Name
		Picture string `xml:"Picture"`
	}
	if err := dec.Decode(&doc); err != nil {
		if errors.Is(err, limit.ErrLimit) {
			return nil, wire.InvalidParameter("CardPicture", "the body is refused: "+err.Error())
		}
		return nil, wire.InvalidParameter("CardPicture", "malformed XML: "+err.Error())
	}
	if doc.XMLName.Local != "CardPicture" {
		return nil, wire.InvalidParameter("CardPicture", fmt.Sprintf("the body is <%s>, want <CardPicture>", clip(doc.XMLName.Local)))
	}
	for {
		tok, err := dec.Token()
		if err == io.EOF {
			break
		}
		if err != nil {
			return nil, wire.InvalidParameter("CardPicture", "malformed XML: "+err.Error())
		}
		if _, ok := tok.(xml.StartElement); ok {
			return nil, wire.InvalidParameter("CardPicture", "a second document element follows")
		}
	}
	b64 := strings.Map(func(r rune) rune {
		switch r {
		case ' ', '\t', '\r', '\n':
			return -1
		}
		return r
	}, doc.Picture)
	if b64 == "" {
		return nil, nil
	}
	jpeg, err := base64.StdEncoding.DecodeString(b64)
	if err != nil {
		if jpeg, err = base64.RawStdEncoding.DecodeString(strings.TrimRight(b64, "=")); err != nil {
			return nil, wire.InvalidParameter("Picture", "not Base64")
		}
	}
	if len(jpeg) < 3 || jpeg[0] != 0xFF || jpeg[1] != 0xD8 || jpeg[2] != 0xFF {
		return nil, wire.InvalidParameter("Picture", "not a JPEG image")
	}
	return jpeg, nil
}
