package postgres

import (
	"context"
	"fmt"
	"io/fs"
	"regexp"
	"strconv"
	"testing/fstest"
	"time"

	"github.com/jackc/pgx/v5"
)

// Migration numbers are handed out ahead of the work (one branch writes 016
// while another writes 013), and tern refuses a gap. withGaps fills each
// missing number below the highest with an empty migration that records itself
// in schema_gaps; checkGaps then refuses to migrate a database that went past a
// number whose real migration has since arrived, rather than skip it silently.
var migrationName = regexp.MustCompile(`^(\d+)_.+\.sql$`)

func withGaps(src fs.FS) (fs.FS, []int, error) {
	entries, err := fs.ReadDir(src, ".")
	if err != nil {
		return nil, nil, err
	}
	out := fstest.MapFS{}
	have := map[int]bool{}
	top := 0
	for _, e := range entries {
		m := migrationName.FindStringSubmatch(e.Name())
		if e.IsDir() || m == nil {
			continue
		}
		b, err := fs.ReadFile(src, e.Name())
		if err != nil {
			return nil, nil, err
		}
		out[e.Name()] = &fstest.MapFile{Data: b, Mode: 0o444, ModTime: time.Time{}}
		n, _ := strconv.Atoi(m[1])
		have[n] = true
		top = max(top, n)
	}
	var gaps []int
	for n := 1; n < top; n++ {
		if have[n] {
			continue
		}
		gaps = append(gaps, n)
		out[fmt.Sprintf("%03d_gap.sql", n)] = &fstest.MapFile{Mode: 0o444, Data: fmt.Appendf(nil,
			"-- No migration %03d in this build; recorded so that a later one of that number is not skipped.\n"+
				"CREATE TABLE IF NOT EXISTS schema_gaps (version integer PRIMARY KEY);\n"+
				"INSERT INTO schema_gaps VALUES (%d);\n", n, n)}
	}
	return out, gaps, nil
}

// checkGaps fails if the database stood in for a migration that now exists.
func checkGaps(ctx context.Context, conn *pgx.Conn, gaps []int) error {
	var recorded []int32
	err := conn.QueryRow(ctx, `SELECT coalesce(array_agg(version), '{}') FROM schema_gaps`).Scan(&recorded)
	if err != nil {
		// No schema_gaps table: this database never stood in for a migration.
		var exists bool
		if qerr := conn.QueryRow(ctx, "SELECT to_regclass('schema_gaps') IS NOT NULL").Scan(&exists); qerr == nil && !exists {
			return nil
		}
		return fmt.Errorf("read schema_gaps: %w", err)
	}
	for _, v := range recorded {
		missing := false
		for _, g := range gaps {
			missing = missing || g == int(v)
		}
		if !missing {
			return fmt.Errorf("migration %03d arrived after this database was migrated past it (it ran as an empty stand-in); "+
				"apply it by hand or rebuild the database", v)
		}
	}
	return nil
}
