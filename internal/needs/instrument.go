// Package needs owns needs instruments (domains, levels and bands, as data),
// needs assessments and their workflow (draft → submitted → approved, or
// returned), and what is derived from them: need score, band, change per domain
// and the next review date.
package needs

import (
	"context"
	"fmt"

	"github.com/hearthcare/hearth/internal/db"
)

// Instrument is a needs framework: its domains, its scale and its bands.
type Instrument struct {
	ID       int32
	Code     string
	Name     string
	Min, Max int32
	Domains  []db.NeedsDomain
	Levels   []db.NeedsLevel
	Bands    []Band // most severe first
}

// Band is a named range of need with the rules that put an assessment in it.
type Band struct {
	Code  string
	Label string
	Rank  int32
	Rules []Rule // any one holding puts the assessment in the band; none = fallback
}

// Rule holds when at least MinCount domains are rated MinLevel or higher.
type Rule struct{ MinLevel, MinCount int32 }

// LoadInstrument reads an instrument and its parts.
func LoadInstrument(ctx context.Context, q *db.Queries, id int32) (Instrument, error) {
	row, err := q.InstrumentGet(ctx, id)
	if err != nil {
		return Instrument{}, fmt.Errorf("instrument %d: %w", id, err)
	}
	in := Instrument{ID: row.InstrumentID, Code: row.Code, Name: row.Name, Min: row.MinLevel, Max: row.MaxLevel}
	if in.Domains, err = q.InstrumentDomains(ctx, id); err != nil {
		return in, err
	}
	if in.Levels, err = q.InstrumentLevels(ctx, id); err != nil {
		return in, err
	}
	rows, err := q.InstrumentBands(ctx, id)
	if err != nil {
		return in, err
	}
	for _, r := range rows {
		if len(in.Bands) == 0 || in.Bands[len(in.Bands)-1].Code != r.Band {
			in.Bands = append(in.Bands, Band{Code: r.Band, Label: r.Label, Rank: r.Rank})
		}
		if r.MinLevel != nil && r.MinCount != nil {
			b := &in.Bands[len(in.Bands)-1]
			b.Rules = append(b.Rules, Rule{*r.MinLevel, *r.MinCount})
		}
	}
	return in, nil
}

// HasDomain reports whether code is one of the instrument's domains.
func (in Instrument) HasDomain(code string) bool {
	for _, d := range in.Domains {
		if d.DomainCode == code {
			return true
		}
	}
	return false
}

// Score is the sum of the levels given.
func Score(levels map[string]int32) int32 {
	var s int32
	for _, l := range levels {
		s += l
	}
	return s
}

// BandOf returns the most severe band whose rules hold for the levels, or the
// fallback band (the one without rules).
func (in Instrument) BandOf(levels map[string]int32) Band {
	ls := make([]int32, 0, len(levels))
	for _, l := range levels {
		ls = append(ls, l)
	}
	return in.BandOfLevels(ls)
}

// BandOfLevels is BandOf for levels in any order (bands only count them).
func (in Instrument) BandOfLevels(levels []int32) Band {
	var fallback Band
	for _, b := range in.Bands { // most severe first
		if len(b.Rules) == 0 {
			fallback = b
			continue
		}
		for _, r := range b.Rules {
			n := int32(0)
			for _, l := range levels {
				if l >= r.MinLevel {
					n++
				}
			}
			if n >= r.MinCount {
				return b
			}
		}
	}
	return fallback
}
