package postgres

import (
	"context"
	"fmt"
	"slices"
	"strconv"
	"strings"

	"github.com/jackc/pgx/v5"
)

// Councils is the set of councils whose rows a database session may see, the
// second wall behind the SQL scoping (docs/security.md, "Row-level security").
// The zero value is no council at all.
type Councils struct {
	all bool
	ids []int32
}

// AllCouncils is every council: for system-wide roles and the jobs that work
// across the whole system.
func AllCouncils() Councils { return Councils{all: true} }

// OnlyCouncils is the given councils.
func OnlyCouncils(ids ...int32) Councils {
	ids = slices.Clone(ids)
	slices.Sort(ids)
	return Councils{ids: slices.Compact(ids)}
}

// All reports whether the set is every council.
func (c Councils) All() bool { return c.all }

// IDs lists the councils of a set that is not every council.
func (c Councils) IDs() []int32 { return slices.Clone(c.ids) }

// Union is the councils in either set.
func (c Councils) Union(o Councils) Councils {
	if c.all || o.all {
		return AllCouncils()
	}
	return OnlyCouncils(append(slices.Clone(c.ids), o.ids...)...)
}

// setting is the value of hearth.la_ids that schema/016's hearth_council_ids reads.
func (c Councils) setting() string {
	if c.all {
		return "*"
	}
	parts := make([]string, len(c.ids))
	for i, id := range c.ids {
		parts[i] = strconv.Itoa(int(id))
	}
	return strings.Join(parts, ",")
}

type councilsKey struct{}

// WithCouncils returns a context whose database work sees only the councils in
// c. Set it once per request (from the signed-in user's roles) or per job (the
// councils the job touches); every connection taken from a pool opened by Open
// with that context carries it, whatever query is run on it.
func WithCouncils(ctx context.Context, c Councils) context.Context {
	return context.WithValue(ctx, councilsKey{}, c)
}

// CouncilsFrom returns the councils ctx carries, and whether it carries any.
func CouncilsFrom(ctx context.Context) (Councils, bool) {
	c, ok := ctx.Value(councilsKey{}).(Councils)
	return c, ok
}

// scopeKey is where a connection remembers the hearth.la_ids it holds, so a
// connection that goes back out for the same councils costs no round trip.
const scopeKey = "hearth.la_ids"

// scopeConn sets hearth.la_ids on conn for the councils ctx carries, or for
// unscoped when it carries none. It is a session setting, made as the
// connection leaves the pool and before any transaction: every use of the
// connection (a query, a transaction, COPY) then sees only those councils, and
// the next acquire overwrites it, so nothing is left behind for another request.
func scopeConn(ctx context.Context, conn *pgx.Conn, unscoped Councils) error {
	c, ok := CouncilsFrom(ctx)
	if !ok {
		c = unscoped
	}
	want := c.setting()
	data := conn.PgConn().CustomData()
	if have, ok := data[scopeKey].(string); ok && have == want {
		return nil
	}
	// Forget the old value first: if the set fails, the next acquire sets again.
	delete(data, scopeKey)
	if _, err := conn.Exec(ctx, "SELECT set_config('hearth.la_ids', $1, false)", want); err != nil {
		return err
	}
	data[scopeKey] = want
	return nil
}

// CopyFrom is tx.CopyFrom for a table that may be under row-level security.
// PostgreSQL refuses COPY FROM into such a table ("COPY FROM not supported with
// row-level security"), so for hearth_app the rows are copied into a temporary
// table of the same columns and moved across with one INSERT … SELECT, which
// the table's policy checks row by row: an import for one council cannot write
// another's rows. Roles that row-level security does not apply to copy directly.
func CopyFrom(ctx context.Context, tx pgx.Tx, table string, cols []string, src pgx.CopyFromSource) (int64, error) {
	var active bool
	if err := tx.QueryRow(ctx, "SELECT row_security_active($1::regclass)", table).Scan(&active); err != nil {
		return 0, fmt.Errorf("copy into %s: %w", table, err)
	}
	if !active {
		return tx.CopyFrom(ctx, pgx.Identifier{table}, cols, src)
	}
	list := make([]string, len(cols))
	for i, c := range cols {
		list[i] = pgx.Identifier{c}.Sanitize()
	}
	columns := strings.Join(list, ", ")
	target := pgx.Identifier{table}.Sanitize()
	staging := pgx.Identifier{"hearth_copy_" + table}.Sanitize()
	for _, sql := range []string{
		"DROP TABLE IF EXISTS pg_temp." + staging,
		fmt.Sprintf("CREATE TEMP TABLE %s ON COMMIT DROP AS SELECT %s FROM %s WITH NO DATA", staging, columns, target),
	} {
		if _, err := tx.Exec(ctx, sql); err != nil {
			return 0, fmt.Errorf("copy into %s: %w", table, err)
		}
	}
	if _, err := tx.CopyFrom(ctx, pgx.Identifier{"hearth_copy_" + table}, cols, src); err != nil {
		return 0, err
	}
	tag, err := tx.Exec(ctx, fmt.Sprintf("INSERT INTO %s (%s) OVERRIDING SYSTEM VALUE SELECT %s FROM %s", target, columns, columns, staging))
	if err != nil {
		return 0, err
	}
	if _, err := tx.Exec(ctx, "DROP TABLE pg_temp."+staging); err != nil {
		return 0, fmt.Errorf("copy into %s: %w", table, err)
	}
	return tag.RowsAffected(), nil
}
