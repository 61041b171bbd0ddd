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

// RecordKey is a child's record key for cell key perturbation: a fixed
// random number 0–255, the first byte of the same keyed HMAC as the
// pseudonym, so it never changes and cannot be worked out without the
// council's secret.
func RecordKey(secret []byte, la int32, childID int64) uint8 {
	m := hmac.New(sha256.New, secret)
	m.Write([]byte(strconv.Itoa(int(la)) + "/" + strconv.FormatInt(childID, 10)))
	return m.Sum(nil)[0]
}

// caseKey is a court case's record key, as RecordKey is a child's.
func caseKey(secret []byte, la int32, caseID int64) uint8 {
	m := hmac.New(sha256.New, secret)
	m.Write([]byte("case/" + strconv.Itoa(int(la)) + "/" + strconv.FormatInt(caseID, 10)))
	return m.Sum(nil)[0]
}
