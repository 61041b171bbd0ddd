package forecasting

import (
	"context"

	"github.com/hearthcare/hearth/internal/sharing"
)

// WithControl makes BuildRegion publish under ctl instead of the RCC's
// disclosure control, so a test can show that its checks fail without it.
func WithControl(ctx context.Context, ctl sharing.Control) context.Context {
	return context.WithValue(ctx, controlKey{}, ctl)
}
