// Package schema embeds Hearth's SQL migrations. Files are applied in name order by
// internal/postgres.Migrate and read by sqlc to generate internal/db.
package schema

import "embed"

// FS holds the migration files (NNN_name.sql).
//
//go:embed *.sql
var FS embed.FS
