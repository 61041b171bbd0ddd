// Package policies embeds the casbin model and permission policy that
// internal/authz enforces.
package policies

import _ "embed"

// Model is the casbin model (RBAC with domains).
//
//go:embed model.conf
var Model string

// Policy lists each role's permissions, one "p, role, resource, action" per line.
//
//go:embed policy.csv
var Policy string
