package placements

import (
	"errors"
	"regexp"
	"strconv"
	"strings"
)

var (
	districtRE = regexp.MustCompile(`^[A-Z]{1,2}[0-9][0-9A-Z]?$`)
	poundsRE   = regexp.MustCompile(`^-?[0-9]+(\.[0-9]{1,2})?$`)
)

var errNotMoney = errors.New("not an amount of money")

// ParsePounds reads an amount in pounds ("£1,234.50", "1234.5", "1234") as pence.
func ParsePounds(s string) (int64, error) {
	t := strings.ReplaceAll(strings.TrimPrefix(strings.TrimSpace(s), "£"), ",", "")
	if !poundsRE.MatchString(t) {
		return 0, errNotMoney
	}
	neg := strings.HasPrefix(t, "-")
	t = strings.TrimPrefix(t, "-")
	whole, frac, _ := strings.Cut(t, ".")
	p, err := strconv.ParseInt(whole, 10, 64)
	if err != nil || p > 10_000_000 {
		return 0, errNotMoney
	}
	p *= 100
	if frac != "" {
		if len(frac) == 1 {
			frac += "0"
		}
		f, _ := strconv.ParseInt(frac, 10, 64)
		p += f
	}
	if neg {
		p = -p
	}
	return p, nil
}
