package ui

import (
	"fmt"
	"net/http"
	"strings"

	"github.com/hearthcare/hearth/internal/auth"
	"github.com/hearthcare/hearth/internal/authz"
	"github.com/hearthcare/hearth/internal/children"
)

type card struct{ Title, Body, Href, Link string }

// nav lists the sections the user may open.
func (s *Server) nav(r *http.Request) []navItem {
	u := auth.UserFrom(r.Context())
	items := s.navs.get(s.Authz.Generation(), u.UserID, s.navFor)
	for i := range items {
		items[i].Active = items[i].Href == r.URL.Path || (items[i].Href != "/" && strings.HasPrefix(r.URL.Path, items[i].Href+"/"))
	}
	return items
}

// navFor works out the sections a user may open: a dozen casbin decisions,
// which were 18% of the server's CPU on child pages when made on every page.
// nav caches them until grants are reloaded.
func (s *Server) navFor(userID int64) []navItem {
	items := []navItem{{Label: "Dashboard", Href: "/"}}
	if s.Authz.AllowedAnywhere(userID, authz.Child, authz.Read) {
		items = append(items, navItem{Label: "Children", Href: "/children"})
	}
	if s.Authz.AllowedAnywhere(userID, authz.Needs, authz.Write) {
		items = append(items, navItem{Label: "Reviews due", Href: "/reviews"})
	}
	if s.Authz.AllowedAnywhere(userID, authz.Child, authz.ReadAll) {
		items = append(items, navItem{Label: "Needs and costs", Href: "/analytics"})
	}
	if s.Authz.AllowedAnywhere(userID, authz.Forecast, authz.Read) {
		items = append(items, navItem{Label: "Forecast", Href: "/forecast"})
	}
	if s.Authz.AllowedAnywhere(userID, authz.Region, authz.Read) {
		items = append(items, navItem{Label: "Region", Href: "/region"})
	}
	if s.Authz.AllowedAnywhere(userID, authz.Placement, authz.Read) {
		items = append(items, navItem{Label: "Providers", Href: "/providers"})
	}
	if s.Authz.AllowedAnywhere(userID, authz.Proceedings, authz.Export) {
		items = append(items, navItem{Label: "Court delay", Href: "/delay"})
	}
	if s.Authz.AllowedAnywhere(userID, authz.Placement, authz.Import) {
		items = append(items, navItem{Label: "Imports", Href: "/imports"})
	}
	if s.Authz.AllowedAnywhere(userID, authz.Council, authz.Manage) {
		items = append(items, navItem{Label: "Settings", Href: "/settings/needs"}, navItem{Label: "Delay parameters", Href: "/settings/delay"},
			navItem{Label: "Sharing", Href: "/settings/sharing"})
	}
	if s.Authz.AllowedAnywhere(userID, authz.User, authz.Manage) {
		items = append(items, navItem{Label: "Staff", Href: "/staff"})
	}
	if s.Authz.Allowed(userID, authz.SystemDomain, authz.Council, authz.Manage) {
		items = append(items, navItem{Label: "Councils", Href: "/settings/councils"})
	}
	if s.Authz.AllowedAnywhere(userID, authz.Audit, authz.Read) {
		items = append(items, navItem{Label: "Audit trail", Href: "/audit"}, navItem{Label: "Unusual access", Href: "/audit/unusual"})
	}
	items = append(items, navItem{Label: "Sign-in security", Href: "/account/security"})
	return items
}

var roleNames = map[authz.Role]string{
	authz.SocialWorker: "Social worker", authz.TeamManager: "Team manager", authz.Commissioner: "Commissioner",
	authz.CourtOfficer: "Court progression officer", authz.LAAnalyst: "Council analyst", authz.LAAdmin: "Council administrator",
	authz.RCCAnalyst: "Regional analyst", authz.SystemAdmin: "System administrator", authz.Auditor: "Auditor",
}

func (s *Server) dashboard(w http.ResponseWriter, r *http.Request) {
	u := auth.UserFrom(r.Context())
	names, err := s.Councils.Names(r.Context())
	if err != nil {
		s.fail(w, r, err)
		return
	}
	var roles []string
	for _, g := range s.Authz.Grants(u.UserID) {
		where := "across Hearth"
		switch {
		case g.LAID != 0:
			where = "in " + names[g.LAID]
		case g.RCCID != 0:
			where = fmt.Sprintf("in regional care cooperative %d", g.RCCID)
			if name, err := s.Councils.CooperativeName(r.Context(), g.RCCID); err == nil {
				where = "in " + name
			}
		}
		roles = append(roles, roleNames[g.Role]+" "+where)
	}
	var cards []card
	if s.Authz.AllowedAnywhere(u.UserID, authz.Child, authz.Read) {
		sc := s.Authz.ChildScope(u.UserID)
		if len(sc.All) == 0 {
			p, err := s.Children.List(r.Context(), u.UserID, children.Filter{WorkerID: u.UserID})
			if err != nil {
				s.fail(w, r, err)
				return
			}
			cards = append(cards, card{"Your caseload", fmt.Sprintf("%d children are allocated to you.", p.Total), "/children", "See your children"})
		} else {
			counts, err := s.Children.CountByCouncil(r.Context(), u.UserID)
			if err != nil {
				s.fail(w, r, err)
				return
			}
			for _, c := range counts {
				cards = append(cards, card{names[c.LaID], fmt.Sprintf("%d children in care.", c.Children),
					fmt.Sprintf("/children?council=%d", c.LaID), "See " + names[c.LaID] + "'s children"})
			}
		}
	}
	if s.Authz.AllowedAnywhere(u.UserID, authz.Needs, authz.Write) {
		l, err := s.Needs.Overdue(r.Context(), u.UserID, nil, nil)
		if err != nil {
			s.fail(w, r, err)
			return
		}
		cards = append(cards, card{"Needs reviews overdue", fmt.Sprintf("%d children's needs reviews are overdue.", len(l.Children)), "/reviews", "See reviews due"})
	}
	if len(s.Authz.RCCs(u.UserID, authz.Region, authz.Read)) > 0 {
		cards = append(cards, card{"The region", "Every sharing council side by side and pooled: needs, costs, the market, distance, sufficiency and court delay, de-identified and under disclosure control.",
			"/region", "Open the regional figures"})
	} else if s.Authz.AllowedAnywhere(u.UserID, authz.Region, authz.Read) {
		cards = append(cards, card{"Your council and the region", "Your council's figures beside its regional care cooperative's.", "/region", "Compare with the region"})
	}
	if s.Authz.AllowedAnywhere(u.UserID, authz.Council, authz.Manage) {
		cards = append(cards, card{"Sharing with the region", "What your council shares with its regional care cooperative, and from when.", "/settings/sharing", "Sharing agreements"})
	}
	if s.Authz.AllowedAnywhere(u.UserID, authz.Audit, authz.Read) {
		cards = append(cards, card{"Audit trail", "Who viewed and changed which records, and every refused access.", "/audit", "Open the audit trail"},
			card{"Unusual access", "Refused attempts, records of children who share a user's family name, many records in a day, access after an account was disabled, and idle accounts.", "/audit/unusual", "See unusual access"})
	}
	if len(cards) == 0 {
		cards = append(cards, card{Title: "Nothing to show yet", Body: "Your roles do not include children's records. Use the menu above for the pages you may open."})
	}
	tr, err := s.workTrays(r, u.UserID)
	if err != nil {
		s.fail(w, r, err)
		return
	}
	s.render(w, r, http.StatusOK, "dashboard", page{Title: "Hello, " + u.DisplayName,
		Data: map[string]any{"Roles": roles, "Cards": cards, "Trays": tr}})
}
