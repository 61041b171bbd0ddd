package forecasting

import (
	"fmt"
	"io"
	"strconv"
	"time"

	"github.com/hearthcare/hearth/internal/csvsafe"
	"github.com/hearthcare/hearth/internal/forecast"
)

// CSVHeader names the columns of WriteCSV. Every row carries the population,
// window, as-of date and parameters it rests on, so a row copied elsewhere
// still says what it is.
var CSVHeader = []string{"council", "month_end", "series", "group", "mean", "p2_5", "p10", "p50", "p90", "p97_5",
	"compat_mean", "spend_pounds", "population", "as_of", "window_from", "window_to", "months", "paths", "seed", "uplift", "method"}

// WriteCSV writes a forecast month by month: the total, each category and
// each age band, with intervals, the compatibility mode's expected count
// (total and categories) and the month's spend in pounds.
func WriteCSV(w io.Writer, r *Result) error {
	cw := csvsafe.NewWriter(w)
	if err := cw.Write(CSVHeader); err != nil {
		return err
	}
	f2 := func(v float64) string { return strconv.FormatFloat(v, 'f', 2, 64) }
	meta := []string{r.Population, r.Params.AsOf.Format(time.DateOnly), r.WindowFrom.Format(time.DateOnly), r.WindowTo.Format(time.DateOnly),
		strconv.Itoa(r.Params.Months), strconv.Itoa(r.Params.Paths), strconv.FormatUint(r.Params.Seed, 10), f2(r.Params.Uplift), r.Forecast.Method}
	for i, mo := range r.Forecast.Months {
		d := mo.Date.Format(time.DateOnly)
		row := func(series, group string, iv forecast.Interval, compat, spend string) error {
			rec := append([]string{r.Council, d, series, group, f2(iv.Mean), f2(iv.P025), f2(iv.P10), f2(iv.P50), f2(iv.P90), f2(iv.P975), compat, spend}, meta...)
			return cw.Write(rec)
		}
		spend := func(v float64) string {
			if r.Spend == nil {
				return ""
			}
			return f2(v / 100)
		}
		var sp forecast.CostMonth
		if r.Spend != nil {
			sp = r.Spend[i]
		}
		if err := row("total", "all children", mo.Total, f2(r.Compat.Months[i].Total.Mean), spend(sp.Total)); err != nil {
			return err
		}
		for c := range forecast.Category(forecast.NumCategories) {
			if err := row("category", c.String(), mo.Category[c], f2(r.Compat.Months[i].Category[c].Mean), spend(sp.Category[c])); err != nil {
				return err
			}
		}
		for b := range forecast.AgeBand(forecast.NumAgeBands) {
			if err := row("age band", b.String(), mo.Band[b], "", ""); err != nil {
				return err
			}
		}
	}
	cw.Flush()
	if err := cw.Error(); err != nil {
		return fmt.Errorf("forecast csv: %w", err)
	}
	return nil
}

func parseInt(s string) (int, error) { return strconv.Atoi(s) }

func parseFloat(s string) (float64, error) { return strconv.ParseFloat(s, 64) }
