// Package queries holds the SQL that sqlc compiles into internal/db, one file
// per aggregate. Its test checks the plan of every query: a query on a
// council's table must reach it through an index that its conditions lead
// with, never by reading the whole table.
package queries
