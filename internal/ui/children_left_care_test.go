package ui_test

import (
	"fmt"
	"net/http"
	"strings"
	"testing"

	"github.com/hearthcare/hearth/internal/demo"
)

// TestChildrenWhoLeftCare: a child whose care has ended (the demo's former
// children, as a real return's history holds them) is shown on the children
// list as having left care on the day it ended — not as in care and "Not
// allocated" — is on no social worker's caseload, is not counted among the
// children in care on the dashboard, and is refused to the worker who held
// them, with the refusal audited against their council.
func TestChildrenWhoLeftCare(t *testing.T) {
	t.Parallel()
	b := setup(t)
	reg := demo.Generate(demo.Options{Seed: 7, Children: 120, AsOf: asOf})
	var former *demo.Child
	for i := range reg.Former {
		if c := &reg.Former[i]; c.LAID == 352 && c.Worker == socialWorker {
			former = c
			break
		}
	}
	if former == nil {
		t.Fatal("no former child of Manchester allocated to the social worker in the demo")
	}
	ended := *former.Episodes[len(former.Episodes)-1].End
	current := reg.Children[0] // Manchester's first child, in care
	inCare := 0
	for _, c := range reg.Children {
		if c.LAID == 352 {
			inCare++
		}
	}

	tm := b.signIn(t, teamManager)
	_, body := b.get(t, tm, "/children?q="+former.Ref)
	if want := "Left care " + ended.Format("2 January 2006"); !strings.Contains(body, want) || strings.Contains(body, "Not allocated") {
		t.Errorf("children list for %s (care ended %s): want %q and no \"Not allocated\"", former.Ref, ended.Format("2006-01-02"), want)
	}
	_, body = b.get(t, tm, "/children?q="+current.Ref)
	if strings.Contains(body, "Left care") {
		t.Errorf("children list says %s, in care, has left care", current.Ref)
	}
	_, body = b.get(t, tm, "/")
	if want := fmt.Sprintf("%d children in care.", inCare); !strings.Contains(body, want) {
		t.Errorf("dashboard: want %q (Manchester's children in care, not its %d on record)", want, inCare+countLA(reg.Former, 352))
	}

	id := b.scalar(t, "SELECT child_id FROM children WHERE la_id = 352 AND child_ref = $1", former.Ref)
	sw := b.signIn(t, socialWorker)
	_, body = b.get(t, sw, "/children?q="+former.Ref)
	if strings.Contains(body, fmt.Sprintf(`href="/children/%d"`, id)) || !strings.Contains(body, "No children match") {
		t.Errorf("the social worker's caseload still lists %s, whose care ended", former.Ref)
	}
	before := b.scalar(t, "SELECT count(*) FROM audit_events WHERE la_id = 352 AND entity_id = $1 AND entity = 'child' AND outcome IN ('denied', 'not_found')", itoa(id))
	if res, _ := b.get(t, sw, "/children/"+itoa(id)); res.StatusCode != http.StatusNotFound && res.StatusCode != http.StatusForbidden {
		t.Errorf("the social worker opened %s, no longer allocated to them: status %d", former.Ref, res.StatusCode)
	}
	if after := b.scalar(t, "SELECT count(*) FROM audit_events WHERE la_id = 352 AND entity_id = $1 AND entity = 'child' AND outcome IN ('denied', 'not_found')", itoa(id)); after != before+1 {
		t.Errorf("refusals audited against Manchester for child %d: %d then %d; want one more", id, before, after)
	}
}

func countLA(cs []demo.Child, la int32) int {
	n := 0
	for _, c := range cs {
		if c.LAID == la {
			n++
		}
	}
	return n
}
