package needs

import (
	"context"
	"fmt"

	"github.com/hearthcare/hearth/internal/db"
	"github.com/hearthcare/hearth/internal/valid"
)

// Instrument loads an instrument with its domains, levels and bands. An
// instrument is reference data, the same for every council, so reading one
// needs no permission.
func (s *Service) Instrument(ctx context.Context, id int32) (Instrument, error) {
	return s.instrument(ctx, db.New(s.pool), id)
}

// InstrumentByCode loads the instrument a form names; a code that names none
// is a problem with the form's instrument field.
func (s *Service) InstrumentByCode(ctx context.Context, code string) (Instrument, error) {
	q := db.New(s.pool)
	row, err := q.InstrumentGetByCode(ctx, code)
	if err != nil {
		return Instrument{}, valid.Errorf("instrument", "%q is not a needs instrument loaded in Hearth", code)
	}
	return s.instrument(ctx, q, row.InstrumentID)
}

// Instruments lists the instruments loaded, for the assessment form's chooser.
func (s *Service) Instruments(ctx context.Context) ([]db.NeedsInstrument, error) {
	l, err := db.New(s.pool).InstrumentList(ctx)
	if err != nil {
		return nil, fmt.Errorf("instruments: %w", err)
	}
	return l, nil
}
