package main

import (
	"context"
	"fmt"
	"io"
	"log/slog"
	"time"

	"github.com/jackc/pgx/v5/pgxpool"

	"github.com/hearthcare/hearth/internal/analytics"
	"github.com/hearthcare/hearth/internal/authz"
	"github.com/hearthcare/hearth/internal/db"
	"github.com/hearthcare/hearth/internal/postgres"
	"github.com/hearthcare/hearth/internal/proceedings"
	"github.com/hearthcare/hearth/internal/report"
	"github.com/hearthcare/hearth/internal/sharing"
)

// benchPast compares a past as-of date with today in the same run (issue 19:
// any date within 1.3× today's time): the cohort figures nationally and for
// one council, and that council's commissioning report. The past date is
// first kept as the server's refresher keeps it (schema/031), so what is
// timed is what a person asking for the date a second time gets; the tables'
// path, what the first asker gets, is timed beside it.
func benchPast(ctx context.Context, pool *pgxpool.Pool, log *slog.Logger, all []int32, la int32, asOf, today time.Time, rounds int, stdout io.Writer) error {
	ctx = postgres.WithCouncils(ctx, postgres.AllCouncils())
	start := time.Now()
	analytics.Want(all, asOf)
	built, err := analytics.RefreshPast(ctx, pool, log, today, time.Hour)
	if err != nil {
		return err
	}
	fmt.Fprintf(stdout, "bench analytics --as-of %s: kept the month-ends and the date (%d council-dates built in %s)\n",
		asOf.Format(time.DateOnly), built, time.Since(start).Round(time.Millisecond))
	q := db.New(pool)
	cohort := func(las []int32, d time.Time) func() error {
		return func() error {
			kids, err := analytics.Snapshot(ctx, q, las, d)
			if err != nil {
				return err
			}
			rules, err := analytics.Rules(ctx, q, las)
			if err != nil {
				return err
			}
			analytics.Compute(kids, analytics.Filter{}, d, 12, rules)
			return nil
		}
	}
	tables := func(las []int32, d time.Time) func() error {
		return func() error {
			in, err := q.InstrumentGetByCode(ctx, "hearth-12")
			if err != nil {
				return err
			}
			_, err = q.CohortSnapshot(ctx, db.CohortSnapshotParams{AsOf: d, LaIds: las, InstrumentID: in.InstrumentID})
			return err
		}
	}
	az, err := authz.New(ctx, pool, log)
	if err != nil {
		return err
	}
	pdf := func(d time.Time) func() error {
		return func() error {
			data, err := report.GatherCommissioning(ctx, pool, proceedings.New(pool, az), la, d)
			if err != nil {
				return err
			}
			_, err = report.CommissioningPDF(data)
			return err
		}
	}
	// The regional figures of the first cooperative, as its report gathers them.
	var rcc int32
	regional := func(d time.Time) func() error {
		return func() error {
			if rcc == 0 {
				return nil
			}
			_, err := sharing.New(pool, az).Published(ctx, rcc, analytics.Filter{}, d, proceedings.New(pool, az))
			return err
		}
	}
	if err := pool.QueryRow(ctx, "SELECT coalesce(min(rcc_id), 0) FROM regional_cooperatives").Scan(&rcc); err != nil {
		return err
	}
	rows := []struct {
		name        string
		today, past func() error
		tables      func() error
	}{
		{fmt.Sprintf("every council (%d)", len(all)), cohort(all, today), cohort(all, asOf), tables(all, asOf)},
		{fmt.Sprintf("council %d", la), cohort([]int32{la}, today), cohort([]int32{la}, asOf), tables([]int32{la}, asOf)},
		{fmt.Sprintf("council %d commissioning PDF", la), pdf(today), pdf(asOf), nil},
		{fmt.Sprintf("regional figures (cooperative %d)", rcc), regional(today), regional(asOf), nil},
	}
	fmt.Fprintf(stdout, "medians of %d rounds, today (%s) against %s:\n", rounds, today.Format(time.DateOnly), asOf.Format(time.DateOnly))
	fmt.Fprintf(stdout, "  %-36s %10s %10s %8s %22s\n", "", "today", "past", "ratio", "past from the tables")
	for _, r := range rows {
		t, err := medianOf(rounds, r.today)
		if err != nil {
			return err
		}
		p, err := medianOf(rounds, r.past)
		if err != nil {
			return err
		}
		tab := "-"
		if r.tables != nil {
			d, err := medianOf(rounds, r.tables)
			if err != nil {
				return err
			}
			tab = fmt.Sprintf("%.1f ms (reading only)", msOf(d))
		}
		verdict := "within 1.3"
		if p.Seconds() > 1.3*t.Seconds() {
			verdict = "OVER 1.3"
		}
		fmt.Fprintf(stdout, "  %-36s %7.1f ms %7.1f ms %8.2f %22s  %s\n", r.name, msOf(t), msOf(p), p.Seconds()/t.Seconds(), tab, verdict)
	}
	return nil
}

func medianOf(rounds int, fn func() error) (time.Duration, error) {
	var ds []time.Duration
	for range rounds {
		start := time.Now()
		if err := fn(); err != nil {
			return 0, err
		}
		ds = append(ds, time.Since(start))
	}
	for i := range ds {
		for j := i + 1; j < len(ds); j++ {
			if ds[j] < ds[i] {
				ds[i], ds[j] = ds[j], ds[i]
			}
		}
	}
	return ds[len(ds)/2], nil
}

func msOf(d time.Duration) float64 { return float64(d.Microseconds()) / 1000 }
