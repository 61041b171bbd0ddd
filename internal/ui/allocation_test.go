package ui_test

import (
	"fmt"
	"net/http"
	"net/url"
	"strings"
	"testing"
	"time"
)

// TestAllocationRefusesAndConflicts: the allocation form is only for a
// manager of the child's council, says exactly what is wrong with a post,
// and a change someone else made meanwhile conflicts instead of being overwritten.
func TestAllocationRefusesAndConflicts(t *testing.T) {
	t.Parallel()
	b := setup(t)
	var child, current int64
	var since time.Time
	if err := b.pool.QueryRow(t.Context(), `SELECT child_id, user_id, valid_from FROM allocations
		WHERE la_id = 352 AND valid_to IS NULL AND valid_from < $1::date - 10 ORDER BY child_id LIMIT 1`, asOf).Scan(&child, &current, &since); err != nil {
		t.Fatal(err)
	}
	other := b.scalar(t, `SELECT u.user_id FROM users u JOIN role_assignments ra USING (user_id)
		WHERE ra.role = 'social_worker' AND ra.la_id = 352 AND ra.valid_to IS NULL AND u.user_id <> $1 ORDER BY u.user_id LIMIT 1`, current)
	path := fmt.Sprintf("/children/%d/allocation", child)
	seen := fmt.Sprintf("%d/%s", current, since.Format(time.DateOnly))

	// Who may see the form.
	for _, tc := range []struct {
		who  string
		want int
	}{
		{teamManager, 200},
		{socialWorker, 403},
		{"team.manager@salford.demo.hearth.test", 404},
	} {
		if res, _ := b.get(t, b.signIn(t, tc.who), path); res.StatusCode != tc.want {
			t.Errorf("%s opening the allocation form: %d; want %d", tc.who, res.StatusCode, tc.want)
		}
	}
	_, form := b.get(t, b.signIn(t, teamManager), path)
	// The team filter has its team selected; the worker list has nobody.
	workers, _, _ := strings.Cut(form[strings.Index(form, `id="worker"`)+1:], "</select>")
	if !strings.Contains(workers, `<option value="">Choose a social worker</option>`) || strings.Contains(workers, " selected>") {
		t.Error("the form does not start with no worker chosen")
	}
	if !strings.Contains(form, `name="seen" value="`+seen+`"`) {
		t.Errorf("the form does not carry the allocation it showed (%s)", seen)
	}

	c := b.signIn(t, teamManager)
	day := func(d time.Time) string { return d.Format("2/1/2006") }
	tests := []struct {
		name   string
		form   url.Values
		status int
		says   string
	}{
		{"no worker", url.Values{"allocated_on": {day(asOf)}, "reason": {"r"}}, 422, "Choose a social worker"},
		{"same worker", url.Values{"worker": {fmt.Sprint(current)}, "allocated_on": {day(asOf)}, "reason": {"r"}}, 422, "already allocated"},
		{"worker of another council", url.Values{"worker": {fmt.Sprint(b.scalar(t, `SELECT user_id FROM users WHERE email = 'social.worker@salford.demo.hearth.test'`))}, "allocated_on": {day(asOf)}, "reason": {"r"}}, 422, "of this council"},
		{"future date", url.Values{"worker": {fmt.Sprint(other)}, "allocated_on": {day(asOf.AddDate(0, 0, 1))}, "reason": {"r"}}, 422, "today or in the past"},
		{"before the current allocation", url.Values{"worker": {fmt.Sprint(other)}, "allocated_on": {day(since)}, "reason": {"r"}}, 422, "must be after " + since.Format("2 January 2006")},
		{"date typed wrong", url.Values{"worker": {fmt.Sprint(other)}, "allocated_on": {"31/02/2026"}, "reason": {"r"}}, 422, "the date the allocation starts"},
		{"no reason", url.Values{"worker": {fmt.Sprint(other)}, "allocated_on": {day(asOf)}, "reason": {"  "}}, 422, "Enter the reason for the allocation"},
		{"reason too long", url.Values{"worker": {fmt.Sprint(other)}, "allocated_on": {day(asOf)}, "reason": {strings.Repeat("x", 501)}}, 422, "500 characters or fewer"},
		{"confirmed but stale", url.Values{"worker": {fmt.Sprint(other)}, "allocated_on": {day(asOf)}, "reason": {"r"}, "seen": {"none"}, "confirm": {"yes"}}, 409, ""},
		{"asks first", url.Values{"worker": {fmt.Sprint(other)}, "allocated_on": {day(asOf)}, "reason": {"Caseload balancing"}, "seen": {seen}}, 200, "Allocate this child?"},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			res, err := c.PostForm(b.ts.URL+path, tc.form)
			if err != nil {
				t.Fatal(err)
			}
			body := readAll(t, res)
			if res.StatusCode != tc.status || !strings.Contains(body, tc.says) {
				t.Errorf("status %d; want %d saying %q", res.StatusCode, tc.status, tc.says)
			}
			if n := b.scalar(t, `SELECT count(*) FROM allocations WHERE child_id = $1 AND user_id = $2 AND valid_to IS NULL`, child, current); n != 1 {
				t.Fatal("the current allocation changed")
			}
		})
	}
	// Confirmed with the allocation it saw, it changes hands on the day given.
	res := b.postForm(t, c, path, url.Values{"worker": {fmt.Sprint(other)}, "allocated_on": {day(asOf)}, "reason": {"Caseload balancing"}, "seen": {seen}, "confirm": {"yes"}})
	if res.StatusCode != http.StatusSeeOther {
		t.Fatalf("confirmed allocation: %d", res.StatusCode)
	}
	if n := b.scalar(t, `SELECT count(*) FROM allocations WHERE child_id = $1 AND user_id = $2 AND valid_to = $3`, child, current, asOf); n != 1 {
		t.Error("the previous allocation does not end on the day the new one starts")
	}
	// A second manager with the same, now stale, form is told, not obeyed.
	res = b.postForm(t, c, path, url.Values{"worker": {fmt.Sprint(current)}, "allocated_on": {day(asOf)}, "reason": {"r"}, "seen": {seen}, "confirm": {"yes"}})
	if res.StatusCode != http.StatusConflict {
		t.Errorf("stale second allocation: %d; want 409", res.StatusCode)
	}
}
