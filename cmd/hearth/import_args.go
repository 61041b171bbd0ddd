package main

import (
	"context"
	"flag"
	"fmt"
	"log/slog"
	"os"

	"github.com/jackc/pgx/v5/pgxpool"

	"github.com/hearthcare/hearth/internal/config"
	"github.com/hearthcare/hearth/internal/db"
	"github.com/hearthcare/hearth/internal/postgres"
)

// importArgs are the flags every import shares: the council it loads into
// and, for most, who imports. open turns them into an importTarget.
type importArgs struct {
	council *string
	as      *string // nil where the import names no one
}

// newImportArgs defines --council on fs, and --as with asHelp unless that is empty.
func newImportArgs(fs *flag.FlagSet, asHelp string) importArgs {
	a := importArgs{council: fs.String("council", "", "council: ONS code (E08000003) or LA code (352)")}
	if asHelp != "" {
		a.as = fs.String("as", "", asHelp)
	}
	return a
}

// importTarget is an import's database, its council and who imports (0 for
// the trusted command line), with the files it opened, closed together.
type importTarget struct {
	pool   *pgxpool.Pool
	la     int32
	userID int64
	files  []*os.File
}

// open takes the steps every import takes before it reads its file: open and
// migrate the database, find the council and the person importing, and scope
// ctx to that council so row-level security admits only its rows. The caller
// closes the target once it has answered.
func (a importArgs) open(ctx context.Context, cfg config.Config, log *slog.Logger) (context.Context, *importTarget, error) {
	pool, err := openDB(ctx, cfg, log)
	if err != nil {
		return ctx, nil, err
	}
	t := &importTarget{pool: pool}
	ctx, err = a.resolve(ctx, cfg, log, t)
	if err != nil {
		t.close()
		return ctx, nil, err
	}
	return ctx, t, nil
}

func (a importArgs) resolve(ctx context.Context, cfg config.Config, log *slog.Logger, t *importTarget) (context.Context, error) {
	if err := migrate(ctx, cfg, log, false); err != nil {
		return ctx, err
	}
	la, err := councilID(ctx, t.pool, *a.council)
	if err != nil {
		return ctx, err
	}
	t.la = la
	ctx = postgres.WithCouncils(ctx, postgres.OnlyCouncils(la))
	if a.as != nil && *a.as != "" {
		u, err := db.New(t.pool).UserGetByEmail(ctx, *a.as)
		if err != nil {
			return ctx, fmt.Errorf("--as: no user %q", *a.as)
		}
		t.userID = u.UserID
	}
	return ctx, nil
}

// openFile opens a file named on the command line; close closes it.
func (t *importTarget) openFile(path string) (*os.File, error) {
	f, err := os.Open(path)
	if err != nil {
		return nil, err
	}
	t.files = append(t.files, f)
	return f, nil
}

func (t *importTarget) close() {
	for _, f := range t.files {
		f.Close()
	}
	t.pool.Close()
}
