package store_test

import (
	"encoding/base64"
	"fmt"
	"os"
	"strconv"
	"testing"
	"time"

	"github.com/pacsim/pacsim/driver/genetec/store"
)

// Helper-process switches: the test binary re-runs itself with one of these
// set to act as a second process (see crash_test.go and TestOpenInUse).
const (
	helperEnv     = "PACSIM_STORE_TEST_HELPER" // "crash-write" or "hold"
	helperPathEnv = "PACSIM_STORE_TEST_PATH"
	helperKeyEnv  = "PACSIM_STORE_TEST_KEY" // base64 key for WithKey
	helperNEnv    = "PACSIM_STORE_TEST_N"
)

func TestMain(m *testing.M) {
	// A developer's own key must not leak into tests that exercise the
	// key file; tests that want the variable set it with t.Setenv.
	_ = os.Unsetenv(store.KeyEnv)
	switch os.Getenv(helperEnv) {
	case "":
		os.Exit(m.Run())
	case "crash-write":
		helperCrashWrite()
	case "hold":
		helperHold()
	}
	fmt.Fprintln(os.Stderr, "unknown helper", os.Getenv(helperEnv))
	os.Exit(2)
}

func helperOpen() *store.Store {
	key, err := base64.StdEncoding.DecodeString(os.Getenv(helperKeyEnv))
	if err != nil {
		helperFail(err)
	}
	s, err := store.Open(os.Getenv(helperPathEnv), store.WithKey(key))
	if err != nil {
		helperFail(err)
	}
	return s
}

func helperFail(err error) {
	fmt.Fprintln(os.Stderr, "helper:", err)
	os.Exit(3)
}

// helperCrashWrite commits N documents, one Update each, and SIGKILLs
// itself the moment the last Update returns: no Close, no deferred work, no
// chance for anything but the commit itself to have made the data durable.
func helperCrashWrite() {
	s := helperOpen()
	n, _ := strconv.Atoi(os.Getenv(helperNEnv))
	for i := 1; i <= n; i++ {
		err := s.Update(func(tx *store.Tx) error {
			id, err := tx.NextID("visits")
			if err != nil {
				return err
			}
			return tx.Put("visits", id, visit{ID: id, State: "active", Badge: strconv.Itoa(5000 + i)})
		})
		if err != nil {
			helperFail(err)
		}
	}
	p, err := os.FindProcess(os.Getpid())
	if err != nil {
		helperFail(err)
	}
	_ = p.Kill() // SIGKILL on Unix
	time.Sleep(time.Minute)
	os.Exit(4) // not reached
}

// helperHold opens the store, says so, and keeps it open until stdin
// closes, standing in for a second connector on the same file.
func helperHold() {
	s := helperOpen()
	fmt.Println("ready")
	buf := make([]byte, 1)
	_, _ = os.Stdin.Read(buf)
	_ = s.Close()
	os.Exit(0)
}
