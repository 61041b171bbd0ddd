package main

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"io"
	"log/slog"
	"os"
	"text/tabwriter"
	"time"

	"github.com/jackc/pgx/v5"

	"github.com/hearthcare/hearth/internal/config"
	"github.com/hearthcare/hearth/internal/db"
	"github.com/hearthcare/hearth/internal/forecast"
	"github.com/hearthcare/hearth/internal/forecasting"
)

// forecastCmd prints a council's forecast of children in care, with
// intervals, the compatibility mode's figures and the spend, and optionally
// writes it as CSV or backtests both models on the council's own history.
// The command line is trusted, as for reports.
func forecastCmd(ctx context.Context, cfg config.Config, log *slog.Logger, args []string, stdout io.Writer) error {
	const use = "usage: hearth forecast --council CODE --as-of YYYY-MM-DD [--months N] [--paths N] [--seed N] [--window MONTHS] [--uplift 0.03] [--csv FILE] [--backtest]\n" +
		"       hearth forecast --rcc CODE --as-of YYYY-MM-DD [--months N] [--paths N] [--seed N] [--window MONTHS] [--uplift 0.03] [--out FILE.csv]"
	fs := flag.NewFlagSet("forecast", flag.ContinueOnError)
	council := fs.String("council", "", "council: ONS code (E08000003) or LA code (352)")
	asOfFlag := fs.String("as-of", "", "the as-of date: the forecast starts from the children in care that day (default today)")
	months := fs.Int("months", 36, "months to forecast")
	paths := fs.Int("paths", forecast.MinPaths, "simulated paths")
	seed := fs.Uint64("seed", 1, "random seed (the same seed gives the same figures)")
	window := fs.Int("window", 36, "reference window in months before the as-of date")
	uplift := fs.Float64("uplift", 0.03, "yearly price rise for costs")
	csvOut := fs.String("csv", "", "write the forecast as CSV to this file")
	rcc := fs.String("rcc", "", "regional care cooperative's code (gm-rcc in the demo): the regional forecast, protected as published, as CSV")
	outFile := fs.String("out", "", "with --rcc: write the CSV to this file instead of standard output")
	todayFlag := fs.String("today", "", "with --rcc: the day the sharing agreements in force are judged on (default today)")
	backtest := fs.Bool("backtest", false, "also backtest both models on the council's history (quarterly origins over the two years before as-of, 6 and 12 months)")
	if err := fs.Parse(args); err != nil {
		return err
	}
	if (*council == "") == (*rcc == "") {
		return errors.New(use)
	}
	asOf, err := asOfDate(*asOfFlag)
	if err != nil {
		return err
	}
	p := forecasting.Params{AsOf: asOf, Months: *months, Paths: *paths, Seed: *seed, WindowMonths: *window, Uplift: *uplift}
	if *rcc != "" {
		return regionForecastCmd(ctx, cfg, log, *rcc, p, *todayFlag, *outFile, stdout)
	}
	pool, err := openDB(ctx, cfg, log)
	if err != nil {
		return err
	}
	defer pool.Close()
	la, err := councilID(ctx, pool, *council)
	if err != nil {
		return err
	}
	start := time.Now()
	res, err := forecasting.Build(ctx, pool, la, p)
	if err != nil {
		return err
	}
	took := time.Since(start)
	fmt.Fprintf(stdout, "Forecast for %s\nPopulation: %s\nAs of %s; reference window %s to %s; %d months; %d paths, seed %d; uplift %.1f%% a year\n\n",
		res.Council, res.Population, asOf.Format(time.DateOnly), res.WindowFrom.Format(time.DateOnly), res.WindowTo.Format(time.DateOnly),
		p.Months, p.Paths, p.Seed, 100*p.Uplift)
	tw := tabwriter.NewWriter(stdout, 0, 0, 2, ' ', tabwriter.AlignRight)
	fmt.Fprint(tw, "month end\ttotal\t80%\t95%\tFostering\tResidential\tSupported\tOther\tcompat total\tspend £k\t\n")
	for i, mo := range res.Forecast.Months {
		if (i+1)%3 != 0 && i != 0 {
			continue
		}
		spend := ""
		if res.Spend != nil {
			spend = fmt.Sprintf("%.0f", res.Spend[i].Total/100/1000)
		}
		fmt.Fprintf(tw, "%s\t%.0f\t%.0f–%.0f\t%.0f–%.0f\t%.0f\t%.0f\t%.0f\t%.0f\t%.0f\t%s\t\n", mo.Date.Format(time.DateOnly), mo.Total.Mean,
			mo.Total.P10, mo.Total.P90, mo.Total.P025, mo.Total.P975, mo.Category[0].Mean, mo.Category[1].Mean, mo.Category[2].Mean, mo.Category[3].Mean,
			res.Compat.Months[i].Total.Mean, spend)
	}
	if err := tw.Flush(); err != nil {
		return err
	}
	fmt.Fprintf(stdout, "\n%d children costed from recorded weekly costs; %d step-down candidates; computed in %s\n", res.CostedChildren, res.StepDownCandidates, took.Round(time.Millisecond))
	if *csvOut != "" {
		f, err := os.Create(*csvOut)
		if err != nil {
			return err
		}
		if err := forecasting.WriteCSV(f, res); err != nil {
			f.Close()
			return err
		}
		if err := f.Close(); err != nil {
			return err
		}
		fmt.Fprintf(stdout, "wrote %s\n", *csvOut)
	}
	if *backtest {
		bt, err := forecast.RunBacktest(res.History, forecast.BacktestOptions{
			Origins:      forecast.QuarterlyOrigins(asOf.AddDate(-2, 0, 0), asOf.AddDate(-1, 0, 0)),
			WindowMonths: p.WindowMonths, Horizons: []int{6, 12}, Paths: p.Paths, Seed: p.Seed,
		})
		if err != nil {
			return err
		}
		fmt.Fprint(stdout, "\n"+forecasting.FormatBacktest(bt))
	}
	return nil
}

// regionForecastCmd writes an RCC's regional forecast as CSV, exactly as the
// page and the API publish it: from the member councils' shared aggregates
// only, under the RCC's disclosure control (withheld figures are c). The
// command line is trusted, as for the regional report.
func regionForecastCmd(ctx context.Context, cfg config.Config, log *slog.Logger, code string, p forecasting.Params, todayFlag, outFile string, stdout io.Writer) error {
	now := time.Now()
	if todayFlag != "" {
		d, err := time.Parse(time.DateOnly, todayFlag)
		if err != nil {
			return fmt.Errorf("--today: %q is not a date like 2026-03-31", todayFlag)
		}
		now = d
	}
	pool, err := openDB(ctx, cfg, log)
	if err != nil {
		return err
	}
	defer pool.Close()
	rcc, err := db.New(pool).RCCByCode(ctx, code)
	if errors.Is(err, pgx.ErrNoRows) {
		return fmt.Errorf("--rcc: no cooperative with code %q", code)
	}
	if err != nil {
		return err
	}
	res, err := forecasting.BuildRegion(ctx, pool, rcc.RccID, p, now)
	if err != nil {
		return err
	}
	if outFile == "" {
		return forecasting.WriteRegionalCSV(stdout, res)
	}
	f, err := os.Create(outFile)
	if err != nil {
		return err
	}
	if err := forecasting.WriteRegionalCSV(f, res); err != nil {
		f.Close()
		return err
	}
	if err := f.Close(); err != nil {
		return err
	}
	fmt.Fprintf(stdout, "wrote %s: the regional forecast of %s from %d councils as of %s, %d months, as published (withheld figures are c)\n",
		outFile, res.RCC, len(res.Councils), p.AsOf.Format(time.DateOnly), p.Months)
	return nil
}
