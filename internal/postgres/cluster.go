package postgres

import (
	"context"
	"crypto/rand"
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"errors"
	"fmt"
	"log/slog"
	"net"
	"os"
	"os/exec"
	"os/user"
	"path/filepath"
	"sort"
	"strconv"
	"strings"
	"syscall"
	"time"

	"github.com/jackc/pgx/v5"
)

// A Cluster is a private PostgreSQL server that Hearth starts itself, for
// development (`make run`) and tests, when no DATABASE_URL is given. It lives in
// Dir: how to reach it in Dir/cluster.json, and the server's files in
// Dir/pgdata with its log in Dir/postgres.log. When Hearth runs as root the
// server runs as postgres; if postgres cannot reach Dir (a clone in /root or a
// private mktemp -d), the server's files go to ServerDir under /var/lib/hearth
// instead, so the user's home keeps its permissions. It listens on 127.0.0.1 only, with a generated
// password (SCRAM), and keeps running after the command that started it exits.
type Cluster struct {
	Dir      string `json:"-"`
	Port     int    `json:"port"`
	User     string `json:"user"`
	Password string `json:"password"`
	Database string `json:"database"`
	// ServerDir holds pgdata and the log when it is not Dir (see above).
	ServerDir string `json:"server_dir,omitempty"`
}

// RelocatedRoot is where a root-run cluster keeps its server files when the
// postgres user cannot reach the data directory.
const RelocatedRoot = "/var/lib/hearth/clusters"

// server is the directory of the server's own files: pgdata and the log.
func (c *Cluster) server() string {
	if c.ServerDir != "" {
		return c.ServerDir
	}
	return c.Dir
}

// ClusterOptions tune a cluster at first start.
type ClusterOptions struct {
	Port int  // preferred port; a free one is chosen if it is taken
	Fast bool // trade durability for speed (throwaway test clusters only)
}

// URL is the connection string of the cluster's application database as the
// owner (a superuser here): for migrations, and for tests that make databases.
func (c *Cluster) URL() string { return c.URLFor(c.Database) }

// AppURL is the connection string of the application database as hearth_app,
// the role the server connects as.
func (c *Cluster) AppURL() string {
	return fmt.Sprintf("postgres://%s:%s@127.0.0.1:%d/%s?sslmode=disable", AppRole, AppPassword(c.Password), c.Port, c.Database)
}

// URLFor is the connection string of another database in the cluster.
func (c *Cluster) URLFor(database string) string {
	return fmt.Sprintf("postgres://%s:%s@127.0.0.1:%d/%s?sslmode=disable", c.User, c.Password, c.Port, database)
}

// StartCluster starts the cluster in dir, creating it first if needed, and
// returns how to reach it. It is safe to call from several processes at once.
func StartCluster(ctx context.Context, log *slog.Logger, dir string, opts ClusterOptions) (*Cluster, error) {
	dir, err := filepath.Abs(dir)
	if err != nil {
		return nil, err
	}
	if err := os.MkdirAll(dir, 0o755); err != nil {
		return nil, fmt.Errorf("create cluster directory: %w", err)
	}
	unlock, err := lockDir(dir)
	if err != nil {
		return nil, err
	}
	defer unlock()

	bin, err := ServerBinaries(ctx, log)
	if err != nil {
		return nil, err
	}
	owner, err := clusterOwner()
	if err != nil {
		return nil, err
	}
	c := &Cluster{Dir: dir}
	if err := c.load(); errors.Is(err, os.ErrNotExist) {
		if err := c.initdb(ctx, log, bin, owner, opts); err != nil {
			return nil, err
		}
	} else if err != nil {
		return nil, err
	}
	pgdata := filepath.Join(c.server(), "pgdata")
	if !c.running(ctx, bin, owner) {
		if portTaken(c.Port) {
			// Another program took the port while the cluster was stopped.
			c.Port = freePort(c.Port + 1)
			if err := c.save(); err != nil {
				return nil, err
			}
		}
		log.Info("starting private postgresql", "dir", c.server(), "port", c.Port)
		args := []string{"start", "-w", "-t", "60", "-D", pgdata, "-l", filepath.Join(c.server(), "postgres.log"),
			"-o", fmt.Sprintf("-p %d -c listen_addresses=127.0.0.1 -c unix_socket_directories=''", c.Port)}
		if out, err := run(ctx, owner, c.server(), filepath.Join(bin, "pg_ctl"), args...); err != nil {
			tail, _ := os.ReadFile(filepath.Join(c.server(), "postgres.log"))
			return nil, fmt.Errorf("start postgresql: %w\n%s\n%s", err, out, lastLines(string(tail), 15))
		}
	}
	if err := c.ensureDatabase(ctx); err != nil {
		return nil, err
	}
	return c, nil
}

// FindCluster returns the cluster in dir if one has been created there.
func FindCluster(dir string) (*Cluster, bool) {
	c := &Cluster{Dir: dir}
	if err := c.load(); err != nil {
		return nil, false
	}
	return c, true
}

// StopCluster stops the cluster in dir, if it runs.
func StopCluster(ctx context.Context, log *slog.Logger, dir string) error {
	c, ok := FindCluster(dir)
	if !ok {
		return fmt.Errorf("no private cluster in %s", dir)
	}
	bin, err := ServerBinaries(ctx, log)
	if err != nil {
		return err
	}
	owner, err := clusterOwner()
	if err != nil {
		return err
	}
	if !c.running(ctx, bin, owner) {
		return nil
	}
	out, err := run(ctx, owner, c.server(), filepath.Join(bin, "pg_ctl"), "stop", "-w", "-m", "fast", "-D", filepath.Join(c.server(), "pgdata"))
	if err != nil {
		return fmt.Errorf("stop postgresql: %w\n%s", err, out)
	}
	return nil
}

func (c *Cluster) initdb(ctx context.Context, log *slog.Logger, bin string, owner *osUser, opts ClusterOptions) error {
	c.User, c.Database = "hearth", "hearth"
	c.Password = randomHex(16)
	c.Port = freePort(opts.Port)
	if owner != nil && !reaches(ctx, owner, c.Dir) {
		// The postgres user cannot get to the data directory (a clone in a
		// private home): keep the server's files where it can, rather than
		// opening up the user's home.
		sum := sha256.Sum256([]byte(c.Dir))
		c.ServerDir = filepath.Join(RelocatedRoot, hex.EncodeToString(sum[:])[:16])
		if err := os.MkdirAll(RelocatedRoot, 0o755); err != nil {
			return fmt.Errorf("create %s: %w", RelocatedRoot, err)
		}
		if err := os.MkdirAll(c.ServerDir, 0o700); err != nil {
			return fmt.Errorf("create %s: %w", c.ServerDir, err)
		}
		log.Info("postgresql runs as user "+owner.username+", who cannot reach the data directory; its files go elsewhere",
			"data_dir", c.Dir, "server_dir", c.ServerDir)
	}
	srv := c.server()
	pgdata := filepath.Join(srv, "pgdata")
	log.Info("creating private postgresql cluster", "dir", pgdata, "run_as", owner.name())
	if err := os.MkdirAll(pgdata, 0o700); err != nil {
		return err
	}
	pwfile := filepath.Join(srv, ".pwfile")
	if err := os.WriteFile(pwfile, []byte(c.Password+"\n"), 0o600); err != nil {
		return err
	}
	defer os.Remove(pwfile)
	if owner != nil {
		for _, p := range []string{srv, pgdata, pwfile} {
			if err := os.Chown(p, owner.uid, owner.gid); err != nil {
				return fmt.Errorf("give %s to user %s: %w", p, owner.username, err)
			}
		}
		if out, err := run(ctx, owner, "/", "/usr/bin/test", "-w", srv); err != nil {
			return fmt.Errorf("postgresql runs as user %s, who cannot write to %s (%v %s); "+
				"set HEARTH_DATA_DIR to a directory that user can reach, or set DATABASE_URL", owner.username, srv, err, out)
		}
	}
	out, err := run(ctx, owner, srv, filepath.Join(bin, "initdb"), "-D", pgdata, "-U", c.User, "--pwfile", pwfile,
		"--auth=scram-sha-256", "-E", "UTF8", "--locale=C.UTF-8", "--no-instructions")
	if err != nil {
		return fmt.Errorf("initdb: %w\n%s", err, out)
	}
	conf := "\n# hearth private cluster\nmax_connections = 200\n"
	if opts.Fast {
		conf += "fsync = off\nsynchronous_commit = off\nfull_page_writes = off\n"
	}
	f, err := os.OpenFile(filepath.Join(pgdata, "postgresql.conf"), os.O_APPEND|os.O_WRONLY, 0)
	if err != nil {
		return err
	}
	if _, err := f.WriteString(conf); err != nil {
		f.Close()
		return err
	}
	if err := f.Close(); err != nil {
		return err
	}
	return c.save()
}

func (c *Cluster) save() error {
	b, _ := json.MarshalIndent(c, "", "  ")
	return os.WriteFile(filepath.Join(c.Dir, "cluster.json"), b, 0o600)
}

func (c *Cluster) load() error {
	b, err := os.ReadFile(filepath.Join(c.Dir, "cluster.json"))
	if err != nil {
		return fmt.Errorf("read cluster settings: %w", err)
	}
	return json.Unmarshal(b, c)
}

// reaches reports whether owner can get into dir (search permission on it and
// every directory above it).
func reaches(ctx context.Context, owner *osUser, dir string) bool {
	_, err := run(ctx, owner, "/", "/usr/bin/test", "-x", dir)
	return err == nil
}

func (c *Cluster) running(ctx context.Context, bin string, owner *osUser) bool {
	_, err := run(ctx, owner, c.server(), filepath.Join(bin, "pg_ctl"), "status", "-D", filepath.Join(c.server(), "pgdata"))
	return err == nil
}

func (c *Cluster) ensureDatabase(ctx context.Context) error {
	conn, err := pgx.Connect(ctx, c.URLFor("postgres"))
	if err != nil {
		return fmt.Errorf("connect to private cluster: %w", err)
	}
	defer conn.Close(ctx)
	var exists bool
	if err := conn.QueryRow(ctx, "SELECT EXISTS (SELECT 1 FROM pg_database WHERE datname = $1)", c.Database).Scan(&exists); err != nil {
		return err
	}
	if !exists {
		if _, err := conn.Exec(ctx, "CREATE DATABASE "+pgx.Identifier{c.Database}.Sanitize()); err != nil {
			return fmt.Errorf("create database: %w", err)
		}
	}
	return EnsureAppRole(ctx, conn, AppPassword(c.Password))
}

// ServerBinaries finds the PostgreSQL server programs (initdb, pg_ctl). When they
// are missing and Hearth runs as root on Debian, it installs Debian's postgresql
// package; otherwise it says what to install.
func ServerBinaries(ctx context.Context, log *slog.Logger) (string, error) {
	if dir := findServerBinaries(); dir != "" {
		return dir, nil
	}
	if os.Geteuid() == 0 && fileExists("/etc/debian_version") {
		log.Info("postgresql server not found; installing debian package postgresql")
		env := append(os.Environ(), "DEBIAN_FRONTEND=noninteractive")
		for _, args := range [][]string{{"update"}, {"install", "-y", "--no-install-recommends", "postgresql"}} {
			cmd := exec.CommandContext(ctx, "apt-get", args...)
			cmd.Env = env
			if out, err := cmd.CombinedOutput(); err != nil {
				return "", fmt.Errorf("apt-get %s: %w\n%s", strings.Join(args, " "), err, lastLines(string(out), 20))
			}
		}
		if dir := findServerBinaries(); dir != "" {
			return dir, nil
		}
	}
	return "", errors.New("the PostgreSQL server (initdb, pg_ctl) is not installed: install PostgreSQL 15 or later " +
		"(Debian/Ubuntu: sudo apt-get install postgresql; macOS: brew install postgresql@16), or set DATABASE_URL")
}

func findServerBinaries() string {
	if p, err := exec.LookPath("pg_ctl"); err == nil {
		if real, err := filepath.EvalSymlinks(p); err == nil {
			p = real
		}
		if fileExists(filepath.Join(filepath.Dir(p), "initdb")) {
			return filepath.Dir(p)
		}
	}
	// Debian keeps server programs off PATH, one directory per major version.
	dirs, _ := filepath.Glob("/usr/lib/postgresql/*/bin")
	sort.Slice(dirs, func(i, j int) bool { return versionOf(dirs[i]) > versionOf(dirs[j]) })
	for _, d := range dirs {
		if fileExists(filepath.Join(d, "pg_ctl")) && fileExists(filepath.Join(d, "initdb")) {
			return d
		}
	}
	return ""
}

func versionOf(binDir string) int {
	v, _ := strconv.Atoi(filepath.Base(filepath.Dir(binDir)))
	return v
}

// osUser is the unprivileged account a cluster runs as when Hearth runs as root
// (PostgreSQL refuses to run as root). nil means "the current user".
type osUser struct {
	username string
	uid, gid int
}

func (u *osUser) name() string {
	if u == nil {
		return "current user"
	}
	return u.username
}

func clusterOwner() (*osUser, error) {
	if os.Geteuid() != 0 {
		return nil, nil
	}
	for _, name := range []string{"postgres", "nobody"} {
		u, err := user.Lookup(name)
		if err != nil {
			continue
		}
		uid, _ := strconv.Atoi(u.Uid)
		gid, _ := strconv.Atoi(u.Gid)
		return &osUser{username: name, uid: uid, gid: gid}, nil
	}
	return nil, errors.New("running as root, and there is no postgres or nobody user to run PostgreSQL as")
}

func run(ctx context.Context, owner *osUser, dir, prog string, args ...string) (string, error) {
	cmd := exec.CommandContext(ctx, prog, args...)
	cmd.Dir = dir
	// Its own process group, so Ctrl-C on `make run` does not stop the cluster.
	cmd.SysProcAttr = &syscall.SysProcAttr{Setpgid: true}
	if owner != nil {
		cmd.SysProcAttr.Credential = &syscall.Credential{Uid: uint32(owner.uid), Gid: uint32(owner.gid)}
	}
	cmd.Env = append(os.Environ(), "LC_ALL=C.UTF-8")
	out, err := cmd.CombinedOutput()
	return string(out), err
}

func lockDir(dir string) (func(), error) {
	f, err := os.OpenFile(filepath.Join(dir, ".lock"), os.O_CREATE|os.O_RDWR, 0o644)
	if err != nil {
		return nil, fmt.Errorf("lock cluster directory: %w", err)
	}
	if err := syscall.Flock(int(f.Fd()), syscall.LOCK_EX); err != nil {
		f.Close()
		return nil, fmt.Errorf("lock cluster directory: %w", err)
	}
	return func() { f.Close() }, nil
}

func freePort(preferred int) int {
	if preferred > 0 && !portTaken(preferred) {
		return preferred
	}
	l, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		return 54329
	}
	defer l.Close()
	return l.Addr().(*net.TCPAddr).Port
}

func portTaken(port int) bool {
	conn, err := net.DialTimeout("tcp", fmt.Sprintf("127.0.0.1:%d", port), 300*time.Millisecond)
	if err != nil {
		return false
	}
	conn.Close()
	return true
}

func randomHex(n int) string {
	b := make([]byte, n)
	_, _ = rand.Read(b)
	return hex.EncodeToString(b)
}

func fileExists(p string) bool { _, err := os.Stat(p); return err == nil }

func lastLines(s string, n int) string {
	lines := strings.Split(strings.TrimRight(s, "\n"), "\n")
	if len(lines) > n {
		lines = lines[len(lines)-n:]
	}
	return strings.Join(lines, "\n")
}
