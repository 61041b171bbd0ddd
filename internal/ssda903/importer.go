package ssda903

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"log/slog"
	"runtime/debug"
	"strconv"
	"sync"
	"sync/atomic"
	"time"

	"github.com/jackc/pgx/v5"
	"github.com/jackc/pgx/v5/pgxpool"

	"github.com/hearthcare/hearth/internal/audit"
	"github.com/hearthcare/hearth/internal/authz"
	"github.com/hearthcare/hearth/internal/children"
	"github.com/hearthcare/hearth/internal/db"
	"github.com/hearthcare/hearth/internal/importq"
	"github.com/hearthcare/hearth/internal/postgres"
	"github.com/hearthcare/hearth/internal/valid"
)

// Importer loads returns into Hearth. It is used by pointer and never copied
// (go vet's copylocks checks): it waits for its own statistics refreshes.
type Importer struct {
	Pool  *pgxpool.Pool
	Authz *authz.Authorizer
	Log   *slog.Logger

	stats     sync.WaitGroup // statistics refreshes after committed imports
	statsTook atomic.Int64   // the last one's duration
}

// Progress hears how far an import has got.
type Progress func(stage string, done, total int64)

// Counts says what an import did to one kind of record.
type Counts struct {
	Rows      int64 `json:"rows"`
	Inserted  int64 `json:"inserted"`
	Updated   int64 `json:"updated"`
	Unchanged int64 `json:"unchanged"`
}

// Report is the outcome of an import: what was read, every problem, and what changed.
type Report struct {
	ImportID int64             `json:"import_id"`
	LAID     int32             `json:"la_id"`
	Year     string            `json:"year"`
	Imported bool              `json:"imported"`
	Files    []FileSummary     `json:"files"`
	Errors   int               `json:"errors"`
	Warnings int               `json:"warnings"`
	Problems []Problem         `json:"problems"` // every one, structural first
	Counts   map[string]Counts `json:"counts"`
	Seconds  float64           `json:"seconds"`
	Failure  string            `json:"failure,omitempty"` // why a failed import failed
}

// ErrRefused is returned when a return has errors: nothing was imported.
var ErrRefused = errors.New("the return has errors; nothing was imported")

// Import reads and checks the files, then, if there is no error, loads them in
// one transaction: children from Header, episodes (merged by child and start
// date), UASC, SDQ scores from OC2, missing episodes and reviews; then rebuilds
// the affected children's care periods and legal statuses. Importing the same
// files again changes nothing. It is Begin then Run.
func (im *Importer) Import(ctx context.Context, userID int64, laID int32, y Year, files []File, progress Progress) (Report, error) {
	return im.ImportWith(ctx, userID, laID, y, files, progress, Options{})
}

// Options change how a return is loaded.
type Options struct {
	// ReplaceLater lets a return for an earlier year than one already
	// imported change what the later return recorded (each change audited).
	// Without it such a return is refused, listing what it would change.
	ReplaceLater bool
}

// ImportWith is Import with options.
func (im *Importer) ImportWith(ctx context.Context, userID int64, laID int32, y Year, files []File, progress Progress, opts Options) (Report, error) {
	var names []string
	for _, f := range files {
		names = append(names, f.Name)
	}
	id, err := im.Begin(ctx, userID, laID, y, names)
	if err != nil {
		return Report{LAID: laID, Year: y.String()}, err
	}
	return im.RunWith(ctx, id, userID, laID, y, files, progress, opts)
}

// Begin checks the caller may import for the council and records the import,
// so a page can follow it while Run works.
func (im *Importer) Begin(ctx context.Context, userID int64, laID int32, y Year, names []string) (int64, error) {
	// userID 0 is the command line: whoever can run it already holds the database.
	if userID != 0 && !im.Authz.Allowed(userID, authz.CouncilDomain(laID), authz.Placement, authz.Import) {
		_ = audit.Record(ctx, im.Pool, audit.Event{UserID: userID, LAID: laID, Action: "import", Entity: "ssda903", Outcome: audit.Denied})
		return 0, children.ErrForbidden
	}
	if y < 2000 || y > 2100 {
		return 0, valid.Errorf("year", "%d is not a collection year", y)
	}
	clean := []string{}
	for _, n := range names {
		clean = append(clean, cleanText(n, maxValueRunes))
	}
	names = clean
	year := int32(y)
	return db.New(im.Pool).ImportBegin(ctx, db.ImportBeginParams{LaID: laID, Kind: "ssda903", UserID: nullID(userID), Year: &year, Files: names})
}

// Run reads, checks and loads a begun import, recording progress and the
// report on its imports row.
func (im *Importer) Run(ctx context.Context, id, userID int64, laID int32, y Year, files []File, progress Progress) (Report, error) {
	return im.RunWith(ctx, id, userID, laID, y, files, progress, Options{})
}

// RunWith is Run with options.
func (im *Importer) RunWith(ctx context.Context, id, userID int64, laID int32, y Year, files []File, progress Progress, opts Options) (rep Report, err error) {
	// An import touches its council's rows and no other's (row-level security).
	ctx = postgres.WithCouncils(ctx, postgres.OnlyCouncils(laID))
	stop := importq.Heartbeat(ctx, im.Pool, im.Log, id)
	defer stop()
	defer func() {
		// Whatever the input, the import ends recorded, never "running".
		if p := recover(); p != nil {
			im.Log.Error("import panicked", "import_id", id, "panic", p, "stack", string(debug.Stack()))
			err = fmt.Errorf("import %d: internal error: %v", id, p)
			importq.Fail(ctx, im.Pool, im.Log, id, "Hearth failed while importing; the import team has the details")
		}
	}()
	if progress == nil {
		progress = func(string, int64, int64) {}
	}
	rep = Report{ImportID: id, LAID: laID, Year: y.String(), Counts: map[string]Counts{}}
	var names []string
	for _, f := range files {
		names = append(names, f.Name)
	}
	start := time.Now()
	track := func(stage string, done, total int64) {
		progress(stage, done, total)
		if err := db.New(im.Pool).ImportProgress(context.WithoutCancel(ctx), db.ImportProgressParams{ImportID: id, Stage: stage, Done: done, Total: total}); err != nil {
			im.Log.Warn("import progress", "err", err)
		}
	}
	track("reading and checking", 0, 0)
	r, whole := parse(y, files)
	if whole && r.Errors() == 0 {
		// The checks across tables (a seventh of an import's time) run on
		// the second core while the load writes, in its transaction; the
		// load commits only once they have passed, so a return they refuse
		// still writes nothing (docs/scaling.md).
		checked := r.checkAside()
		err = im.load(ctx, userID, laID, r, &rep, track, opts, func() bool { return checked() == 0 })
		if checked() > 0 {
			// Refused by the checks: the load rolled back, and whatever it
			// found (a conflict, a key the checks also name) is their consequence.
			err = nil
		}
	} else if whole {
		r.crossCheck()
	}
	r.sortProblems()
	rep.Files = r.Files
	rep.Errors, rep.Warnings = r.Errors(), len(r.Problems)-r.Errors()
	rep.Problems = r.Problems
	if rep.Errors == 0 {
		var ce *conflictError
		if errors.As(err, &ce) {
			for _, p := range ce.problems {
				rep.Problems = append(rep.Problems, p.Clean())
			}
			rep.Errors += len(ce.problems)
			err = nil
		}
		rep.Imported = err == nil && rep.Errors == 0
	}
	rep.Seconds = time.Since(start).Seconds()
	status := "imported"
	switch {
	case err != nil:
		status = "failed"
		rep.Failure = "Hearth could not save the return (" + cleanText(err.Error(), 200) + "); nothing was imported. Try again, and tell the service desk if it fails again"
	case !rep.Imported:
		status = "refused"
	}
	body, _ := json.Marshal(rep)
	if uerr := db.New(im.Pool).ImportFinish(context.WithoutCancel(ctx), db.ImportFinishParams{ImportID: id, Status: status, Report: body}); uerr != nil && err == nil {
		err = uerr
	}
	_ = audit.Record(context.WithoutCancel(ctx), im.Pool, audit.Event{UserID: userID, LAID: laID, Action: "import", Entity: "ssda903",
		EntityID: strconv.FormatInt(id, 10), Outcome: map[bool]string{true: audit.OK, false: audit.Failed}[rep.Imported],
		Detail: map[string]any{"year": rep.Year, "errors": rep.Errors, "warnings": rep.Warnings, "files": names}})
	if err != nil {
		return rep, err
	}
	if !rep.Imported {
		return rep, ErrRefused
	}
	return rep, nil
}

// conflictError carries problems found against records already in Hearth.
type conflictError struct{ problems []Problem }

func (e *conflictError) Error() string {
	return fmt.Sprintf("%d conflicts with records in Hearth", len(e.problems))
}

func countSDQ(r *Return) int {
	n := 0
	for _, o := range r.OC2 {
		if o.SDQ != nil {
			n++
		}
	}
	return n
}

// nullID is a user ID, or nil for the command line.
func nullID(id int64) *int64 {
	if id == 0 {
		return nil
	}
	return &id
}

// Get returns an import the caller may see: one of a council where they hold
// placement import. Anything else answers ErrNotFound (so import numbers of
// other councils stay unknown), audited against the import's council.
func (im *Importer) Get(ctx context.Context, userID, id int64) (db.ImportGetRow, error) {
	imp, err := db.New(im.Pool).ImportGet(ctx, id)
	if err != nil && !errors.Is(err, pgx.ErrNoRows) {
		return imp, fmt.Errorf("import %d: %w", id, err)
	}
	if err == nil && im.Authz.Allowed(userID, authz.CouncilDomain(imp.LaID), authz.Placement, authz.Import) {
		return imp, audit.Record(ctx, im.Pool, audit.Event{UserID: userID, LAID: imp.LaID, Action: "view", Entity: "import",
			EntityID: strconv.FormatInt(id, 10)})
	}
	if aerr := audit.Record(ctx, im.Pool, audit.Event{UserID: userID, LAID: imp.LaID, Action: "view", Entity: "import",
		EntityID: strconv.FormatInt(id, 10), Outcome: audit.NotFound}); aerr != nil {
		return db.ImportGetRow{}, aerr
	}
	return db.ImportGetRow{}, children.ErrNotFound
}

// Council returns the council of an import, for recording a refused request
// against it.
func (im *Importer) Council(ctx context.Context, id int64) (int32, bool) {
	imp, err := db.New(im.Pool).ImportGet(ctx, id)
	return imp.LaID, err == nil
}
