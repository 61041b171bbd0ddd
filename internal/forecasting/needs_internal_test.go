package forecasting

import (
	"reflect"
	"testing"
	"time"

	"github.com/hearthcare/hearth/internal/db"
	"github.com/hearthcare/hearth/internal/forecast"
	"github.com/hearthcare/hearth/internal/needs"
)

// TestNeedChanges: a child's band from each approved assessment on, by an
// instrument with two bands (high: any domain at 3 or more; low otherwise).
// The second assessment's band repeats the first and is no change; the
// third makes the child high; on 1 August a high assessment and its approved
// correction (low) are both dated that day, and the correction decides it:
// low; on 1 September another high one corrected the same day leaves the
// child low, so no change is recorded.
func TestNeedChanges(t *testing.T) {
	in := needs.Instrument{Bands: []needs.Band{{Code: "high", Rules: []needs.Rule{{MinLevel: 3, MinCount: 1}}}, {Code: "low"}}}
	d := func(s string) time.Time { v, _ := time.Parse(time.DateOnly, s); return v }
	sup := func(id int64) *int64 { return &id }
	rows := []db.ForecastNeedAssessmentsRow{
		{AssessmentID: 1, AssessedOn: d("2025-01-10"), Levels: []int32{1, 2}},
		{AssessmentID: 2, AssessedOn: d("2025-04-10"), Levels: []int32{2, 2}},
		{AssessmentID: 3, AssessedOn: d("2025-07-10"), Levels: []int32{3, 1}},
		{AssessmentID: 5, AssessedOn: d("2025-08-01"), Levels: []int32{4, 4}},
		{AssessmentID: 6, AssessedOn: d("2025-08-01"), Levels: []int32{1, 1}, Supersedes: sup(5)},
		{AssessmentID: 7, AssessedOn: d("2025-09-01"), Levels: []int32{4, 1}},
		{AssessmentID: 8, AssessedOn: d("2025-09-01"), Levels: []int32{1, 2}, Supersedes: sup(7)},
	}
	got := needChanges(in, rows)
	want := []forecast.NeedChange{{On: d("2025-01-10"), Band: "low"}, {On: d("2025-07-10"), Band: "high"}, {On: d("2025-08-01"), Band: "low"}}
	if !reflect.DeepEqual(got, want) {
		t.Errorf("changes %+v; want %+v", got, want)
	}
}
