package demo

import (
	"context"
	"fmt"
	"time"

	"github.com/jackc/pgx/v5"
	"github.com/jackc/pgx/v5/pgxpool"

	"github.com/hearthcare/hearth/internal/auth"
	"github.com/hearthcare/hearth/internal/db"
)

// Load writes a generated region into an empty database in one transaction, with
// COPY for the bulk rows. It refuses a database that already has children.
func Load(ctx context.Context, pool *pgxpool.Pool, reg Region) error {
	return pgx.BeginFunc(ctx, pool, func(tx pgx.Tx) error {
		q := db.New(tx)
		var existing int64
		if err := tx.QueryRow(ctx, "SELECT count(*) FROM children").Scan(&existing); err != nil {
			return err
		}
		if existing > 0 {
			return fmt.Errorf("demo: the database already holds %d children; load the demo into an empty database", existing)
		}
		rcc, err := q.RCCUpsert(ctx, db.RCCUpsertParams{Code: RCC.Code, Name: RCC.Name})
		if err != nil {
			return fmt.Errorf("demo rcc: %w", err)
		}
		joined := time.Date(2025, 5, 1, 0, 0, 0, 0, time.UTC)
		for _, c := range Councils {
			if err := q.LocalAuthorityUpsert(ctx, db.LocalAuthorityUpsertParams{LaID: c.LAID, OnsCode: c.ONSCode, Name: c.Name}); err != nil {
				return fmt.Errorf("demo council %s: %w", c.Name, err)
			}
			if err := q.RCCMembershipInsert(ctx, db.RCCMembershipInsertParams{RccID: rcc.RccID, LaID: c.LAID, ValidFrom: joined}); err != nil {
				return err
			}
		}

		// One hash for every demo user: argon2id per user would take minutes at national scale.
		hash := auth.HashPassword(Password)
		userRows := make([][]any, len(reg.Users))
		for i, u := range reg.Users {
			userRows[i] = []any{u.Email, u.Name, hash, u.Team}
		}
		if _, err := tx.CopyFrom(ctx, pgx.Identifier{"users"}, []string{"email", "display_name", "password_hash", "team"},
			pgx.CopyFromRows(userRows)); err != nil {
			return fmt.Errorf("demo users: %w", err)
		}
		userIDs := map[string]int64{}
		rows, err := tx.Query(ctx, "SELECT email, user_id FROM users")
		if err != nil {
			return err
		}
		for rows.Next() {
			var e string
			var id int64
			if err := rows.Scan(&e, &id); err != nil {
				return err
			}
			userIDs[e] = id
		}
		if err := rows.Err(); err != nil {
			return err
		}
		var grantRows [][]any
		for _, u := range reg.Users {
			for _, g := range u.Grants {
				var la, rc any
				if g.LAID != 0 {
					la = g.LAID
				}
				if g.RCC {
					rc = rcc.RccID
				}
				grantRows = append(grantRows, []any{userIDs[u.Email], g.Role, la, rc})
			}
		}
		if _, err := tx.CopyFrom(ctx, pgx.Identifier{"role_assignments"}, []string{"user_id", "role", "la_id", "rcc_id"},
			pgx.CopyFromRows(grantRows)); err != nil {
			return fmt.Errorf("demo role assignments: %w", err)
		}

		childCols := []string{"la_id", "child_ref", "given_name", "family_name", "date_of_birth", "sex", "ethnicity", "upn", "uasc", "ehc_plan", "disability"}
		if _, err := tx.CopyFrom(ctx, pgx.Identifier{"children"}, childCols, pgx.CopyFromSlice(len(reg.Children), func(i int) ([]any, error) {
			c := reg.Children[i]
			return []any{c.LAID, c.Ref, c.GivenName, c.FamilyName, c.DateOfBirth, c.Sex, c.Ethnicity, c.UPN, c.UASC, c.EHCPlan, c.Disability}, nil
		})); err != nil {
			return fmt.Errorf("demo children: %w", err)
		}
		ids, err := ChildIDs(ctx, tx)
		if err != nil {
			return err
		}
		if _, err := tx.CopyFrom(ctx, pgx.Identifier{"care_periods"}, []string{"la_id", "child_id", "started_on"},
			pgx.CopyFromSlice(len(reg.Children), func(i int) ([]any, error) {
				c := reg.Children[i]
				return []any{c.LAID, ids[ChildKey{c.LAID, c.Ref}], c.CareStart}, nil
			})); err != nil {
			return fmt.Errorf("demo care periods: %w", err)
		}
		if _, err := tx.CopyFrom(ctx, pgx.Identifier{"allocations"}, []string{"la_id", "child_id", "user_id", "valid_from"},
			pgx.CopyFromSlice(len(reg.Children), func(i int) ([]any, error) {
				c := reg.Children[i]
				return []any{c.LAID, ids[ChildKey{c.LAID, c.Ref}], userIDs[c.Worker], c.AllocatedFrom}, nil
			})); err != nil {
			return fmt.Errorf("demo allocations: %w", err)
		}
		_, err = tx.Exec(ctx, "ANALYZE")
		return err
	})
}

// ChildKey identifies a child by council and the council's reference.
type ChildKey struct {
	LAID int32
	Ref  string
}

// ChildIDs maps every child's council reference to Hearth's child ID.
func ChildIDs(ctx context.Context, tx pgx.Tx) (map[ChildKey]int64, error) {
	rows, err := tx.Query(ctx, "SELECT la_id, child_ref, child_id FROM children")
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	ids := map[ChildKey]int64{}
	for rows.Next() {
		var k ChildKey
		var id int64
		if err := rows.Scan(&k.LAID, &k.Ref, &id); err != nil {
			return nil, err
		}
		ids[k] = id
	}
	return ids, rows.Err()
}

// SignIns lists one demo account per role, for printing at start-up.
func SignIns(reg Region) [][2]string {
	seen := map[string]bool{}
	var out [][2]string
	for _, u := range reg.Users {
		for _, g := range u.Grants {
			if !seen[g.Role] {
				seen[g.Role] = true
				out = append(out, [2]string{g.Role, u.Email})
			}
		}
	}
	return out
}
