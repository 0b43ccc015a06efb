package entrapass

import (
	"encoding/json"
	"errors"
	"fmt"
	"os"
	"sync"
	"time"
)

// The audit trail of card-user administration (UM-AUDIT): who issued,
// changed or removed access, when, and under which request/ticket ID.

// Audit results.
const (
	// AuditOK: the server accepted the change.
	AuditOK = "ok"
	// AuditFailed: the server refused the change (a fault, an HTTP error):
	// nothing changed.
	AuditFailed = "failed"
	// AuditUnknown: no answer came (unreachable, timeout, an answer that
	// could not be read), or the server accepted a change that reading
	// back does not show (ErrNotApplied): the change may or may not have
	// been made.
	AuditUnknown = "unknown"
)

// AuditChange is one field a change set, from its old value to its new.
// A secret (the PIN) is never written: its values are "set" or "".
type AuditChange struct {
	Field string `json:"field"`
	From  string `json:"from,omitempty"`
	To    string `json:"to"`
}

// AuditRecord is one line of the audit trail.
type AuditRecord struct {
	// Time is when the operation ended, UTC, RFC 3339.
	Time string `json:"time"`
	// Operator is the person who made the change (not the SmartService
	// operator account).
	Operator string `json:"operator"`
	// Action is add, add-temporary, batch-capture, batch-complete, disable,
	// remove-access-levels, edit, remove-card, delete or photo.
	Action string `json:"action"`
	// UserID is the card user's id (0 when an add failed before the server
	// gave one).
	UserID int `json:"user_id"`
	// Card is the card number.
	Card string `json:"card,omitempty"`
	// Changes are what changed (or was to change, when the result is not ok).
	Changes []AuditChange `json:"changes"`
	// Ticket is the request/ticket ID the change was made under.
	Ticket string `json:"ticket"`
	// Result is ok, failed or unknown.
	Result string `json:"result"`
	// Error is the error of a failed or unknown result; it carries redacted
	// URLs only, as every error of the client.
	Error string `json:"error,omitempty"`
}

// Audit is an append-only JSON Lines file: one AuditRecord per line, each
// written and synced to disk before the operation that made it returns.
// Opening an existing file appends to it. It is safe for concurrent use.
type Audit struct {
	mu   sync.Mutex
	f    *os.File
	path string
	now  func() time.Time
}

// OpenAudit opens (or creates, mode 0600) the audit file at path for
// appending.
func OpenAudit(path string) (*Audit, error) {
	if path == "" {
		return nil, &UserError{Op: "audit", Field: "path", Problem: "the audit file's path is required"}
	}
	f, err := os.OpenFile(path, os.O_WRONLY|os.O_APPEND|os.O_CREATE, 0o600)
	if err != nil {
		return nil, fmt.Errorf("entrapass: opening the audit file: %w", err)
	}
	return &Audit{f: f, path: path, now: time.Now}, nil
}

// Path returns the audit file's path.
func (a *Audit) Path() string { return a.path }

// ErrAuditClosed: the audit file was closed.
var ErrAuditClosed = errors.New("audit file closed")

// Record appends r as one line and syncs the file. Time is set here (UTC,
// RFC 3339) when empty.
func (a *Audit) Record(r AuditRecord) error {
	if r.Time == "" {
		r.Time = a.now().UTC().Format(time.RFC3339)
	}
	if r.Changes == nil {
		r.Changes = []AuditChange{}
	}
	line, err := json.Marshal(r)
	if err != nil {
		return fmt.Errorf("entrapass: audit: %w", err)
	}
	line = append(line, '\n')
	a.mu.Lock()
	defer a.mu.Unlock()
	if a.f == nil {
		return fmt.Errorf("entrapass: audit: %w", ErrAuditClosed)
	}
	// One write of the whole line: with O_APPEND the line lands whole at
	// the end, even with other writers of the file.
	if _, err := a.f.Write(line); err != nil {
		return fmt.Errorf("entrapass: writing the audit file: %w", err)
	}
	if err := a.f.Sync(); err != nil {
		return fmt.Errorf("entrapass: syncing the audit file: %w", err)
	}
	return nil
}

// Close closes the file.
func (a *Audit) Close() error {
	a.mu.Lock()
	defer a.mu.Unlock()
	if a.f == nil {
		return nil
	}
	err := a.f.Close()
	a.f = nil
	return err
}

// resultOf classifies the error of a server call for the audit trail.
func resultOf(err error) (string, string) {
	switch {
	case err == nil:
		return AuditOK, ""
	case errors.Is(err, ErrUnreachable), errors.Is(err, ErrMalformed), errors.Is(err, ErrNotApplied):
		return AuditUnknown, err.Error()
	}
	return AuditFailed, err.Error()
}
