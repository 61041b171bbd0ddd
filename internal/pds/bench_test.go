package pds_test

import (
	"bytes"
	"fmt"
	"testing"
	"time"

	"github.com/hearthcare/hearth/internal/pds"
)

// BenchmarkReturn reads and writes a return of 1,000 placements (a large
// region's quarter) as CSV and as a workbook.
func BenchmarkReturn(b *testing.B) {
	start := time.Date(2026, 7, 1, 0, 0, 0, 0, time.UTC)
	recs := make([]pds.Record, 1000)
	for i := range recs {
		recs[i] = sample(fmt.Sprintf("CH%05d", i), start.AddDate(0, 0, i%90), i)
	}
	var csvBuf, xBuf bytes.Buffer
	if err := pds.WriteCSV(&csvBuf, recs); err != nil {
		b.Fatal(err)
	}
	if err := pds.WriteXLSX(&xBuf, recs); err != nil {
		b.Fatal(err)
	}
	for _, tc := range []struct {
		name string
		run  func() error
	}{
		{"write-csv", func() error { return pds.WriteCSV(&bytes.Buffer{}, recs) }},
		{"write-xlsx", func() error { return pds.WriteXLSX(&bytes.Buffer{}, recs) }},
		{"read-csv", func() error { _, err := pds.ReadReturn(csvBuf.Bytes()); return err }},
		{"read-xlsx", func() error { _, err := pds.ReadReturn(xBuf.Bytes()); return err }},
	} {
		b.Run(tc.name, func(b *testing.B) {
			for b.Loop() {
				if err := tc.run(); err != nil {
					b.Fatal(err)
				}
			}
		})
	}
}
