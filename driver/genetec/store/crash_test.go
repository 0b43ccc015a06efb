//go:build unix

package store_test

import (
	"encoding/base64"
	"errors"
	"os"
	"os/exec"
	"syscall"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/pacsim/pacsim/driver/genetec/store"
)

// TestCrashSafety has a child process commit documents and SIGKILL itself
// right after the last Update returns, without closing the store; every
// committed document must be there when the file is reopened.
func TestCrashSafety(t *testing.T) {
	path := tempPath(t)
	const n = 5
	cmd := exec.Command(os.Args[0])
	cmd.Env = append(os.Environ(),
		helperEnv+"=crash-write",
		helperPathEnv+"="+path,
		helperKeyEnv+"="+base64.StdEncoding.EncodeToString(key1),
		helperNEnv+"=5")
	cmd.Stderr = os.Stderr
	err := cmd.Run()
	var exit *exec.ExitError
	require.True(t, errors.As(err, &exit), "child must die, got %v", err)
	ws, ok := exit.Sys().(syscall.WaitStatus)
	require.True(t, ok)
	require.True(t, ws.Signaled() && ws.Signal() == syscall.SIGKILL, "child must be SIGKILLed, got %v", exit)

	s, err := store.Open(path, store.WithKey(key1))
	require.NoError(t, err, "the lock of a killed process is released")
	defer s.Close()
	got, err := store.List[visit](s, "visits")
	require.NoError(t, err)
	require.Len(t, got, n)
	for i, v := range got {
		assert.Equal(t, visit{ID: itoa(i + 1), State: "active", Badge: itoa(5001 + i)}, v)
	}
	// The sequence survived too: no id is handed out twice.
	require.NoError(t, s.Update(func(tx *store.Tx) error {
		id, err := tx.NextID("visits")
		assert.Equal(t, itoa(n+1), id)
		return err
	}))
}
