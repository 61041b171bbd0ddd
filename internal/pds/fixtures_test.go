package pds_test

import (
	"bytes"
	"encoding/csv"
	"encoding/json"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"

	"github.com/hearthcare/hearth/internal/pds"
)

// The fixtures are written from the standard's SHACL rules as standards.md
// describes them (sh:in code lists, required fields, the outward-postcode
// pattern, the conditional "other" rules): the published SHACL examples are
// not available here. Each is one record's cells by field; an invalid one
// names the field it must be refused on. Each goes through the importer as a
// one-row CSV return, as a council's file would.
func fixtureReturn(t *testing.T, path string) ([]byte, string) {
	t.Helper()
	raw, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	var cells map[string]string
	if err := json.Unmarshal(raw, &cells); err != nil {
		t.Fatalf("%s: %v", path, err)
	}
	want := cells["_refused_field"]
	delete(cells, "_refused_field")
	row := make([]string, len(pds.Columns))
	for i, c := range pds.Columns {
		v, ok := cells[c.Field()]
		if !ok {
			t.Fatalf("%s has no %s", path, c.Field())
		}
		row[i] = v
	}
	var buf bytes.Buffer
	w := csv.NewWriter(&buf)
	_ = w.Write(pds.Headers())
	_ = w.Write(row)
	w.Flush()
	return buf.Bytes(), want
}

func TestFixtures(t *testing.T) {
	t.Parallel()
	valid, _ := filepath.Glob("testdata/valid/*.json")
	invalid, _ := filepath.Glob("testdata/invalid/*.json")
	if len(valid) < 3 || len(invalid) < 10 {
		t.Fatalf("%d valid and %d invalid fixtures", len(valid), len(invalid))
	}
	for _, p := range valid {
		t.Run(filepath.Base(p), func(t *testing.T) {
			data, _ := fixtureReturn(t, p)
			rows, err := pds.ReadReturn(data)
			if err != nil || len(rows) != 1 {
				t.Fatalf("refused: %v", err)
			}
		})
	}
	for _, p := range invalid {
		t.Run(filepath.Base(p), func(t *testing.T) {
			data, want := fixtureReturn(t, p)
			_, err := pds.ReadReturn(data)
			fields := problemFields(err)
			if !slices.ContainsFunc(fields, func(f string) bool { return strings.Contains(f, "column "+header(want)+" ") }) {
				t.Fatalf("problems %v (%v); want one on %s, row 2", fields, err, want)
			}
			if !strings.Contains(fields[0], "row 2") {
				t.Errorf("problem %q does not name row 2", fields[0])
			}
		})
	}
}

// header is the template's spelling of a field's column.
func header(field string) string {
	for _, c := range pds.Columns {
		if c.Field() == field {
			return c.Header
		}
	}
	return field
}

// TestLabelsMatchNotations: labels from the Excel drop-downs are stored as
// notations, without regard to case or spaces.
func TestLabelsMatchNotations(t *testing.T) {
	t.Parallel()
	for _, tc := range []struct {
		list pds.CodeList
		in   string
		want string
	}{
		{pds.Urgency, "< 5days", "lt-5-days"},
		{pds.Urgency, "GT-5-DAYS", "gt-5-days"},
		{pds.PlacementType, "Residential ", "residential"},
		{pds.PlacementType, "supported accommodation", "supported-accommodation"},
		{pds.PetsAllowance, "Yes–must", "yes-must"},
		{pds.Suitability, "Suitable but not preferred", "suitable-not-preferred"},
		{pds.OutOfLAReason, "Bail conditions", "bail"},
		{pds.Urgency, "soon", ""},
	} {
		got, _ := tc.list.Match(tc.in)
		if got != tc.want {
			t.Errorf("%s.Match(%q) = %q; want %q", tc.list.Scheme, tc.in, got, tc.want)
		}
	}
}
