// Package demo builds a synthetic regional care cooperative: four Greater
// Manchester councils, their children in care with plausible characteristics,
// caseloads, and demo users for every role. The same seed and as-of date always
// give the same region, and it scales to national size (100,000 children).
//
// Rates follow ../shared/docs/domain.md and DfE's children-looked-after
// statistics: 56% boys; ages 5% under 1, 14% 1–4, 17% 5–9, 38% 10–15, 26% 16–17;
// about 9% unaccompanied asylum-seeking children (mostly 16–17-year-old boys);
// about 29% with an EHC plan. No real child is represented.
package demo

import (
	"fmt"
	"math/rand/v2"
	"strings"
	"time"
)

// Council is one demo council.
type Council struct {
	LAID    int32
	ONSCode string
	Name    string
	Slug    string
	Share   float64 // of the region's children
}

// Councils are four real Greater Manchester councils (DfE LA code, ONS code).
var Councils = []Council{
	{352, "E08000003", "Manchester", "manchester", 0.40},
	{355, "E08000006", "Salford", "salford", 0.22},
	{356, "E08000007", "Stockport", "stockport", 0.18},
	{358, "E08000009", "Trafford", "trafford", 0.20},
}

// RCC is the demo regional care cooperative.
var RCC = struct{ Code, Name string }{"gm-rcc", "Greater Manchester Regional Care Cooperative"}

// Password is every demo user's password. Demo data only.
const Password = "hearth-demo-password"

// Options choose the region's size, randomness and date.
type Options struct {
	Seed     uint64
	Children int
	AsOf     time.Time
}

// Region is a generated region, ready to load.
type Region struct {
	AsOf        time.Time
	Users       []User
	Children    []Child // in care on AsOf (Options.Children of them)
	Former      []Child // left care in the HistoryYears before AsOf
	Providers   []Provider
	Proceedings []Proceeding
}

// User is a demo account and its roles.
type User struct {
	Email, Name, Team string
	Grants            []Grant
}

// Grant is a demo role: in a council (LAID), in the RCC, or system-wide.
type Grant struct {
	Role   string
	LAID   int32
	RCC    bool
	System bool
}

// Child is a demo child in care, or formerly in care (Region.Former).
type Child struct {
	LAID                  int32
	Ref                   string
	GivenName, FamilyName string
	DateOfBirth           time.Time
	Sex, Ethnicity        string
	UPN                   string
	UASC, EHCPlan         bool
	Disability            bool
	CareStart             time.Time
	Worker                string // email of the allocated social worker
	AllocatedFrom         time.Time
	Assessments           []Assessment // oldest first
	Episodes              []Episode    // oldest first; the last is open while the child is in care
}

// ChildrenPerWorker is the caseload size the demo aims for.
const ChildrenPerWorker = 16

// Generate builds a region. It touches no database.
func Generate(o Options) Region {
	if o.Children <= 0 {
		o.Children = 1500
	}
	asOf := dateOf(o.AsOf)
	r := rand.New(rand.NewPCG(o.Seed, o.Seed^0x9e3779b97f4a7c15))
	reg := Region{AsOf: asOf}

	reg.Users = append(reg.Users,
		User{Email: "system.admin@demo.hearth.test", Name: "Sam Admin", Grants: []Grant{{Role: "system_admin", System: true}}},
		User{Email: "rcc.analyst@gm-rcc.demo.hearth.test", Name: "Riley Regional", Grants: []Grant{{Role: "rcc_analyst", RCC: true}}},
		User{Email: "rcc.data@gm-rcc.demo.hearth.test", Name: "Dana Datum", Grants: []Grant{{Role: "rcc_data_officer", RCC: true}}},
	)
	// Placements draw from their own stream, so adding them left the rest of the region as it was.
	pr := rand.New(rand.NewPCG(o.Seed^0x5eed, o.Seed+17))
	// So do the children who have left care: today's children are as they were before there were any.
	lr := rand.New(rand.NewPCG(o.Seed^0x1ea7e5, o.Seed+41))
	reg.Providers = providers(pr)
	remaining := o.Children
	for ci, c := range Councils {
		n := int(float64(o.Children) * c.Share)
		if ci == len(Councils)-1 {
			n = remaining
		}
		remaining -= n
		domain := c.Slug + ".demo.hearth.test"
		for _, role := range []string{"team_manager", "commissioner", "court_officer", "la_analyst", "la_admin", "auditor"} {
			reg.Users = append(reg.Users, User{Email: strings.ReplaceAll(role, "_", ".") + "@" + domain,
				Name: personName(r) + " (" + roleLabel(role) + ")", Team: "Team 1", Grants: []Grant{{Role: role, LAID: c.LAID}}})
		}
		workers := max(1, (n+ChildrenPerWorker-1)/ChildrenPerWorker)
		emails := make([]string, workers)
		for w := range workers {
			email := fmt.Sprintf("sw%d@%s", w+1, domain)
			if w == 0 {
				email = "social.worker@" + domain
			}
			emails[w] = email
			team := fmt.Sprintf("Team %d", w/6+1)
			reg.Users = append(reg.Users, User{Email: email, Name: personName(r), Team: team,
				Grants: []Grant{{Role: "social_worker", LAID: c.LAID}}})
		}
		for i := range n {
			ch := child(r, c, i, asOf)
			ch.Worker = emails[i%workers]
			ch.AllocatedFrom = maxDate(ch.CareStart, asOf.AddDate(0, 0, -r.IntN(400)))
			ch.Assessments = needsHistory(r, ch, asOf)
			ch.Episodes = placementsFor(pr, ch, reg.Providers, asOf)
			reg.Children = append(reg.Children, ch)
		}
		// Former children follow on from today's in the council's references.
		for k, l := range leaversFor(lr, n, asOf) {
			reg.Former = append(reg.Former, formerChild(lr, c, n+k+1, l, reg.Providers, emails[k%workers], asOf))
		}
	}
	reg.Proceedings = proceedingsFor(rand.New(rand.NewPCG(o.Seed^0xc0de, o.Seed+29)), &reg)
	return reg
}

func child(r *rand.Rand, c Council, i int, asOf time.Time) Child {
	ch := Child{LAID: c.LAID, Ref: fmt.Sprintf("%c%06d", 'A'+rune(c.LAID%26), i+1)}
	ch.Sex = "M"
	if r.Float64() >= 0.56 {
		ch.Sex = "F"
	}
	age := pick(r, []float64{0.05, 0.14, 0.17, 0.38, 0.26})
	lo, hi := []int{0, 1, 5, 10, 16}[age], []int{1, 5, 10, 16, 18}[age]
	days := r.IntN((hi-lo)*365-1) + lo*365
	ch.DateOfBirth = asOf.AddDate(0, 0, -days-1)
	// Unaccompanied children are mostly boys aged 16–17.
	ch.UASC = (age == 4 && r.Float64() < 0.27) || (age == 3 && r.Float64() < 0.05)
	if ch.UASC {
		ch.Sex = "M"
		if r.Float64() < 0.06 {
			ch.Sex = "F"
		}
		ch.Ethnicity = []string{"OOTH", "BAFR", "AOTH", "MOTH", "BOTH"}[pick(r, []float64{0.35, 0.3, 0.2, 0.1, 0.05})]
	} else {
		ch.Ethnicity = ethnicities[pick(r, ethnicityWeights)]
	}
	ch.EHCPlan = age >= 1 && r.Float64() < 0.31
	ch.Disability = r.Float64() < 0.08
	if ch.Sex == "M" {
		ch.GivenName = boys[r.IntN(len(boys))]
	} else {
		ch.GivenName = girls[r.IntN(len(girls))]
	}
	ch.FamilyName = familyNames[r.IntN(len(familyNames))]
	ch.UPN = upn(r)
	// Time in care: a third under a year, a quarter five years or more.
	years := []float64{0.5, 2, 4, 7}[pick(r, []float64{0.33, 0.3, 0.15, 0.22})]
	inCare := int(years*365*(0.5+r.Float64())) + 7
	start := asOf.AddDate(0, 0, -inCare)
	if start.Before(ch.DateOfBirth) {
		start = ch.DateOfBirth.AddDate(0, 0, r.IntN(max(1, days/2+1)))
	}
	if ch.UASC && start.Before(ch.DateOfBirth.AddDate(14, 0, 0)) {
		start = ch.DateOfBirth.AddDate(14+r.IntN(2), r.IntN(12), 0)
		if start.After(asOf) {
			start = asOf.AddDate(0, 0, -30)
		}
	}
	ch.CareStart = start
	return ch
}

var ethnicities = []string{"WBRI", "WIRI", "WIRT", "WOTH", "WROM", "MWBC", "MWBA", "MWAS", "MOTH", "AIND", "APKN",
	"ABAN", "AOTH", "BCRB", "BAFR", "BOTH", "CHNE", "OOTH", "REFU", "NOBT"}
var ethnicityWeights = []float64{70, 0.5, 0.3, 5, 0.6, 3.5, 1.2, 1.3, 3.5, 0.8, 2.4, 0.7, 1.5, 1.4, 3.2, 1.5, 0.3, 1.0, 0.2, 0.6}

func pick(r *rand.Rand, weights []float64) int {
	total := 0.0
	for _, w := range weights {
		total += w
	}
	x := r.Float64() * total
	for i, w := range weights {
		if x < w {
			return i
		}
		x -= w
	}
	return len(weights) - 1
}

func upn(r *rand.Rand) string {
	const letters = "ABCDEFGHJKLMNPQRTUVWXYZ"
	var b strings.Builder
	b.WriteByte(letters[r.IntN(len(letters))])
	for range 12 {
		b.WriteByte(byte('0' + r.IntN(10)))
	}
	return b.String()
}

func personName(r *rand.Rand) string {
	given := append(append([]string{}, adultsGiven...), girls[:10]...)
	return given[r.IntN(len(given))] + " " + familyNames[r.IntN(len(familyNames))]
}

func roleLabel(role string) string {
	return map[string]string{"team_manager": "team manager", "commissioner": "commissioner", "court_officer": "court officer",
		"la_analyst": "analyst", "la_admin": "council admin", "auditor": "auditor"}[role]
}

func dateOf(t time.Time) time.Time {
	if t.IsZero() {
		t = time.Now()
	}
	y, m, d := t.Date()
	return time.Date(y, m, d, 0, 0, 0, 0, time.UTC)
}

func maxDate(a, b time.Time) time.Time {
	if a.After(b) {
		return a
	}
	return b
}

var boys = []string{"Oliver", "Noah", "Jack", "Harry", "Leo", "George", "Charlie", "Jacob", "Muhammad", "Alfie", "Freddie",
	"Oscar", "Arthur", "Theo", "Thomas", "Isaac", "Riley", "Mason", "Tyler", "Kai", "Ethan", "Joshua", "Dylan", "Logan",
	"Reggie", "Tommy", "Kian", "Callum", "Ibrahim", "Ahmed", "Samuel", "Daniel", "Kacper", "Jayden", "Elijah", "Malachi"}
var girls = []string{"Olivia", "Amelia", "Isla", "Ava", "Lily", "Freya", "Ivy", "Florence", "Mia", "Willow", "Rosie",
	"Sophia", "Isabella", "Grace", "Evie", "Poppy", "Ella", "Ruby", "Chloe", "Jessica", "Layla", "Maisie", "Aisha",
	"Zara", "Amira", "Hannah", "Kayla", "Leah", "Skye", "Summer", "Tia", "Amber", "Nevaeh", "Maja", "Esme", "Millie"}
var adultsGiven = []string{"Alex", "Jordan", "Priya", "Sam", "Chris", "Nadia", "Helen", "Marcus", "Joanne", "Ravi",
	"Claire", "Gareth", "Fatima", "Simon", "Lorraine", "Dev", "Karen", "Owen", "Bernadette", "Tariq"}
var familyNames = []string{"Smith", "Jones", "Williams", "Taylor", "Brown", "Davies", "Evans", "Wilson", "Thomas",
	"Johnson", "Roberts", "Robinson", "Thompson", "Wright", "Walker", "White", "Edwards", "Hughes", "Green", "Hall",
	"Lewis", "Harris", "Clarke", "Patel", "Jackson", "Wood", "Turner", "Martin", "Cooper", "Hill", "Ward", "Morris",
	"Moore", "Clark", "Lee", "King", "Baker", "Harrison", "Morgan", "Allen", "James", "Scott", "Phillips", "Watson",
	"Davis", "Parker", "Price", "Bennett", "Young", "Griffiths", "Mitchell", "Kelly", "Cook", "Carter", "Richardson",
	"Bailey", "Collins", "Bell", "Shaw", "Murphy", "Miller", "Cox", "Richards", "Khan", "Marshall", "Anderson",
	"Simpson", "Ellis", "Adams", "Singh", "Begum", "Ali", "Hussain", "Ahmed", "Okafor", "Mensah", "Nowak", "Kowalski",
	"O'Brien", "Doherty", "Byrne", "McDonald", "Campbell", "Stewart", "Reid", "Murray", "Kaur", "Chen", "Nguyen"}
