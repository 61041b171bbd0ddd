package postgres

import (
	"context"
	"crypto/sha256"
	"encoding/hex"
	"fmt"
	"strings"

	"github.com/jackc/pgx/v5"
)

// AppRole is the role the server connects as. Migrations (schema/016) grant it
// its privileges by this name.
const AppRole = "hearth_app"

// AppPassword is hearth_app's password on a private or test cluster, derived
// from the owner's so that every process sharing the cluster agrees on it
// without storing a second secret. Deployments choose their own
// (docs/deployment.md).
func AppPassword(ownerPassword string) string {
	h := sha256.Sum256([]byte("hearth_app\x00" + ownerPassword))
	return hex.EncodeToString(h[:16])
}

// EnsureAppRole makes hearth_app a login role with the password, on a cluster
// where conn's user may create roles (the private and test clusters). It is
// safe to run from several processes at once.
func EnsureAppRole(ctx context.Context, conn *pgx.Conn, password string) error {
	tx, err := conn.Begin(ctx)
	if err != nil {
		return fmt.Errorf("create role %s: %w", AppRole, err)
	}
	defer tx.Rollback(ctx) //nolint:errcheck
	// Roles are shared by the cluster's databases; one creator at a time.
	if _, err := tx.Exec(ctx, "SELECT pg_advisory_xact_lock(7464201003)"); err != nil {
		return fmt.Errorf("create role %s: %w", AppRole, err)
	}
	var exists bool
	if err := tx.QueryRow(ctx, "SELECT EXISTS (SELECT 1 FROM pg_roles WHERE rolname = $1)", AppRole).Scan(&exists); err != nil {
		return fmt.Errorf("create role %s: %w", AppRole, err)
	}
	verb := "CREATE"
	if exists {
		verb = "ALTER"
	}
	// A password cannot be a bind parameter in CREATE ROLE.
	q := fmt.Sprintf("%s ROLE %s LOGIN NOSUPERUSER NOCREATEDB NOCREATEROLE NOBYPASSRLS PASSWORD '%s'",
		verb, AppRole, strings.ReplaceAll(password, "'", "''"))
	if _, err := tx.Exec(ctx, q); err != nil {
		return fmt.Errorf("create role %s: %w", AppRole, err)
	}
	return tx.Commit(ctx)
}
