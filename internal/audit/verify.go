package audit

import (
	"bytes"
	"context"
	"crypto/sha256"
	"encoding/hex"
	"fmt"
	"strconv"
	"strings"
	"time"

	"github.com/hearthcare/hearth/internal/db"
)

// Link is one event as the hash chain sees it (schema/017): its place in its
// council's chain, the hash it says came before it, and its own.
type Link struct {
	LAID      int32 // 0: the chain of events recorded against no council
	Seq       int64
	EventID   int64
	At        time.Time
	UserID    *int64
	EventLA   *int32
	Action    string
	Entity    string
	EntityID  string
	Outcome   string
	RequestID string
	Detail    string // as PostgreSQL prints the jsonb
	PrevHash  []byte
	Hash      []byte
}

// Payload is the text an event's hash covers: every column, each as its length
// in bytes, a colon and the text (NULL as "-"), joined with ";". It must match
// audit_event_payload in schema/017, which the database hashes on insert.
func Payload(l Link) string {
	field := func(v string) string { return strconv.Itoa(len(v)) + ":" + v }
	opt := func(p *int64) string {
		if p == nil {
			return "-"
		}
		return field(strconv.FormatInt(*p, 10))
	}
	la := "-"
	if l.EventLA != nil {
		la = field(strconv.Itoa(int(*l.EventLA)))
	}
	return strings.Join([]string{
		field(strconv.FormatInt(l.Seq, 10)), field(strconv.FormatInt(l.EventID, 10)),
		field(l.At.UTC().Format("2006-01-02T15:04:05.000000Z")),
		opt(l.UserID), la, field(l.Action), field(l.Entity), field(l.EntityID), field(l.Outcome), field(l.RequestID), field(l.Detail),
	}, ";")
}

// Hash is what an event's hash must be, given the hash before it.
func Hash(prev []byte, l Link) []byte {
	h := sha256.New()
	h.Write(prev)
	h.Write([]byte(Payload(l)))
	return h.Sum(nil)
}

// ChainReport is what verifying one chain found.
type ChainReport struct {
	LAID   int32 // 0: events recorded against no council
	Events int64
	Head   []byte // the last event's hash: record it elsewhere to detect a rewritten chain
	Break  *Break // the first broken link, or nil
}

// Break is the first link of a chain that does not hold.
type Break struct {
	EventID int64
	Seq     int64
	Reason  string
}

func (b Break) String() string {
	return fmt.Sprintf("event %d (link %d): %s", b.EventID, b.Seq, b.Reason)
}

// HeadHex is the head hash in hex.
func (r ChainReport) HeadHex() string { return hex.EncodeToString(r.Head) }

// Verify recomputes, in Go and independently of the database's own function,
// the hash chain of each council in laIDs (all chains, the no-council one
// included, when laIDs is empty) and reports each chain's first broken link.
// It reads the events in chain order; the session must be able to see them
// (postgres.WithCouncils).
func Verify(ctx context.Context, q db.DBTX, laIDs []int32) ([]ChainReport, error) {
	rows, err := q.Query(ctx, `
		SELECT coalesce(la_id, 0)::int, chain_seq, event_id, at, user_id, la_id, action, entity, entity_id, outcome,
		       request_id, detail::text, prev_hash, hash
		FROM audit_events
		WHERE coalesce(cardinality($1::int[]), 0) = 0 OR coalesce(la_id, 0) = ANY($1::int[])
		ORDER BY coalesce(la_id, 0), chain_seq`, laIDs)
	if err != nil {
		return nil, fmt.Errorf("read the audit trail: %w", err)
	}
	defer rows.Close()
	var out []ChainReport
	var cur *ChainReport
	var l Link
	var prev []byte
	var wantSeq int64
	for rows.Next() {
		if err := rows.Scan(&l.LAID, &l.Seq, &l.EventID, &l.At, &l.UserID, &l.EventLA, &l.Action, &l.Entity, &l.EntityID,
			&l.Outcome, &l.RequestID, &l.Detail, &l.PrevHash, &l.Hash); err != nil {
			return nil, fmt.Errorf("read the audit trail: %w", err)
		}
		if cur == nil || cur.LAID != l.LAID {
			out = append(out, ChainReport{LAID: l.LAID})
			cur = &out[len(out)-1]
			prev, wantSeq = []byte{}, 1
		}
		cur.Events++
		if cur.Break == nil {
			switch {
			case l.Seq != wantSeq:
				cur.Break = &Break{l.EventID, l.Seq, fmt.Sprintf("link %d is missing (an event was removed)", wantSeq)}
			case !bytes.Equal(l.PrevHash, prev):
				cur.Break = &Break{l.EventID, l.Seq, "it does not follow the event before it (an event was removed, inserted or rewritten)"}
			case !bytes.Equal(l.Hash, Hash(prev, l)):
				cur.Break = &Break{l.EventID, l.Seq, "its contents do not match its hash (the event was changed)"}
			}
		}
		prev, wantSeq = l.Hash, l.Seq+1
		cur.Head = l.Hash
	}
	if err := rows.Err(); err != nil {
		return nil, fmt.Errorf("read the audit trail: %w", err)
	}
	return out, nil
}
