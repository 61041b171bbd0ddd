package sharing

import (
	"crypto/hmac"
	"crypto/sha256"
	"encoding/base32"
	"strconv"
)

// Pseudonym is a child's key in regional data: an HMAC of the council and
// child with the council's own secret. It is stable over time, so trajectories
// join up, and without the secret it cannot be turned back into the child or
// matched across councils.
func Pseudonym(secret []byte, la int32, childID int64) string {
	m := hmac.New(sha256.New, secret)
	m.Write([]byte(strconv.Itoa(int(la)) + "/" + strconv.FormatInt(childID, 10)))
	sum := m.Sum(nil)
	// 80 bits: collisions are negligible for a region's children.
	return base32.StdEncoding.WithPadding(base32.NoPadding).EncodeToString(sum[:10])
}
