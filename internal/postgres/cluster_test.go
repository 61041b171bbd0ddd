package postgres

import (
	"context"
	"log/slog"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

// TestClusterInPrivateDirectory: run as root from a clone in a private
// directory (mode 0700, like /root or mktemp -d), the cluster still starts:
// the postgres user's files go under RelocatedRoot, and the private directory
// keeps its mode.
func TestClusterInPrivateDirectory(t *testing.T) {
	if os.Geteuid() != 0 {
		t.Skip("only root runs the cluster as another user")
	}
	ctx := context.Background()
	log := slog.New(slog.DiscardHandler)
	if _, err := ServerBinaries(ctx, log); err != nil {
		t.Fatal(err)
	}
	private := t.TempDir()
	if err := os.Chmod(private, 0o700); err != nil {
		t.Fatal(err)
	}
	dir := filepath.Join(private, "clone", ".data", "postgres")
	c, err := StartCluster(ctx, log, dir, ClusterOptions{Fast: true})
	if err != nil {
		t.Fatalf("StartCluster in a 0700 directory: %v", err)
	}
	t.Cleanup(func() {
		_ = StopCluster(context.Background(), log, dir)
		_ = os.RemoveAll(c.ServerDir)
	})
	if !strings.HasPrefix(c.ServerDir, RelocatedRoot+"/") {
		t.Errorf("server files in %q, want under %s", c.ServerDir, RelocatedRoot)
	}
	if fi, err := os.Stat(private); err != nil || fi.Mode().Perm() != 0o700 {
		t.Errorf("the private directory is now %v (%v), want 0700 kept", fi.Mode().Perm(), err)
	}
	again, ok := FindCluster(dir)
	if !ok || again.ServerDir != c.ServerDir {
		t.Errorf("FindCluster(%q) = %+v, %v; want the same server directory", dir, again, ok)
	}
	conn, err := Open(ctx, c.URL())
	if err != nil {
		t.Fatalf("connect: %v", err)
	}
	conn.Close()
}
