package needs

import (
	"context"
	"slices"
	"sync"

	"github.com/hearthcare/hearth/internal/db"
)

// instrumentCache keeps the instruments a Service has read, by id. It is
// correct because an instrument never changes once committed: Install writes
// it with its levels, domains and bands in one transaction, and installing the
// same code and version again either changes nothing or is refused
// (ErrInstrumentExists); nothing updates or deletes them. The child page read
// each instrument twice (history and current profile), four statements each.
// The cache belongs to the Service, so to its database: test databases of one
// process may hold different instruments under the same id.
type instrumentCache struct{ m sync.Map } // int32 -> Instrument

// instrument returns the instrument from the cache, or reads it through q and
// keeps it. Each caller gets its own copy of the slices.
func (s *Service) instrument(ctx context.Context, q *db.Queries, id int32) (Instrument, error) {
	if v, ok := s.instruments.m.Load(id); ok {
		return v.(Instrument).clone(), nil
	}
	in, err := LoadInstrument(ctx, q, id)
	if err != nil {
		return in, err
	}
	s.instruments.m.Store(id, in.clone())
	return in, nil
}

func (in Instrument) clone() Instrument {
	in.Domains = slices.Clone(in.Domains)
	in.Levels = slices.Clone(in.Levels)
	in.Bands = slices.Clone(in.Bands)
	for i := range in.Bands {
		in.Bands[i].Rules = slices.Clone(in.Bands[i].Rules)
	}
	return in
}
