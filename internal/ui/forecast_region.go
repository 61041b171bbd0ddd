package ui

import (
	"errors"
	"net/http"
	"time"

	"github.com/hearthcare/hearth/internal/auth"
	"github.com/hearthcare/hearth/internal/forecast"
	"github.com/hearthcare/hearth/internal/forecasting"
)

// regionForecastPage shows an RCC's regional forecast, from the member
// councils' shared aggregate inputs, as published under the RCC's
// disclosure control.
func (s *Server) regionForecastPage(w http.ResponseWriter, r *http.Request) {
	u := auth.UserFrom(r.Context())
	res, err := s.forecasting().RegionRequest(r.Context(), u.UserID, r.URL.Query().Get)
	if err != nil {
		s.fail(w, r, err)
		return
	}
	data := map[string]any{"R": res, "Q": r.URL.RawQuery, "Categories": categoryNames(), "Bands": bandNames(),
		"AsOf": res.Params.AsOf.Format("2006-01-02"), "From": res.WindowFrom.Format("2006-01-02"),
		"Total": bandedFigure(forecasting.RegionalChart(res, "Children in care", func(m forecasting.RegionalMonth) forecasting.Published { return m.Total }))}
	var charts []any
	for c := range forecast.Category(forecast.NumCategories) {
		charts = append(charts, bandedFigure(forecasting.RegionalChart(res, c.String(), func(m forecasting.RegionalMonth) forecasting.Published { return m.Category[c] })))
	}
	data["Charts"] = charts
	data["S"] = r.URL.Query()
	// Quarter ends, for the tables that would be long by month.
	type compatRow struct {
		Hearth forecasting.RegionalMonth
		Compat forecasting.RegionalCompatMonth
	}
	var cq []compatRow
	for i, c := range res.Compat {
		if (i+1)%3 == 0 && i < len(res.Months) {
			cq = append(cq, compatRow{res.Months[i], c})
		}
	}
	var sq []forecasting.RegionalSpend
	for i, sp := range res.Spend {
		if (i+1)%3 == 0 {
			sq = append(sq, sp)
		}
	}
	data["CompatQ"], data["SpendQ"] = cq, sq
	s.render(w, r, http.StatusOK, "forecast_region", page{Title: "Regional forecast", Data: data})
}

// regionForecastChapter is the regional commissioning PDF's forecast, with
// the default parameters from the report's as-of date; nil when no council
// shares placements (the report then has no Forecast chapter).
func (s *Server) regionForecastChapter(r *http.Request, userID int64, rccID int32, asOf time.Time) (*forecasting.Regional, error) {
	f, err := s.forecasting().Region(r.Context(), userID, rccID, forecasting.Defaults(asOf))
	if errors.Is(err, forecasting.ErrNoSharedInputs) || errors.Is(err, forecasting.ErrNoHistory) {
		return nil, nil
	}
	return f, err
}
