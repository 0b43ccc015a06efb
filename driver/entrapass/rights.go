package entrapass

import (
	"errors"
	"fmt"
	"strings"
)

// Operator rights. The login answer lists the operator's SmartLink API
// rights (reference §2.2: CardRight, DoorOperationRight…), True or False.
// Card-user administration needs CardRight: without it the server refuses
// every create, change and delete. Users checks the right of the login
// answer before sending anything, and recognises the server's refusal
// (a fault OPERATOR_RIGHT_DENIED) all the same — the rights may change
// after the login. Either way the operation returns a *RightError, nothing
// changed, and the audit trail records nothing: no change was made.

// RightCard is the right to create, change and delete card users.
const RightCard = "CardRight"

// ErrNoRight: the operator lacks the right an operation needs.
var ErrNoRight = errors.New("operator right missing")

// RightError is an operation refused because the SmartService operator
// lacks a right.
type RightError struct {
	// Op is the card-user operation (add, edit, delete…).
	Op string
	// Right is the right missing (CardRight).
	Right string
	// Operator is the SmartService operator account.
	Operator string
	// Err is the server's fault when the server refused; nil when the
	// login answer already said so and nothing was sent.
	Err error
}

func (e *RightError) Error() string {
	s := fmt.Sprintf("entrapass: %s: the EntraPass operator %q does not have the right %s", e.Op, e.Operator, e.Right)
	if strings.EqualFold(e.Right, RightCard) {
		s += ", needed to create, change or delete card users"
	}
	s += "; nothing was changed"
	if e.Err != nil {
		s += ": " + e.Err.Error()
	}
	return s
}

// Unwrap makes errors.Is(err, ErrNoRight) hold, and the server's fault
// reachable.
func (e *RightError) Unwrap() []error {
	if e.Err != nil {
		return []error{ErrNoRight, e.Err}
	}
	return []error{ErrNoRight}
}

// HasRight reports whether the login answer gave the operator right r
// (names compare ignoring case) and whether it listed r at all: a server
// that does not list a right is not taken to refuse it.
func (o Operator) HasRight(r string) (held, listed bool) {
	for k, v := range o.Rights {
		if strings.EqualFold(k, r) {
			return v, true
		}
	}
	return false, false
}

// rightsOf reads the rights of a login answer: its elements whose name
// contains "Right", True or False (1 or 0); others are left out.
func rightsOf(root *node) map[string]bool {
	var out map[string]bool
	for _, k := range root.kids {
		if !strings.Contains(strings.ToLower(k.name), "right") {
			continue
		}
		var v bool
		switch t := strings.TrimSpace(k.text); {
		case strings.EqualFold(t, "true") || t == "1":
			v = true
		case strings.EqualFold(t, "false") || t == "0":
		default:
			continue
		}
		if out == nil {
			out = map[string]bool{}
		}
		out[k.name] = v
	}
	return out
}

// needCardRight refuses op before anything is sent when the login answer
// said the operator lacks CardRight.
func (us *Users) needCardRight(op string) error {
	o, ok := us.c.Operator()
	if !ok {
		return nil // not logged in yet: the request logs in, the server decides
	}
	if held, listed := o.HasRight(RightCard); listed && !held {
		return &RightError{Op: op, Right: RightCard, Operator: us.c.cfg.Username}
	}
	return nil
}

// refusedRight turns the server's refusal for a missing right into a
// *RightError; any other error is returned as is.
func (us *Users) refusedRight(op string, err error) error {
	var re *RightError
	if err == nil || !errors.Is(err, ErrNoRight) || errors.As(err, &re) {
		return err
	}
	right := RightCard
	var f *Fault
	if errors.As(err, &f) {
		// The simulator's sentence says "… does not have the right X: …";
		// another right named so is reported as such.
		const mark = "the right "
		if i := strings.Index(f.Message, mark); i >= 0 {
			if w := strings.FieldsFunc(f.Message[i+len(mark):], func(r rune) bool { return r == ' ' || r == ':' || r == ',' || r == '.' }); len(w) > 0 {
				right = w[0]
			}
		}
	}
	return &RightError{Op: op, Right: right, Operator: us.c.cfg.Username, Err: err}
}
