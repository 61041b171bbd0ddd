package main

import (
	"context"
	"fmt"
	"log/slog"

	"github.com/jackc/pgx/v5/pgxpool"

	"github.com/hearthcare/hearth/internal/config"
	"github.com/hearthcare/hearth/internal/postgres"
)

// openReplica connects DATABASE_REPLICA_URL, if set, for analytics reads. It
// must be a hot standby reached as the same unprivileged role as the primary:
// row-level security applies there as on the primary.
func openReplica(ctx context.Context, cfg config.Config, log *slog.Logger, primary *pgxpool.Pool) (*postgres.Reads, error) {
	r := &postgres.Reads{Primary: primary, MaxLag: cfg.ReplicaMaxLag, Log: log}
	if cfg.ReplicaURL == "" {
		return r, nil
	}
	replica, err := postgres.OpenWith(ctx, cfg.ReplicaURL, postgres.Options{MaxConns: postgres.ServerMaxConns(cfg.DBMaxConns, cfg.ReplicaURL)})
	if err != nil {
		return nil, fmt.Errorf("DATABASE_REPLICA_URL: %w", err)
	}
	if err := postgres.CheckAppRole(ctx, replica); err != nil {
		replica.Close()
		return nil, fmt.Errorf("DATABASE_REPLICA_URL: %w", err)
	}
	r.Replica = replica
	lag, err := postgres.ReplicaLag(ctx, replica)
	log.Info("analytics read the replica while it keeps up", "lag", lag, "max_lag", cfg.ReplicaMaxLag, "err", err)
	return r, nil
}
