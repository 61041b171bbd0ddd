package analytics

import (
	"context"
	"errors"
	"fmt"
	"log/slog"
	"sync"
	"time"

	"github.com/jackc/pgx/v5"
	"github.com/jackc/pgx/v5/pgxpool"

	"github.com/hearthcare/hearth/internal/db"
	"github.com/hearthcare/hearth/internal/needs"
	"github.com/hearthcare/hearth/internal/postgres"
)

// Past as-of dates (schema/031, decisions.md 31). A council's children in
// care on a past date are kept in child_as_of once worked out, for every
// month-end of the last KeptMonths and for dates someone asked for in the
// last week; writes mark the dates they can change stale in their own
// transaction, and a stale date is read from the tables until it is built
// again. Figures from a kept date are therefore the tables' figures, only
// sooner.

// KeptMonths is how many month-ends back are kept.
const KeptMonths = 24

// wantedFor is how long a date other than a month-end is kept after it was
// last asked for.
const wantedFor = 7 * 24 * time.Hour

// maxWanted bounds the dates remembered between refreshes: asking for many
// dates cannot make the refresher build without end.
const maxWanted = 200

// wanted are past dates read from the tables since the last refresh, per
// council: the refresher keeps them. Held in memory because the read may be
// on a replica, which cannot be written to; a second Hearth process keeps its
// own, which only means a date asked for there is kept from its own refresh.
var wanted = struct {
	sync.Mutex
	dates map[wantKey]bool
}{dates: map[wantKey]bool{}}

type wantKey struct {
	la   int32
	asOf time.Time
}

// Want asks the refresher to keep the councils' children in care on a past
// date (reading it from the tables did).
func Want(las []int32, asOf time.Time) {
	wanted.Lock()
	defer wanted.Unlock()
	for _, la := range las {
		if len(wanted.dates) >= maxWanted {
			return
		}
		wanted.dates[wantKey{la, asOf}] = true
	}
}

func takeWanted() map[int32][]time.Time {
	wanted.Lock()
	defer wanted.Unlock()
	out := map[int32][]time.Time{}
	for k := range wanted.dates {
		out[k.la] = append(out[k.la], k.asOf)
	}
	clear(wanted.dates)
	return out
}

// keptSnapshot streams a past date's kept rows into b when every council's
// date is built and not stale for the instrument; ok is false otherwise
// (nothing was read).
func keptSnapshot(ctx context.Context, q *db.Queries, b *builder, las []int32, asOf time.Time) (ok bool, err error) {
	ready, err := q.AsOfReady(ctx, db.AsOfReadyParams{LaIds: las, AsOf: asOf, InstrumentID: b.in.ID})
	if err != nil || ready != int64(len(las)) {
		return false, err
	}
	n, err := q.AsOfCount(ctx, db.AsOfCountParams{LaIds: las, AsOf: asOf})
	if err != nil {
		return false, err
	}
	b.kids = make([]Child, 0, n)
	err = q.AsOfSnapshotEach(ctx, las, asOf, func(r *db.ChildCurrentRow) error {
		b.add(r)
		return nil
	})
	return err == nil, err
}

// ErrBusy is a build that found a writer of the council uncommitted; the
// next refresh tries again.
var ErrBusy = errors.New("a write to the council is in progress")

// BuildAsOf works out and keeps one council's children in care on asOf. It
// holds the council's snapshot lock for the transaction (try-lock: it fails
// with ErrBusy rather than make writers queue behind it), so it reads only
// committed writes and any later write marks the date stale again.
func BuildAsOf(ctx context.Context, pool *pgxpool.Pool, la int32, asOf time.Time, instrumentID int32) (int64, error) {
	ctx = postgres.WithCouncils(ctx, postgres.OnlyCouncils(la))
	var n int64
	err := postgres.InTx(ctx, pool, func(tx pgx.Tx) error {
		q := db.New(tx)
		got, err := q.AsOfTryLock(ctx, la)
		if err != nil {
			return err
		}
		if !got {
			return ErrBusy
		}
		if err := q.AsOfStart(ctx, db.AsOfStartParams{LaID: la, AsOf: asOf, InstrumentID: instrumentID}); err != nil {
			return err
		}
		if err := q.AsOfClear(ctx, db.AsOfClearParams{LaID: la, AsOf: asOf}); err != nil {
			return err
		}
		if n, err = q.AsOfFill(ctx, db.AsOfFillParams{LaID: la, AsOf: asOf, InstrumentID: instrumentID}); err != nil {
			return err
		}
		return q.AsOfBuilt(ctx, db.AsOfBuiltParams{LaID: la, AsOf: asOf, N: int32(n)})
	})
	if err != nil {
		return 0, fmt.Errorf("keep council %d's children in care on %s: %w", la, asOf.Format(time.DateOnly), err)
	}
	return n, nil
}

// MonthEnds are the last n month-ends before today, latest first.
func MonthEnds(today time.Time, n int) []time.Time {
	first := time.Date(today.Year(), today.Month(), 1, 0, 0, 0, 0, time.UTC)
	out := make([]time.Time, n)
	for i := range out {
		out[i] = first.AddDate(0, -i, -1)
	}
	return out
}

// RefreshPast keeps the past dates: it adds the month-ends and the dates
// asked for since the last run, forgets dates no longer kept, and builds what
// is missing or stale, latest first, until budget has passed (the rest wait
// for the next run). It returns how many council-dates it built.
func RefreshPast(ctx context.Context, pool *pgxpool.Pool, log *slog.Logger, today time.Time, budget time.Duration) (int, error) {
	start := time.Now()
	all := postgres.WithCouncils(ctx, postgres.AllCouncils())
	q := db.New(pool)
	row, err := q.InstrumentGetByCode(all, needs.DefaultInstrument)
	if err != nil {
		return 0, fmt.Errorf("keep past dates: the default instrument: %w", err)
	}
	las, err := q.AsOfCouncils(all)
	if err != nil {
		return 0, fmt.Errorf("keep past dates: councils: %w", err)
	}
	if err := q.AsOfWant(all, db.AsOfWantParams{InstrumentID: row.InstrumentID, WantedAt: today, LaIds: las, Dates: MonthEnds(today, KeptMonths)}); err != nil {
		return 0, fmt.Errorf("keep past dates: month-ends: %w", err)
	}
	for la, dates := range takeWanted() {
		var past []time.Time
		for _, d := range dates {
			if d.Before(today) {
				past = append(past, d)
			}
		}
		if len(past) == 0 {
			continue
		}
		if err := q.AsOfWant(all, db.AsOfWantParams{InstrumentID: row.InstrumentID, WantedAt: today, LaIds: []int32{la}, Dates: past}); err != nil {
			return 0, fmt.Errorf("keep past dates asked for: %w", err)
		}
	}
	if _, err := q.AsOfExpire(all, db.AsOfExpireParams{Oldest: MonthEnds(today, KeptMonths)[KeptMonths-1], UnwantedBefore: today.Add(-wantedFor)}); err != nil {
		return 0, fmt.Errorf("keep past dates: forget old ones: %w", err)
	}
	built := 0
	for time.Since(start) < budget {
		todo, err := q.AsOfToBuild(all, db.AsOfToBuildParams{InstrumentID: row.InstrumentID, Today: today, Max: 50})
		if err != nil {
			return built, fmt.Errorf("keep past dates: what to build: %w", err)
		}
		if len(todo) == 0 {
			break
		}
		busy := 0
		for _, d := range todo {
			if time.Since(start) >= budget {
				break
			}
			if _, err := BuildAsOf(ctx, pool, d.LaID, d.AsOf, row.InstrumentID); errors.Is(err, ErrBusy) {
				busy++
				continue
			} else if err != nil {
				return built, err
			}
			built++
		}
		if busy == len(todo) {
			break // every one is being written to: next run
		}
	}
	if log != nil && built > 0 {
		log.Debug("kept past dates", "built", built, "took", time.Since(start))
	}
	return built, nil
}
