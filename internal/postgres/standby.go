package postgres

import (
	"context"
	"fmt"
	"log/slog"
	"os"
	"os/exec"
	"path/filepath"
	"strconv"
	"syscall"

	"github.com/jackc/pgx/v5"
)

// Standby is a hot standby of a private or test cluster, for trying replica
// reads (DATABASE_REPLICA_URL) on one machine.
type Standby struct {
	Dir  string
	Port int
	bin  string
	own  *osUser
	// slot is the primary's replication slot for this standby. Without one
	// the primary may recycle WAL the standby has not yet received (a busy
	// test cluster writes gigabytes cloning databases), and the standby then
	// stops receiving for good.
	slot     string
	ownerURL string
}

// StartStandby copies the cluster that ownerURL reaches (a superuser or
// replication role) with pg_basebackup -R into dir and starts it as a hot
// standby on a free port, streaming from the primary.
func StartStandby(ctx context.Context, log *slog.Logger, ownerURL, dir string) (*Standby, error) {
	cfg, err := pgx.ParseConfig(ownerURL)
	if err != nil {
		return nil, fmt.Errorf("standby: %w", err)
	}
	bin, err := ServerBinaries(ctx, log)
	if err != nil {
		return nil, err
	}
	owner, err := clusterOwner()
	if err != nil {
		return nil, err
	}
	if err := os.MkdirAll(dir, 0o700); err != nil {
		return nil, err
	}
	if owner != nil {
		if err := os.Chown(dir, owner.uid, owner.gid); err != nil {
			return nil, err
		}
	}
	s := &Standby{Dir: dir, Port: freePort(int(cfg.Port) + 100), bin: bin, own: owner, ownerURL: ownerURL}
	s.slot = fmt.Sprintf("hearth_standby_%d_%d", s.Port, os.Getpid())
	pgdata := filepath.Join(dir, "pgdata")
	if out, err := s.run(ctx, cfg.Password, filepath.Join(bin, "pg_basebackup"), "-D", pgdata, "-R", "-X", "stream", "-c", "fast",
		"-C", "-S", s.slot, "-h", cfg.Host, "-p", strconv.Itoa(int(cfg.Port)), "-U", cfg.User); err != nil {
		return nil, fmt.Errorf("pg_basebackup: %w\n%s", err, out)
	}
	if out, err := s.run(ctx, "", filepath.Join(bin, "pg_ctl"), "start", "-w", "-t", "60", "-D", pgdata, "-l", filepath.Join(dir, "postgres.log"),
		"-o", fmt.Sprintf("-p %d -c listen_addresses=127.0.0.1 -c unix_socket_directories='' -c hot_standby=on", s.Port)); err != nil {
		tail, _ := os.ReadFile(filepath.Join(dir, "postgres.log"))
		return nil, fmt.Errorf("start standby: %w\n%s\n%s", err, out, lastLines(string(tail), 15))
	}
	return s, nil
}

// Stop stops the standby and drops its replication slot on the primary, so
// the primary stops keeping WAL for it.
func (s *Standby) Stop(ctx context.Context) error {
	out, err := s.run(ctx, "", filepath.Join(s.bin, "pg_ctl"), "stop", "-w", "-m", "fast", "-D", filepath.Join(s.Dir, "pgdata"))
	if err != nil {
		return fmt.Errorf("stop standby: %w\n%s", err, out)
	}
	conn, err := pgx.Connect(ctx, s.ownerURL)
	if err != nil {
		return fmt.Errorf("drop standby slot: %w", err)
	}
	defer conn.Close(ctx)
	if _, err := conn.Exec(ctx, "SELECT pg_drop_replication_slot(slot_name) FROM pg_replication_slots WHERE slot_name = $1", s.slot); err != nil {
		return fmt.Errorf("drop standby slot %s: %w", s.slot, err)
	}
	return nil
}

// LogTail is the end of the standby's server log, for a failing test to show.
func (s *Standby) LogTail() string {
	b, _ := os.ReadFile(filepath.Join(s.Dir, "postgres.log"))
	return lastLines(string(b), 20)
}

func (s *Standby) run(ctx context.Context, password, prog string, args ...string) (string, error) {
	cmd := exec.CommandContext(ctx, prog, args...)
	cmd.Dir = s.Dir
	cmd.SysProcAttr = &syscall.SysProcAttr{Setpgid: true}
	if s.own != nil {
		cmd.SysProcAttr.Credential = &syscall.Credential{Uid: uint32(s.own.uid), Gid: uint32(s.own.gid)}
	}
	cmd.Env = append(os.Environ(), "LC_ALL=C.UTF-8")
	if password != "" {
		cmd.Env = append(cmd.Env, "PGPASSWORD="+password)
	}
	out, err := cmd.CombinedOutput()
	return string(out), err
}
