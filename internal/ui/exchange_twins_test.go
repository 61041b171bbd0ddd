package ui_test

import (
	"sort"
	"strings"
	"testing"
)

// formTwins names, for every form route (a POST the web pages make), the API
// route that does the same write, or the reason there is none. The test fails
// when a form route is added without either, or when a named twin is not an
// API route.
var formTwins = map[string]string{
	"POST /children/{id}/assessments":              "POST /api/v1/children/{id}/assessments",
	"POST /children/{id}/sdq":                      "POST /api/v1/children/{id}/sdq",
	"POST /assessments/{id}/edit":                  "PUT /api/v1/assessments/{id}",
	"POST /assessments/{id}/decision":              "POST /api/v1/assessments/{id}/approve",
	"POST /assessments/{id}/submit":                "POST /api/v1/assessments/{id}/submit",
	"POST /imports":                                "POST /api/v1/imports/census",
	"POST /proceedings/new":                        "POST /api/v1/proceedings",
	"POST /proceedings/{id}/edit":                  "PUT /api/v1/proceedings/{id}",
	"POST /proceedings/{id}/hearings":              "POST /api/v1/proceedings/{id}/hearings",
	"POST /proceedings/{id}/experts":               "POST /api/v1/proceedings/{id}/experts",
	"POST /settings/delay":                         "POST /api/v1/delay/parameters",
	"POST /proceedings/{id}/hearings/outcome":      "POST /api/v1/proceedings/{id}/hearings/{hearing}/outcome",
	"POST /children/{id}/allocation":               "POST /api/v1/children/{id}/allocation",
	"POST /children/{id}/placements/move":          "POST /api/v1/children/{id}/placements/moves",
	"POST /children/{id}/placements/{start}/costs": "POST /api/v1/children/{id}/placements/{start}/costs",
	"POST /children/{id}/missing":                  "POST /api/v1/children/{id}/missing",
	"POST /children/{id}/episodes/{start}/edit":    "PUT /api/v1/children/{id}/episodes/{start}",
	"POST /children/{id}/costs/{cost}/edit":        "PUT /api/v1/children/{id}/costs/{cost}",
	"POST /children/{id}/edit":                     "PUT /api/v1/children/{id}",
	"POST /providers/new":                          "POST /api/v1/providers",
	"POST /providers/{id}/edit":                    "PUT /api/v1/providers/{id}",
	"POST /children/{id}/placements/{start}/pds":   "POST /api/v1/children/{id}/placements/{start}/pds",
	"POST /pds/import":                             "POST /api/v1/imports/pds",
	"POST /settings/needs":                         "PUT /api/v1/settings/needs",
	"POST /signin":                                 "",
	"POST /signout":                                "",
}

// noTwinYet are form routes with no API twin, and why. Issue 18 asks for all
// of these; they are listed here, honestly, as not done on this branch.
var noTwinYet = map[string]string{
	"POST /settings/sharing":                       "a sharing agreement is signed by the council's administrator on the page, deliberately not by a token",
	"POST /account/security/totp":                  "account security (second factor, sign-in) is done by the person on the page, deliberately not by a token",
	"POST /account/security/totp/confirm":          "account security (second factor, sign-in) is done by the person on the page, deliberately not by a token",
	"POST /settings/second-factor":                 "account security (second factor, sign-in) is done by the person on the page, deliberately not by a token",
	"POST /signin/code":                            "account security (second factor, sign-in) is done by the person on the page, deliberately not by a token",
	"POST /invitation":                             "an invitation is accepted by the invited person signing in, not by a token",
	"POST /session/keepalive":                      "keeps a browser session alive; a token has no session",
	"POST /forecast/scenarios":                     "not yet built: forecast scenarios (issue 18 part 3 did not list it)",
	"POST /settings/cooperatives":                  "not yet built: regional cooperative administration (system administrators, on the page)",
	"POST /settings/cooperatives/{rcc}/disclosure": "not yet built: regional cooperative administration (system administrators, on the page)",
	"POST /settings/cooperatives/{rcc}/members":    "not yet built: regional cooperative administration (system administrators, on the page)",
	"POST /settings/councils":                      "not yet built: council onboarding has the CLI (hearth council) and the page",
	"POST /settings/councils/{la}/idp":             "not yet built: council onboarding has the CLI (hearth council) and the page",
	"POST /staff/new":                              "not yet built: staff and grant administration (issue 18 part 3 did not list it)",
	"POST /staff/{id}/disable":                     "not yet built: staff and grant administration (issue 18 part 3 did not list it)",
	"POST /staff/{id}/enable":                      "not yet built: staff and grant administration (issue 18 part 3 did not list it)",
	"POST /staff/{id}/grants":                      "not yet built: staff and grant administration (issue 18 part 3 did not list it)",
	"POST /staff/{id}/grants/{grant}/end":          "not yet built: staff and grant administration (issue 18 part 3 did not list it)",
	"POST /staff/{id}/reset":                       "not yet built: staff and grant administration (issue 18 part 3 did not list it)",
	"POST /staff/{id}/tokens/{token}/revoke":       "not yet built: staff and grant administration (issue 18 part 3 did not list it)",
	"POST /staff/{id}/unlock":                      "not yet built: staff and grant administration (issue 18 part 3 did not list it)",
}

// TestEveryFormHasAnAPITwin checks every POST route of the web pages against
// formTwins and noTwinYet.
func TestEveryFormHasAnAPITwin(t *testing.T) {
	t.Parallel()
	b := setup(t)
	routes := map[string]bool{}
	for k := range b.srv.Protected {
		routes[k] = true
	}
	for k := range b.srv.Public {
		routes[k] = true
	}
	var missing, gaps []string
	for k := range routes {
		if !strings.HasPrefix(k, "POST ") || strings.HasPrefix(k, "POST /api/") {
			continue
		}
		twin, ok := formTwins[k]
		if !ok {
			if why, listed := noTwinYet[k]; listed {
				gaps = append(gaps, k+": "+why)
				continue
			}
			missing = append(missing, k)
			continue
		}
		if twin != "" && !routes[twin] {
			t.Errorf("%s names the API twin %s, which is not a route", k, twin)
		}
	}
	for k := range formTwins {
		if !routes[k] {
			t.Errorf("formTwins names %s, which is not a form route", k)
		}
	}
	for k := range noTwinYet {
		if !routes[k] {
			t.Errorf("noTwinYet names %s, which is not a form route", k)
		}
	}
	sort.Strings(missing)
	for _, k := range missing {
		t.Errorf("form route %s has no API twin and no reason in noTwinYet", k)
	}
	sort.Strings(gaps)
	for _, g := range gaps {
		t.Logf("no API twin: %s", g)
	}
}
