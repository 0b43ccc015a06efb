package store_test

import (
	"bufio"
	"encoding/base64"
	"errors"
	"fmt"
	"os"
	"os/exec"
	"runtime"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/pacsim/pacsim/driver/genetec/store"
)

func TestTxRoundTrip(t *testing.T) {
	s := openTemp(t)
	require.Equal(t, true, strings.HasSuffix(s.Path(), "visitors.db"))

	require.NoError(t, s.Update(func(tx *store.Tx) error {
		if err := tx.Put("visits", "1", visit{ID: "1", State: "active", Badge: "5001"}); err != nil {
			return err
		}
		return tx.Put("visits", "2", visit{ID: "2", State: "ended", Badge: "5002"})
	}))

	require.NoError(t, s.View(func(tx *store.Tx) error {
		var v visit
		ok, err := tx.Get("visits", "1", &v)
		require.NoError(t, err)
		require.True(t, ok)
		assert.Equal(t, visit{ID: "1", State: "active", Badge: "5001"}, v)

		ok, err = tx.Get("visits", "3", &v)
		require.NoError(t, err)
		assert.False(t, ok, "absent id")
		ok, err = tx.Get("nobucket", "1", &v)
		require.NoError(t, err)
		assert.False(t, ok, "absent bucket")
		ok, err = tx.Get("visits", "2", nil)
		require.NoError(t, err)
		assert.True(t, ok, "existence check with nil v")

		var ids []string
		require.NoError(t, tx.List("visits", func(id string, raw []byte) error {
			ids = append(ids, id)
			assert.Contains(t, string(raw), `"id":"`+id+`"`)
			return nil
		}))
		assert.Equal(t, []string{"1", "2"}, ids)
		return nil
	}))

	// Overwrite, then delete (twice: an absent id is not an error).
	require.NoError(t, s.Update(func(tx *store.Tx) error {
		require.NoError(t, tx.Put("visits", "1", visit{ID: "1", State: "ended"}))
		require.NoError(t, tx.Delete("visits", "2"))
		require.NoError(t, tx.Delete("visits", "2"))
		require.NoError(t, tx.Delete("nobucket", "2"))
		return nil
	}))
	got, err := store.List[visit](s, "visits")
	require.NoError(t, err)
	assert.Equal(t, []visit{{ID: "1", State: "ended"}}, got)
}

func TestGenericRoundTrip(t *testing.T) {
	s := openTemp(t)
	require.NoError(t, store.Put(s, "badges", "7", map[string]string{"unique_id": "5001"}))
	v, ok, err := store.Get[map[string]string](s, "badges", "7")
	require.NoError(t, err)
	require.True(t, ok)
	assert.Equal(t, "5001", v["unique_id"])

	v, ok, err = store.Get[map[string]string](s, "badges", "8")
	require.NoError(t, err)
	assert.False(t, ok)
	assert.Nil(t, v)

	list, err := store.List[visit](s, "empty")
	require.NoError(t, err)
	assert.Empty(t, list)

	// A document that does not decode as T is an error naming it.
	require.NoError(t, store.Put(s, "mixed", "1", "a string"))
	_, err = store.List[visit](s, "mixed")
	require.ErrorContains(t, err, "mixed")
	_, _, err = store.Get[visit](s, "mixed", "1")
	require.ErrorContains(t, err, "mixed/1")
}

func TestListOrder(t *testing.T) {
	s := openTemp(t)
	for _, id := range []string{"10", "9", "2", "100", "1"} {
		require.NoError(t, store.Put(s, "n", id, visit{ID: id}))
	}
	got, err := store.List[visit](s, "n")
	require.NoError(t, err)
	var ids []string
	for _, v := range got {
		ids = append(ids, v.ID)
	}
	assert.Equal(t, []string{"1", "2", "9", "10", "100"}, ids, "decimal ids in numeric order")

	// Any non-decimal id: plain byte order.
	for _, id := range []string{"b", "10", "a", "9"} {
		require.NoError(t, store.Put(s, "m", id, visit{ID: id}))
	}
	got, err = store.List[visit](s, "m")
	require.NoError(t, err)
	ids = ids[:0]
	for _, v := range got {
		ids = append(ids, v.ID)
	}
	assert.Equal(t, []string{"10", "9", "a", "b"}, ids)
}

func TestListStopsOnError(t *testing.T) {
	s := openTemp(t)
	for _, id := range []string{"1", "2", "3"} {
		require.NoError(t, store.Put(s, "n", id, id))
	}
	stop := errors.New("stop")
	n := 0
	err := s.View(func(tx *store.Tx) error {
		return tx.List("n", func(string, []byte) error { n++; return stop })
	})
	assert.ErrorIs(t, err, stop)
	assert.Equal(t, 1, n)
}

func TestNextIDMonotonic(t *testing.T) {
	path := tempPath(t)
	s, err := store.Open(path, store.WithKey(key1))
	require.NoError(t, err)
	var ids []string
	for range 3 {
		require.NoError(t, s.Update(func(tx *store.Tx) error {
			id, err := tx.NextID("visits")
			ids = append(ids, id)
			if err != nil {
				return err
			}
			return tx.Put("visits", id, visit{ID: id})
		}))
	}
	assert.Equal(t, []string{"1", "2", "3"}, ids)

	// Deleting does not make an id reusable; a rolled-back NextID is undone.
	require.NoError(t, s.Update(func(tx *store.Tx) error { return tx.Delete("visits", "3") }))
	boom := errors.New("boom")
	require.ErrorIs(t, s.Update(func(tx *store.Tx) error {
		_, err := tx.NextID("visits")
		require.NoError(t, err)
		return boom
	}), boom)
	require.NoError(t, s.Close())

	s, err = store.Open(path, store.WithKey(key1))
	require.NoError(t, err)
	defer s.Close()
	require.NoError(t, s.Update(func(tx *store.Tx) error {
		a, err := tx.NextID("visits")
		require.NoError(t, err)
		b, err := tx.NextID("visits")
		require.NoError(t, err)
		c, err := tx.NextID("other")
		require.NoError(t, err)
		assert.Equal(t, []string{"4", "5", "1"}, []string{a, b, c})
		return nil
	}))
	require.Error(t, s.View(func(tx *store.Tx) error {
		_, err := tx.NextID("visits")
		return err
	}), "NextID needs a writable transaction")
}

func TestUpdateAtomicOnError(t *testing.T) {
	s := openTemp(t)
	boom := errors.New("boom")
	err := s.Update(func(tx *store.Tx) error {
		require.NoError(t, tx.Put("visits", "1", visit{ID: "1"}))
		require.NoError(t, tx.Put("badges", "1", visit{ID: "1"}))
		return boom
	})
	require.ErrorIs(t, err, boom)
	assertAbsent(t, s, "visits", "1")
	assertAbsent(t, s, "badges", "1")
}

func TestUpdateAtomicOnPanic(t *testing.T) {
	s := openTemp(t)
	func() {
		defer func() {
			assert.Equal(t, "kaboom", recover(), "the panic reaches the caller")
		}()
		_ = s.Update(func(tx *store.Tx) error {
			require.NoError(t, tx.Put("visits", "1", visit{ID: "1"}))
			require.NoError(t, tx.Put("badges", "1", visit{ID: "1"}))
			panic("kaboom")
		})
		t.Error("Update returned after a panic")
	}()
	assertAbsent(t, s, "visits", "1")
	assertAbsent(t, s, "badges", "1")
	// The write lock was released: the store still works.
	require.NoError(t, store.Put(s, "visits", "1", visit{ID: "1"}))
}

func assertAbsent(t *testing.T, s *store.Store, bucket, id string) {
	t.Helper()
	_, ok, err := store.Get[visit](s, bucket, id)
	require.NoError(t, err)
	assert.False(t, ok, "%s/%s must not be stored", bucket, id)
}

func TestReopenKeepsData(t *testing.T) {
	path := tempPath(t)
	s, err := store.Open(path, store.WithKey(key1))
	require.NoError(t, err)
	require.NoError(t, store.Put(s, "visits", "1", visit{ID: "1", State: "active"}))
	require.NoError(t, s.Close())
	require.NoError(t, s.Close(), "a second Close is harmless")

	s, err = store.Open(path, store.WithKey(key1))
	require.NoError(t, err)
	defer s.Close()
	v, ok, err := store.Get[visit](s, "visits", "1")
	require.NoError(t, err)
	require.True(t, ok)
	assert.Equal(t, "active", v.State)
}

func TestFileMode(t *testing.T) {
	if runtime.GOOS == "windows" {
		t.Skip("no Unix permissions")
	}
	s := openTemp(t)
	fi, err := os.Stat(s.Path())
	require.NoError(t, err)
	assert.Equal(t, os.FileMode(0o600), fi.Mode().Perm())
}

func TestBounds(t *testing.T) {
	s := openTemp(t)

	// A document of exactly MaxDocSize bytes of JSON is fine; one more is not.
	exact := strings.Repeat("x", store.MaxDocSize-2) // plus two quotes
	require.NoError(t, store.Put(s, "docs", "big", exact))
	err := store.Put(s, "docs", "huge", exact+"x")
	require.ErrorIs(t, err, store.ErrTooLarge)
	require.ErrorContains(t, err, "docs/huge")
	assertAbsent(t, s, "docs", "huge")

	for _, id := range []string{"", strings.Repeat("i", store.MaxIDSize+1)} {
		err := store.Put(s, "docs", id, 1)
		require.ErrorIs(t, err, store.ErrInvalidID, "id of %d bytes", len(id))
		require.ErrorContains(t, err, "docs")
		_, _, err = store.Get[int](s, "docs", id)
		require.ErrorIs(t, err, store.ErrInvalidID)
		require.ErrorIs(t, s.Update(func(tx *store.Tx) error { return tx.Delete("docs", id) }), store.ErrInvalidID)
	}
	require.NoError(t, store.Put(s, "docs", strings.Repeat("i", store.MaxIDSize), 1))

	for _, bucket := range []string{"", strings.Repeat("b", store.MaxIDSize+1), "\x00meta"} {
		require.ErrorIs(t, store.Put(s, bucket, "1", 1), store.ErrInvalidID, "bucket %q", bucket)
		_, err := store.List[int](s, bucket)
		require.ErrorIs(t, err, store.ErrInvalidID)
	}

	// Unencodable values are refused, not stored half-way.
	require.ErrorContains(t, store.Put(s, "docs", "ch", make(chan int)), "docs/ch")
}

func TestViewIsReadOnly(t *testing.T) {
	s := openTemp(t)
	require.NoError(t, store.Put(s, "visits", "1", visit{ID: "1"}))
	require.NoError(t, s.View(func(tx *store.Tx) error {
		assert.Error(t, tx.Put("visits", "2", visit{}))
		assert.Error(t, tx.Delete("visits", "1"))
		assert.Error(t, tx.Delete("nobucket", "1"))
		return nil
	}))
	assertAbsent(t, s, "visits", "2")
}

func TestTxUnusableAfterEnd(t *testing.T) {
	s := openTemp(t)
	var kept *store.Tx
	require.NoError(t, s.Update(func(tx *store.Tx) error { kept = tx; return nil }))
	assert.Error(t, kept.Put("visits", "1", 1))
	_, err := kept.Get("visits", "1", nil)
	assert.Error(t, err)
}

func TestConcurrentUse(t *testing.T) {
	s := openTemp(t)
	var wg sync.WaitGroup
	for g := range 8 {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for i := range 20 {
				id := fmt.Sprintf("%d-%d", g, i)
				assert.NoError(t, store.Put(s, "c", id, id))
				_, ok, err := store.Get[string](s, "c", id)
				assert.NoError(t, err)
				assert.True(t, ok)
				_, err = store.List[string](s, "c")
				assert.NoError(t, err)
			}
		}()
	}
	wg.Wait()
	all, err := store.List[string](s, "c")
	require.NoError(t, err)
	assert.Len(t, all, 160)
}

func TestOpenInUseSameProcess(t *testing.T) {
	s := openTemp(t)
	start := time.Now()
	_, err := store.Open(s.Path(), store.WithKey(key1))
	elapsed := time.Since(start)
	require.ErrorIs(t, err, store.ErrInUse)
	assert.EqualError(t, err, "store "+s.Path()+" is in use by another process")
	// It waits for the lock before giving up: a lower bound, which a slow
	// machine only makes longer. How soon it gives up is not asserted.
	assert.GreaterOrEqual(t, elapsed, 900*time.Millisecond, "waits about 1 s for the lock")
	// The failed Open left the first one working.
	require.NoError(t, store.Put(s, "visits", "1", visit{ID: "1"}))
}

func TestOpenInUseOtherProcess(t *testing.T) {
	path := tempPath(t)
	cmd := exec.Command(os.Args[0])
	cmd.Env = append(os.Environ(),
		helperEnv+"=hold",
		helperPathEnv+"="+path,
		helperKeyEnv+"="+base64.StdEncoding.EncodeToString(key1))
	stdin, err := cmd.StdinPipe()
	require.NoError(t, err)
	stdout, err := cmd.StdoutPipe()
	require.NoError(t, err)
	cmd.Stderr = os.Stderr
	require.NoError(t, cmd.Start())
	t.Cleanup(func() { _ = cmd.Process.Kill(); _ = cmd.Wait() })
	line, err := bufio.NewReader(stdout).ReadString('\n')
	require.NoError(t, err)
	require.Equal(t, "ready\n", line)

	_, err = store.Open(path, store.WithKey(key1))
	require.ErrorIs(t, err, store.ErrInUse)
	assert.ErrorContains(t, err, "store "+path+" is in use by another process")

	// Once the other process lets go, the store opens.
	require.NoError(t, stdin.Close())
	require.NoError(t, cmd.Wait())
	s, err := store.Open(path, store.WithKey(key1))
	require.NoError(t, err)
	require.NoError(t, s.Close())
}
