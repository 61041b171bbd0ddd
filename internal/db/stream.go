package db

// Written by hand, not generated. sqlc's :many collects every row into a
// growing slice of row structs with a string per text column; for the
// national cohort (100,000 rows) that copying and the garbage it left cost
// several times the query itself. CurrentSnapshotEach streams the same query
// (its SQL is sqlc's, checked by `sqlc diff`) without allocating per row.

import (
	"context"
	"time"

	"github.com/jackc/pgx/v5/pgtype"
)

// ChildCurrentRow is a row of CurrentSnapshot whose text columns point into
// the driver's buffer: valid only until fn returns.
type ChildCurrentRow struct {
	LaID          int32
	ChildID       int64
	Age           int32
	BirthYm       int32
	CareDays      int32
	Uasc          bool
	EhcPlan       bool
	Place         pgtype.DriverBytes
	PlaceProvider pgtype.DriverBytes
	ProviderID    int64
	LegalStatus   pgtype.DriverBytes
	OutOfArea     bool
	DistanceMiles float64
	WeeklyPence   int64
	AssessmentID  int64
	AssessedDays  int32
	Levels        pgtype.DriverBytes
}

// CurrentSnapshotEach calls fn with each row CurrentSnapshot would return,
// in the same order, reusing one row.
func (q *Queries) CurrentSnapshotEach(ctx context.Context, laIds []int32, fn func(*ChildCurrentRow) error) error {
	rows, err := q.db.Query(ctx, currentSnapshot, laIds)
	if err != nil {
		return err
	}
	defer rows.Close()
	var i ChildCurrentRow
	for rows.Next() {
		if err := rows.Scan(&i.LaID, &i.ChildID, &i.Age, &i.BirthYm, &i.CareDays, &i.Uasc, &i.EhcPlan, &i.Place,
			&i.PlaceProvider, &i.ProviderID, &i.LegalStatus, &i.OutOfArea, &i.DistanceMiles, &i.WeeklyPence,
			&i.AssessmentID, &i.AssessedDays, &i.Levels); err != nil {
			return err
		}
		if err := fn(&i); err != nil {
			return err
		}
	}
	return rows.Err()
}

// AsOfSnapshotEach streams AsOfSnapshot (a kept past date, schema/031) the
// way CurrentSnapshotEach streams today's view, into the same row type.
func (q *Queries) AsOfSnapshotEach(ctx context.Context, laIds []int32, asOf time.Time, fn func(*ChildCurrentRow) error) error {
	rows, err := q.db.Query(ctx, asOfSnapshot, laIds, asOf)
	if err != nil {
		return err
	}
	defer rows.Close()
	var i ChildCurrentRow
	for rows.Next() {
		if err := rows.Scan(&i.LaID, &i.ChildID, &i.Age, &i.BirthYm, &i.CareDays, &i.Uasc, &i.EhcPlan, &i.Place,
			&i.PlaceProvider, &i.ProviderID, &i.LegalStatus, &i.OutOfArea, &i.DistanceMiles, &i.WeeklyPence,
			&i.AssessmentID, &i.AssessedDays, &i.Levels); err != nil {
			return err
		}
		if err := fn(&i); err != nil {
			return err
		}
	}
	return rows.Err()
}
