package entrapass

import (
	"crypto/sha256"
	"crypto/subtle"
	"fmt"
	"strconv"
	"strings"

	"github.com/pacsim/pacsim/sim"
	"github.com/pacsim/pacsim/sim/entrapass/wire"
)

// login answers GET Login: plain (userName and password in clear) or
// encrypted=1 (both AES-encrypted with the operator's password), with an
// optional ConnectedProgram naming the licensed integration.
func (s *Server) login(c *call) ([]byte, *wire.Fault) {
	user, ok := c.q.get("username")
	if !ok {
		return nil, wire.InvalidParameter("userName", "is required")
	}
	pass, ok := c.q.get("password")
	if !ok {
		return nil, wire.InvalidParameter("password", "is required")
	}
	encrypted, f := c.flag("encrypted", "encrypted")
	if f != nil {
		return nil, f
	}
	var op *operator
	if encrypted {
		op = s.db.decryptLogin(user, pass)
	} else if op = s.db.operatorByName(user); op != nil && !samePassword(op.password, pass) {
		op = nil
	}
	if op == nil {
		return nil, wire.ErrorLogin("")
	}
	// Said only once the password is right, so the answer does not tell
	// a stranger which accounts exist.
	if op.disabled {
		return nil, wire.ErrorLogin(fmt.Sprintf("Operator %s is disabled.", op.name))
	}
	if !op.expires.IsZero() && !c.now.Before(op.expires) {
		return nil, wire.ErrorLogin(fmt.Sprintf("The password of operator %s expired on %s.", op.name, op.expires.Format("2006-01-02")))
	}
	guid := ""
	if cp, _ := c.q.get("connectedprogram"); strings.TrimSpace(cp) != "" {
		if guid, f = s.db.checkConnectedProgram(cp, op, encrypted); f != nil {
			return nil, f
		}
	}
	j := s.world.Journal()
	sess, f := s.sessions.open(op, guid, c.now, j.Cursor(j.Last()))
	if f != nil {
		return nil, f
	}
	return s.operatorDoc(c.scratch(), sess, op, c), nil
}

// decryptLogin finds the operator of an encrypted login: the key is the
// operator's password, so each operator's password is tried until the user
// name decrypts to that operator's name (clients send it lower-cased, hence
// the case-insensitive compare); then the password must decrypt to itself.
func (db *DB) decryptLogin(user, pass string) *operator {
	for _, op := range db.operators {
		name, err := wire.Decrypt(user, op.password)
		if err != nil || !strings.EqualFold(name, op.name) {
			continue
		}
		if p, err := wire.Decrypt(pass, op.password); err == nil && samePassword(op.password, p) {
			return op
		}
		return nil
	}
	return nil
}

// checkConnectedProgram checks a login's ConnectedProgram, which decrypts
// (with the operator's password) to "<integration id>,<GUID>". The licence
// decides which integration ids are accepted: 56 with E-GLOB-CONNECT, the
// site file's corporate_integration_id with E-COR-CONNECT. It returns the
// GUID, which the session table refuses to see twice.
//
// A plain login may send the ConnectedProgram encrypted or in clear: it is
// decrypted when it can be, taken as is otherwise.
func (db *DB) checkConnectedProgram(cp string, op *operator, encrypted bool) (string, *wire.Fault) {
	plain, err := wire.Decrypt(cp, op.password)
	if err != nil {
		if encrypted {
			return "", wire.UnknownWebSDKID("The ConnectedProgram cannot be decrypted with this operator's key.")
		}
		plain = cp
	}
	idText, guid, ok := strings.Cut(plain, ",")
	guid = strings.TrimSpace(guid)
	if !ok || guid == "" {
		return "", wire.UnknownWebSDKID("The ConnectedProgram is not <integration id>,<GUID>.")
	}
	if len(guid) > MaxProgramGUID {
		return "", wire.UnknownWebSDKID(fmt.Sprintf("The ConnectedProgram GUID is %d bytes long; a GUID has at most %d.", len(guid), MaxProgramGUID))
	}
	id, err := strconv.Atoi(strings.TrimSpace(idText))
	licensed := err == nil &&
		((id == GlobalIntegrationID && db.licences[LicenceGlobalConnect]) ||
			(db.corporateID != 0 && id == db.corporateID && db.licences[LicenceCorporateConnect]))
	if !licensed {
		return "", wire.UnknownWebSDKID(fmt.Sprintf("The integration %q is not licensed on this server (%s).", clip(strings.TrimSpace(idText)), db.licenceText()))
	}
	return guid, nil
}

// licenceText says what the licence accepts, for the refusal's sentence.
func (db *DB) licenceText() string {
	var parts []string
	if db.licences[LicenceGlobalConnect] {
		parts = append(parts, fmt.Sprintf("%s accepts integration %d", LicenceGlobalConnect, GlobalIntegrationID))
	}
	if db.licences[LicenceCorporateConnect] && db.corporateID != 0 {
		parts = append(parts, fmt.Sprintf("%s accepts integration %d", LicenceCorporateConnect, db.corporateID))
	}
	if len(parts) == 0 {
		return "no connect licence"
	}
	return strings.Join(parts, ", ")
}

// operatorDoc writes the <Operator> answer of a login. The fields are those
// the public clients read (SessionKey by regex, OperatorName, the versions
// for the driver's version check, PINLength, the rights) in a fixed order.
func (s *Server) operatorDoc(buf []byte, sess *session, op *operator, c *call) []byte {
	db := s.db
	buf = append(buf, "<Operator>"...)
	buf = appendElem(buf, "SessionKey", sess.key)
	buf = appendElem(buf, "OperatorName", op.name)
	buf = appendElem(buf, "ServerVersion", db.serverVersion)
	buf = appendElem(buf, "SmartlinkVersion", db.serverVersion)
	buf = appendElem(buf, "SmartServiceVersion", db.serverVersion)
	buf = appendElem(buf, "UTCDateTime", c.now.UTC().Format(wire.DateLayout))
	buf = appendElem(buf, "DateFormat", "yyyy-MM-dd")
	buf = appendElem(buf, "TimeFormat", "HH:mm:ss")
	buf = appendElem(buf, "SystemName", db.systemName)
	buf = appendIntElem(buf, "DefaultCardType", int64(db.defaultCardType))
	buf = appendIntElem(buf, "PINLength", PINLength)
	for _, r := range sim.EntraPassRights {
		buf = appendBoolElem(buf, r, op.rights.has(r))
	}
	return append(buf, "</Operator>"...)
}

// logout answers GET Logout: the session ends and its slot is free.
func (s *Server) logout(c *call) ([]byte, *wire.Fault) {
	key, _ := c.q.get("sdkey")
	if !s.sessions.close(key, c.now) {
		return nil, wire.InvalidSessionKey()
	}
	return append(c.scratch(), wire.CommandResultOK...), nil
}

// samePassword compares passwords in constant time (their digests, so
// that not even the length shows), so that the time of a refusal tells
// nothing about how much of a guess was right.
func samePassword(want, got string) bool {
	a, b := sha256.Sum256([]byte(want)), sha256.Sum256([]byte(got))
	return subtle.ConstantTimeCompare(a[:], b[:]) == 1
}
