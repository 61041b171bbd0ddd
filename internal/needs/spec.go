package needs

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"reflect"
	"regexp"
	"sort"

	"github.com/jackc/pgx/v5"
	"github.com/jackc/pgx/v5/pgxpool"

	"github.com/hearthcare/hearth/internal/db"
	"github.com/hearthcare/hearth/internal/valid"
)

// Spec is an instrument as a file describes it (docs/instruments/ has an
// example). Bands are listed least severe first; exactly one has no rules and
// is where an assessment falls when no other band's rules hold.
type Spec struct {
	Code     string       `json:"code"`
	Version  int32        `json:"version"`
	Name     string       `json:"name"`
	MinLevel int32        `json:"min_level"`
	MaxLevel int32        `json:"max_level"`
	Levels   []SpecLevel  `json:"levels"`
	Domains  []SpecDomain `json:"domains"`
	Bands    []SpecBand   `json:"bands"`
}

// SpecLevel is one point of the scale, with what a social worker reads while rating.
type SpecLevel struct {
	Level    int32  `json:"level"`
	Label    string `json:"label"`
	Guidance string `json:"guidance"`
}

// SpecDomain is one domain of need.
type SpecDomain struct {
	Code        string `json:"code"`
	Name        string `json:"name"`
	Description string `json:"description"`
}

// SpecBand is a band and the rules that put an assessment in it.
type SpecBand struct {
	Code  string     `json:"code"`
	Label string     `json:"label"`
	Rules []SpecRule `json:"rules"`
}

// SpecRule holds when at least MinCount domains are rated MinLevel or higher.
type SpecRule struct {
	MinLevel int32 `json:"min_level"`
	MinCount int32 `json:"min_count"`
}

var (
	codeRE   = regexp.MustCompile(`^[a-z0-9-]+$`)
	domainRE = regexp.MustCompile(`^[a-z0-9_]+$`)
)

// ParseSpec reads and checks an instrument file, naming every problem by its
// place in the file (domains[3].code).
func ParseSpec(r io.Reader) (Spec, error) {
	var sp Spec
	dec := json.NewDecoder(r)
	dec.DisallowUnknownFields()
	if err := dec.Decode(&sp); err != nil {
		var se *json.SyntaxError
		if errors.As(err, &se) {
			return sp, valid.Errorf("file", "not valid JSON at byte %d: %v", se.Offset, err)
		}
		return sp, valid.Errorf("file", "not an instrument file: %v", err)
	}
	return sp, sp.Check()
}

// Check reports everything wrong with a spec.
func (sp Spec) Check() error {
	var ps valid.Problems
	if !codeRE.MatchString(sp.Code) {
		ps.Add("code", "%q must be lower-case letters, digits and hyphens", sp.Code)
	}
	if sp.Version < 1 {
		ps.Add("version", "must be 1 or more")
	}
	if sp.Name == "" {
		ps.Add("name", "give the instrument a name")
	}
	if sp.MaxLevel <= sp.MinLevel {
		ps.Add("max_level", "must be greater than min_level (%d)", sp.MinLevel)
	} else if sp.MaxLevel-sp.MinLevel > 10 {
		ps.Add("max_level", "a scale of more than 11 points is not supported")
	}
	seenLevel := map[int32]bool{}
	for i, l := range sp.Levels {
		f := fmt.Sprintf("levels[%d]", i)
		switch {
		case l.Level < sp.MinLevel || l.Level > sp.MaxLevel:
			ps.Add(f+".level", "%d is outside the scale %d to %d", l.Level, sp.MinLevel, sp.MaxLevel)
		case seenLevel[l.Level]:
			ps.Add(f+".level", "level %d is described twice", l.Level)
		}
		seenLevel[l.Level] = true
		if l.Label == "" {
			ps.Add(f+".label", "give level %d a label", l.Level)
		}
	}
	for l := sp.MinLevel; l <= sp.MaxLevel && sp.MaxLevel-sp.MinLevel <= 10; l++ {
		if !seenLevel[l] {
			ps.Add("levels", "level %d has no label; describe every level from %d to %d", l, sp.MinLevel, sp.MaxLevel)
		}
	}
	if len(sp.Domains) == 0 {
		ps.Add("domains", "list at least one domain")
	}
	seenDomain := map[string]bool{}
	for i, d := range sp.Domains {
		f := fmt.Sprintf("domains[%d]", i)
		switch {
		case !domainRE.MatchString(d.Code):
			ps.Add(f+".code", "%q must be lower-case letters, digits and underscores", d.Code)
		case seenDomain[d.Code]:
			ps.Add(f+".code", "%q is listed twice", d.Code)
		}
		seenDomain[d.Code] = true
		if d.Name == "" {
			ps.Add(f+".name", "give domain %q a name", d.Code)
		}
	}
	fallbacks := 0
	seenBand := map[string]bool{}
	for i, b := range sp.Bands {
		f := fmt.Sprintf("bands[%d]", i)
		switch {
		case !domainRE.MatchString(b.Code):
			ps.Add(f+".code", "%q must be lower-case letters, digits and underscores", b.Code)
		case seenBand[b.Code]:
			ps.Add(f+".code", "%q is listed twice", b.Code)
		}
		seenBand[b.Code] = true
		if b.Label == "" {
			ps.Add(f+".label", "give band %q a label", b.Code)
		}
		if len(b.Rules) == 0 {
			fallbacks++
		}
		for j, r := range b.Rules {
			rf := fmt.Sprintf("%s.rules[%d]", f, j)
			if r.MinLevel < sp.MinLevel || r.MinLevel > sp.MaxLevel {
				ps.Add(rf+".min_level", "%d is outside the scale %d to %d", r.MinLevel, sp.MinLevel, sp.MaxLevel)
			}
			if r.MinCount < 1 || int(r.MinCount) > len(sp.Domains) {
				ps.Add(rf+".min_count", "must be between 1 and the number of domains (%d)", len(sp.Domains))
			}
		}
	}
	if len(sp.Bands) > 0 && fallbacks != 1 {
		ps.Add("bands", "exactly one band must have no rules (the band when no other applies); %d do", fallbacks)
	}
	if len(sp.Bands) == 0 {
		ps.Add("bands", "list at least one band")
	}
	return ps.Err()
}

// SpecOf describes a loaded instrument as a file would.
func SpecOf(in Instrument, version int32) Spec {
	sp := Spec{Code: in.Code, Version: version, Name: in.Name, MinLevel: in.Min, MaxLevel: in.Max}
	for _, l := range in.Levels {
		sp.Levels = append(sp.Levels, SpecLevel{Level: l.Level, Label: l.Label, Guidance: l.Guidance})
	}
	for _, d := range in.Domains {
		sp.Domains = append(sp.Domains, SpecDomain{Code: d.DomainCode, Name: d.Name, Description: d.Description})
	}
	for i := len(in.Bands) - 1; i >= 0; i-- { // least severe first
		b := in.Bands[i]
		sb := SpecBand{Code: b.Code, Label: b.Label, Rules: []SpecRule{}}
		for _, r := range b.Rules {
			sb.Rules = append(sb.Rules, SpecRule{MinLevel: r.MinLevel, MinCount: r.MinCount})
		}
		sp.Bands = append(sp.Bands, sb)
	}
	return sp
}

// ErrInstrumentExists is returned when a different instrument with the same
// code and version is already loaded: a changed instrument needs a new version,
// because approved assessments refer to the old one.
var ErrInstrumentExists = errors.New("a different instrument with this code and version is already loaded")

// Install loads a checked spec in one transaction. Loading the same spec again
// changes nothing and reports created=false.
func Install(ctx context.Context, pool *pgxpool.Pool, sp Spec) (in Instrument, created bool, err error) {
	if err := sp.Check(); err != nil {
		return in, false, err
	}
	err = pgx.BeginFunc(ctx, pool, func(tx pgx.Tx) error {
		q := db.New(tx)
		if _, err := tx.Exec(ctx, "LOCK TABLE needs_instruments IN SHARE ROW EXCLUSIVE MODE"); err != nil {
			return err
		}
		existing, err := q.InstrumentGetByCodeVersion(ctx, db.InstrumentGetByCodeVersionParams{Code: sp.Code, Version: sp.Version})
		if err == nil {
			if in, err = LoadInstrument(ctx, q, existing); err != nil {
				return err
			}
			if !reflect.DeepEqual(normal(SpecOf(in, sp.Version)), normal(sp)) {
				return fmt.Errorf("%s version %d: %w", sp.Code, sp.Version, ErrInstrumentExists)
			}
			return nil
		}
		if !errors.Is(err, pgx.ErrNoRows) {
			return err
		}
		row, err := q.InstrumentInsert(ctx, db.InstrumentInsertParams{Code: sp.Code, Version: sp.Version, Name: sp.Name,
			MinLevel: sp.MinLevel, MaxLevel: sp.MaxLevel})
		if err != nil {
			return fmt.Errorf("instrument: %w", err)
		}
		id := row.InstrumentID
		for _, l := range sp.Levels {
			if err := q.InstrumentLevelInsert(ctx, db.InstrumentLevelInsertParams{InstrumentID: id, Level: l.Level, Label: l.Label, Guidance: l.Guidance}); err != nil {
				return fmt.Errorf("level %d: %w", l.Level, err)
			}
		}
		for i, d := range sp.Domains {
			if err := q.InstrumentDomainInsert(ctx, db.InstrumentDomainInsertParams{InstrumentID: id, DomainCode: d.Code,
				Position: int32(i + 1), Name: d.Name, Description: d.Description}); err != nil {
				return fmt.Errorf("domain %s: %w", d.Code, err)
			}
		}
		for i, b := range sp.Bands {
			if err := q.InstrumentBandInsert(ctx, db.InstrumentBandInsertParams{InstrumentID: id, Band: b.Code, Rank: int32(i + 1), Label: b.Label}); err != nil {
				return fmt.Errorf("band %s: %w", b.Code, err)
			}
			for _, r := range b.Rules {
				if err := q.InstrumentBandRuleInsert(ctx, db.InstrumentBandRuleInsertParams{InstrumentID: id, Band: b.Code,
					MinLevel: r.MinLevel, MinCount: r.MinCount}); err != nil {
					return fmt.Errorf("band %s rule: %w", b.Code, err)
				}
			}
		}
		created = true
		in, err = LoadInstrument(ctx, q, id)
		return err
	})
	return in, created, err
}

// normal makes nil and empty rule lists compare equal and orders rules, so a
// file and what was loaded from it compare equal.
func normal(sp Spec) Spec {
	bands := make([]SpecBand, len(sp.Bands))
	for i, b := range sp.Bands {
		rs := append([]SpecRule{}, b.Rules...)
		sort.Slice(rs, func(x, y int) bool {
			return rs[x].MinLevel > rs[y].MinLevel || rs[x].MinLevel == rs[y].MinLevel && rs[x].MinCount > rs[y].MinCount
		})
		b.Rules = rs
		bands[i] = b
	}
	sp.Bands = bands
	return sp
}
