package demo

import (
	"context"
	"crypto/rand"
	"fmt"
	"time"

	"github.com/jackc/pgx/v5"
	"github.com/jackc/pgx/v5/pgxpool"

	"github.com/hearthcare/hearth/internal/auth"
	"github.com/hearthcare/hearth/internal/db"
	"github.com/hearthcare/hearth/internal/postgres"
	"github.com/hearthcare/hearth/internal/ssda903"
)

// Load writes a generated region into an empty database in one transaction, with
// COPY for the bulk rows. It refuses a database that already has children. It
// works on the demo councils only (row-level security, CouncilSet).
func Load(ctx context.Context, pool *pgxpool.Pool, reg Region) error {
	ctx = postgres.WithCouncils(ctx, CouncilSet())
	return pgx.BeginFunc(ctx, pool, func(tx pgx.Tx) error {
		q := db.New(tx)
		var existing int64
		if err := tx.QueryRow(ctx, "SELECT count(*) FROM children").Scan(&existing); err != nil {
			return err
		}
		if existing > 0 {
			return fmt.Errorf("demo: the database already holds %d children; load the demo into an empty database", existing)
		}
		rcc, err := q.RCCUpsert(ctx, db.RCCUpsertParams{Code: RCC.Code, Name: RCC.Name})
		if err != nil {
			return fmt.Errorf("demo rcc: %w", err)
		}
		joined := time.Date(2025, 5, 1, 0, 0, 0, 0, time.UTC)
		for _, c := range Councils {
			if err := q.LocalAuthorityUpsert(ctx, db.LocalAuthorityUpsertParams{LaID: c.LAID, OnsCode: c.ONSCode, Name: c.Name}); err != nil {
				return fmt.Errorf("demo council %s: %w", c.Name, err)
			}
			if err := q.RCCMembershipInsert(ctx, db.RCCMembershipInsertParams{RccID: rcc.RccID, LaID: c.LAID, ValidFrom: joined}); err != nil {
				return err
			}
		}

		// One hash for every demo user: argon2id per user would take minutes at national scale.
		hash := auth.HashPassword(Password)
		userRows := make([][]any, len(reg.Users))
		for i, u := range reg.Users {
			userRows[i] = []any{u.Email, u.Name, hash, u.Team}
		}
		if _, err := postgres.CopyFrom(ctx, tx, "users", []string{"email", "display_name", "password_hash", "team"},
			pgx.CopyFromRows(userRows)); err != nil {
			return fmt.Errorf("demo users: %w", err)
		}
		userIDs := map[string]int64{}
		rows, err := tx.Query(ctx, "SELECT email, user_id FROM users")
		if err != nil {
			return err
		}
		for rows.Next() {
			var e string
			var id int64
			if err := rows.Scan(&e, &id); err != nil {
				return err
			}
			userIDs[e] = id
		}
		if err := rows.Err(); err != nil {
			return err
		}
		var grantRows [][]any
		for _, u := range reg.Users {
			for _, g := range u.Grants {
				var la, rc any
				if g.LAID != 0 {
					la = g.LAID
				}
				if g.RCC {
					rc = rcc.RccID
				}
				grantRows = append(grantRows, []any{userIDs[u.Email], g.Role, la, rc})
			}
		}
		if _, err := postgres.CopyFrom(ctx, tx, "role_assignments", []string{"user_id", "role", "la_id", "rcc_id"},
			pgx.CopyFromRows(grantRows)); err != nil {
			return fmt.Errorf("demo role assignments: %w", err)
		}

		if err := loadAgreements(ctx, q, reg, rcc.RccID, joined, userIDs); err != nil {
			return err
		}

		// Today's children and those who have left care go through the same paths.
		all := reg.every()
		childCols := []string{"la_id", "child_ref", "given_name", "family_name", "date_of_birth", "sex", "ethnicity", "upn", "uasc", "ehc_plan", "disability"}
		if _, err := postgres.CopyFrom(ctx, tx, "children", childCols, pgx.CopyFromSlice(len(all), func(i int) ([]any, error) {
			c := all[i]
			return []any{c.LAID, c.Ref, c.GivenName, c.FamilyName, c.DateOfBirth, c.Sex, c.Ethnicity, c.UPN, c.UASC, c.EHCPlan, c.Disability}, nil
		})); err != nil {
			return fmt.Errorf("demo children: %w", err)
		}
		ids, err := ChildIDs(ctx, tx)
		if err != nil {
			return err
		}
		if err := loadPlacements(ctx, tx, reg, all, ids); err != nil {
			return err
		}
		// A former child's allocation ended when their care did, so they are on no one's caseload.
		if _, err := postgres.CopyFrom(ctx, tx, "allocations", []string{"la_id", "child_id", "user_id", "valid_from", "valid_to"},
			pgx.CopyFromSlice(len(all), func(i int) ([]any, error) {
				c := all[i]
				return []any{c.LAID, ids[ChildKey{c.LAID, c.Ref}], userIDs[c.Worker], c.AllocatedFrom, c.Episodes[len(c.Episodes)-1].End}, nil
			})); err != nil {
			return fmt.Errorf("demo allocations: %w", err)
		}
		if err := loadNeeds(ctx, tx, all, ids, userIDs); err != nil {
			return err
		}
		if err := loadProceedings(ctx, tx, reg, ids); err != nil {
			return err
		}
		// As the owner: hearth_app may not ANALYZE (schema 024).
		err = db.New(tx).Analyze(ctx)
		return err
	})
}

// PlacementsOnly is the demo council that shares only placements and costs
// with the RCC, so the limits of an agreement show.
const PlacementsOnly = 358

// loadAgreements signs each council's sharing agreement, by its admin, from
// the day it joined the RCC, and makes its pseudonym key.
func loadAgreements(ctx context.Context, q *db.Queries, reg Region, rccID int32, from time.Time, userIDs map[string]int64) error {
	admins := map[int32]int64{}
	for _, u := range reg.Users {
		for _, g := range u.Grants {
			if g.Role == "la_admin" && admins[g.LAID] == 0 {
				admins[g.LAID] = userIDs[u.Email]
			}
		}
	}
	for _, c := range Councils {
		secret := make([]byte, 32)
		if _, err := rand.Read(secret); err != nil {
			return err
		}
		if err := q.CouncilKeyEnsure(ctx, db.CouncilKeyEnsureParams{LaID: c.LAID, Secret: secret}); err != nil {
			return fmt.Errorf("demo council key: %w", err)
		}
		all := c.LAID != PlacementsOnly
		var signer *int64
		if id := admins[c.LAID]; id != 0 {
			signer = &id
		}
		if _, err := q.AgreementInsert(ctx, db.AgreementInsertParams{LaID: c.LAID, RccID: rccID, SharesNeeds: all, SharesPlacements: true,
			SharesProceedings: all, StartsOn: from, SignedBy: signer}); err != nil {
			return fmt.Errorf("demo agreement %s: %w", c.Name, err)
		}
	}
	return nil
}

// loadPlacements writes providers, every child's episodes, the care periods
// and legal statuses derived from them, and placement costs.
func loadPlacements(ctx context.Context, tx pgx.Tx, reg Region, all []*Child, ids map[ChildKey]int64) error {
	provIDs := make([]int64, len(reg.Providers))
	for i, p := range reg.Providers {
		var urn, owner any
		if p.URN != "" {
			urn = p.URN
		}
		if p.OwnerLA != 0 {
			owner = p.OwnerLA
		}
		if err := tx.QueryRow(ctx, `INSERT INTO providers (name, ofsted_urn, kind, owner_la_id, postcode_district) VALUES ($1, $2, $3, $4, $5)
			RETURNING provider_id`, p.Name, urn, p.Kind, owner, p.District).Scan(&provIDs[i]); err != nil {
			return fmt.Errorf("demo provider %s: %w", p.Name, err)
		}
	}
	var eps, cps, lss, costs [][]any
	str := func(s string) any {
		if s == "" {
			return nil
		}
		return s
	}
	for _, c := range all {
		id := ids[ChildKey{c.LAID, c.Ref}]
		links := make([]ssda903.EpisodeLink, len(c.Episodes))
		for i, e := range c.Episodes {
			var prov any
			if e.Provider >= 0 {
				prov = provIDs[e.Provider]
			}
			var urn any
			if e.Provider >= 0 {
				urn = str(reg.Providers[e.Provider].URN)
			}
			eps = append(eps, []any{c.LAID, id, e.Start, e.End, e.RNE, e.LS, e.CIN, e.Place, str(e.ProvKind), prov, urn, str(e.REC), str(e.Reason),
				e.HomePost, e.PlacePost, e.Distance, e.OutOfArea, "demo"})
			links[i] = ssda903.EpisodeLink{StartedOn: e.Start, EndedOn: e.End, REC: e.REC, LegalStatus: e.LS}
			for _, k := range e.Costs {
				costs = append(costs, []any{c.LAID, id, e.Start, k.From, k.To, k.Weekly, k.SocialCare, k.Education, k.Health, "demo"})
			}
		}
		care, legal := ssda903.DerivePeriods(links)
		for _, p := range care {
			cps = append(cps, []any{c.LAID, id, p.StartedOn, p.EndedOn})
		}
		for _, p := range legal {
			lss = append(lss, []any{c.LAID, id, p.StartedOn, p.EndedOn, p.Code})
		}
	}
	for _, t := range []struct {
		table string
		cols  []string
		rows  [][]any
	}{
		{"episodes", []string{"la_id", "child_id", "started_on", "ended_on", "rne", "legal_status", "cin", "place", "place_provider", "provider_id", "urn",
			"rec", "reason_place_change", "home_postcode", "placement_postcode", "distance_miles", "out_of_area", "source"}, eps},
		{"care_periods", []string{"la_id", "child_id", "started_on", "ended_on"}, cps},
		{"legal_statuses", []string{"la_id", "child_id", "started_on", "ended_on", "code"}, lss},
		{"placement_costs", []string{"la_id", "child_id", "placement_started_on", "effective_from", "effective_to", "weekly_pence",
			"social_care_pence", "education_pence", "health_pence", "source"}, costs},
	} {
		if _, err := postgres.CopyFrom(ctx, tx, t.table, t.cols, pgx.CopyFromRows(t.rows)); err != nil {
			return fmt.Errorf("demo %s: %w", t.table, err)
		}
	}
	return nil
}

// loadProceedings writes the demo care cases with their children, hearings and experts.
func loadProceedings(ctx context.Context, tx pgx.Tx, reg Region, ids map[ChildKey]int64) error {
	var ps, pcs, hs, es [][]any
	for i, p := range reg.Proceedings {
		id := int64(i + 1)
		var final any
		if p.FinalOrder != "" {
			final = p.FinalOrder
		}
		ps = append(ps, []any{p.LAID, id, p.CaseNumber, "Manchester Family Court", p.PreProceedings, p.Issued, p.Concluded, final})
		for _, ci := range p.Children {
			c := reg.Children[ci]
			pcs = append(pcs, []any{p.LAID, id, ids[ChildKey{c.LAID, c.Ref}]})
		}
		for _, h := range p.Hearings {
			reason := ""
			if h.Outcome != "effective" {
				reason = []string{"Expert report late", "No judge available", "Parties not ready", "Listing error"}[len(hs)%4]
			}
			hs = append(hs, []any{p.LAID, id, h.On, h.Kind, h.Outcome, reason})
		}
		for _, e := range p.Experts {
			es = append(es, []any{p.LAID, id, e.Kind, e.Commissioned, e.CostPence})
		}
	}
	for _, t := range []struct {
		table string
		cols  []string
		rows  [][]any
	}{
		{"proceedings", []string{"la_id", "proceeding_id", "case_number", "court", "pre_proceedings_on", "issued_on", "concluded_on", "final_order"}, ps},
		{"proceeding_children", []string{"la_id", "proceeding_id", "child_id"}, pcs},
		{"hearings", []string{"la_id", "proceeding_id", "held_on", "kind", "outcome", "reason"}, hs},
		{"expert_assessments", []string{"la_id", "proceeding_id", "kind", "commissioned_on", "cost_pence"}, es},
	} {
		if _, err := postgres.CopyFrom(ctx, tx, t.table, t.cols, pgx.CopyFromRows(t.rows)); err != nil {
			return fmt.Errorf("demo %s: %w", t.table, err)
		}
	}
	_, err := tx.Exec(ctx, "SELECT setval(pg_get_serial_sequence('proceedings', 'proceeding_id'), $1::bigint + 1, false)", len(ps))
	return err
}

// loadNeeds writes every child's needs history with COPY. Assessment IDs are
// assigned here (COPY may set an identity column) and the sequence moved past them.
func loadNeeds(ctx context.Context, tx pgx.Tx, all []*Child, ids map[ChildKey]int64, userIDs map[string]int64) error {
	var instrument int32
	if err := tx.QueryRow(ctx, "SELECT instrument_id FROM needs_instruments WHERE code = 'hearth-12' ORDER BY version DESC LIMIT 1").Scan(&instrument); err != nil {
		return fmt.Errorf("demo needs: default instrument: %w", err)
	}
	slug := map[int32]string{}
	for _, c := range Councils {
		slug[c.LAID] = c.Slug
	}
	type ref struct {
		child int
		a     int
	}
	var refs []ref
	for i, c := range all {
		for j := range c.Assessments {
			refs = append(refs, ref{i, j})
		}
	}
	at := func(d time.Time, days int) time.Time { return d.AddDate(0, 0, days).Add(10 * time.Hour) }
	cols := []string{"la_id", "assessment_id", "child_id", "instrument_id", "assessed_on", "reason", "status", "author_id",
		"submitted_at", "approver_id", "approved_at", "created_at", "updated_at", "approved_levels"}
	if _, err := postgres.CopyFrom(ctx, tx, "needs_assessments", cols, pgx.CopyFromSlice(len(refs), func(i int) ([]any, error) {
		c := all[refs[i].child]
		a := c.Assessments[refs[i].a]
		var submitted, approver, approved, levels any
		if a.Status != "draft" {
			submitted = at(a.On, 2)
		}
		if a.Status == "approved" {
			approver, approved = userIDs["team.manager@"+slug[c.LAID]+".demo.hearth.test"], at(a.On, 5)
			levels = a.Levels[:]
		}
		created := at(a.On, 0)
		return []any{c.LAID, int64(i + 1), ids[ChildKey{c.LAID, c.Ref}], instrument, a.On, a.Reason, a.Status, userIDs[c.Worker],
			submitted, approver, approved, created, created, levels}, nil
	})); err != nil {
		return fmt.Errorf("demo needs assessments: %w", err)
	}
	if _, err := tx.Exec(ctx, "SELECT setval(pg_get_serial_sequence('needs_assessments', 'assessment_id'), $1::bigint + 1, false)", len(refs)); err != nil {
		return err
	}
	rated := func(a Assessment) int {
		if a.Status == "draft" {
			return 7 // a draft part-way through
		}
		return len(Domains)
	}
	n := 0
	for _, r := range refs {
		n += rated(all[r.child].Assessments[r.a])
	}
	ri, rd := 0, 0
	if _, err := postgres.CopyFrom(ctx, tx, "needs_ratings", []string{"la_id", "assessment_id", "instrument_id", "domain_code", "level", "evidence"},
		pgx.CopyFromSlice(n, func(int) ([]any, error) {
			c := all[refs[ri].child]
			a := c.Assessments[refs[ri].a]
			row := []any{c.LAID, int64(ri + 1), instrument, Domains[rd], a.Levels[rd], evidence(rd, a.Levels[rd])}
			if rd++; rd == rated(a) {
				ri, rd = ri+1, 0
			}
			return row, nil
		})); err != nil {
		return fmt.Errorf("demo needs ratings: %w", err)
	}
	return nil
}

// every is today's children then the former ones, without copying them.
func (reg Region) every() []*Child {
	out := make([]*Child, 0, len(reg.Children)+len(reg.Former))
	for i := range reg.Children {
		out = append(out, &reg.Children[i])
	}
	for i := range reg.Former {
		out = append(out, &reg.Former[i])
	}
	return out
}

// ChildKey identifies a child by council and the council's reference.
type ChildKey struct {
	LAID int32
	Ref  string
}

// ChildIDs maps every child's council reference to Hearth's child ID.
func ChildIDs(ctx context.Context, tx pgx.Tx) (map[ChildKey]int64, error) {
	rows, err := tx.Query(ctx, "SELECT la_id, child_ref, child_id FROM children")
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	ids := map[ChildKey]int64{}
	for rows.Next() {
		var k ChildKey
		var id int64
		if err := rows.Scan(&k.LAID, &k.Ref, &id); err != nil {
			return nil, err
		}
		ids[k] = id
	}
	return ids, rows.Err()
}

// SignIns lists one demo account per role, for printing at start-up.
func SignIns(reg Region) [][2]string {
	seen := map[string]bool{}
	var out [][2]string
	for _, u := range reg.Users {
		for _, g := range u.Grants {
			if !seen[g.Role] {
				seen[g.Role] = true
				out = append(out, [2]string{g.Role, u.Email})
			}
		}
	}
	return out
}

// CouncilSet is the demo region's councils.
func CouncilSet() postgres.Councils {
	ids := make([]int32, len(Councils))
	for i, c := range Councils {
		ids[i] = c.LAID
	}
	return postgres.OnlyCouncils(ids...)
}
