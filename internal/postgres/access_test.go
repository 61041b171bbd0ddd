package postgres_test

import (
	"context"
	"testing"

	"github.com/hearthcare/hearth/internal/dbtest"
)

func TestSmoke(t *testing.T) {
	app, owner := dbtest.NewWithOwner(t)
	var u1, u2 string
	if err := app.QueryRow(context.Background(), "SELECT current_user").Scan(&u1); err != nil {
		t.Fatal(err)
	}
	if err := owner.QueryRow(context.Background(), "SELECT current_user").Scan(&u2); err != nil {
		t.Fatal(err)
	}
	t.Log(u1, u2)
}
