package audit

import (
	"bytes"
	"context"
	"crypto/sha256"
	"encoding/hex"
	"fmt"
	"slices"
	"strconv"
	"strings"
	"time"

	"github.com/hearthcare/hearth/internal/db"
)

// Link is one event as the hash chain sees it (schema 017, linked after
// commit since schema 036): its place in its council's chain, the hash it
// says came before it, and its own.
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
// audit_event_payload in schema 036, which the database hashes when it links
// the event.
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
	LAID   int32  // 0: events recorded against no council
	Events int64  // linked events
	Head   []byte // the last event's hash: record it elsewhere to detect a rewritten chain
	Break  *Break // the first broken link, or nil
	// Unlinked events committed so recently that the linker had not seen
	// them when verify linked the chain; none may be older than LinkBound.
	Unlinked int64
}

// LinkBound is how long a committed event may stay out of its chain before
// verify calls it a break. Verify links every pending event itself before
// reading, so an event still unlinked after it committed in the moment
// between the two; one older than this has lost its place in the queue
// (audit_pending), which only the owner can do.
const LinkBound = time.Minute

// LinkPending links every committed event of the chains in laIDs (all chains
// when empty) that is not yet in its chain, waiting for any linker already at
// work on one (schema 036, audit_link), and returns how many it linked.
func LinkPending(ctx context.Context, q db.DBTX, laIDs []int32) (int64, error) {
	return link(ctx, q, laIDs, true)
}

// linkBatch is how many events of one chain a call of audit_link links: each
// call is one transaction, so a long backlog is linked in steps that each
// hold the chain's lock briefly.
const linkBatch = 5000

func link(ctx context.Context, q db.DBTX, laIDs []int32, wait bool) (int64, error) {
	chains := nilIfEmpty(laIDs)
	var total int64
	for {
		var n int64
		if err := q.QueryRow(ctx, "SELECT audit_link($1::int[], $2, $3)", chains, linkBatch, wait).Scan(&n); err != nil {
			return total, fmt.Errorf("link the audit trail: %w", err)
		}
		total += n
		if n < linkBatch {
			return total, nil
		}
	}
}

// Break is the first link of a chain that does not hold.
type Break struct {
	EventID int64
	Seq     int64
	Reason  string
}

func (b Break) String() string {
	if b.Seq == 0 {
		return fmt.Sprintf("event %d: %s", b.EventID, b.Reason)
	}
	return fmt.Sprintf("event %d (link %d): %s", b.EventID, b.Seq, b.Reason)
}

// HeadHex is the head hash in hex.
func (r ChainReport) HeadHex() string { return hex.EncodeToString(r.Head) }

// Verify links what is pending (LinkPending), then recomputes, in Go and
// independently of the database's own function, the hash chain of each
// council in laIDs (all chains, the no-council one included, when laIDs is
// empty) and reports each chain's first broken link, and any event left out
// of its chain for longer than LinkBound. It reads the events in chain order;
// the session must be able to see them (postgres.WithCouncils).
func Verify(ctx context.Context, q db.DBTX, laIDs []int32) ([]ChainReport, error) {
	if _, err := LinkPending(ctx, q, laIDs); err != nil {
		return nil, err
	}
	out, err := verifyLinks(ctx, q, laIDs)
	if err != nil {
		return nil, err
	}
	rows, err := q.Query(ctx, "SELECT chain, events, first_event, oldest_seconds FROM audit_unlinked($1::int[]) ORDER BY chain", nilIfEmpty(laIDs))
	if err != nil {
		return nil, fmt.Errorf("read the audit trail's unlinked events: %w", err)
	}
	defer rows.Close()
	for rows.Next() {
		var chain int32
		var n, first int64
		var age float64
		if err := rows.Scan(&chain, &n, &first, &age); err != nil {
			return nil, fmt.Errorf("read the audit trail's unlinked events: %w", err)
		}
		i := slices.IndexFunc(out, func(r ChainReport) bool { return r.LAID == chain })
		if i < 0 {
			out = append(out, ChainReport{LAID: chain})
			i = len(out) - 1
		}
		r := &out[i]
		r.Unlinked = n
		if r.Break == nil && time.Duration(age*float64(time.Second)) > LinkBound {
			r.Break = &Break{first, 0, fmt.Sprintf("it is in no chain: %d events committed, the oldest %s ago, were never linked (removed from the queue)",
				n, time.Duration(age*float64(time.Second)).Round(time.Second))}
		}
	}
	if err := rows.Err(); err != nil {
		return nil, fmt.Errorf("read the audit trail's unlinked events: %w", err)
	}
	slices.SortFunc(out, func(a, b ChainReport) int { return int(a.LAID) - int(b.LAID) })
	return out, nil
}

func nilIfEmpty(laIDs []int32) []int32 {
	if len(laIDs) == 0 {
		return nil
	}
	return laIDs
}

// verifyLinks walks the linked events of each chain in order.
func verifyLinks(ctx context.Context, q db.DBTX, laIDs []int32) ([]ChainReport, error) {
	rows, err := q.Query(ctx, `
		SELECT l.chain, l.seq, e.event_id, e.at, e.user_id, e.la_id, e.action, e.entity, e.entity_id, e.outcome,
		       e.request_id, e.detail::text, l.prev_hash, l.hash
		FROM audit_links l JOIN audit_events e ON e.event_id = l.event_id
		WHERE coalesce(cardinality($1::int[]), 0) = 0 OR l.chain = ANY($1::int[])
		ORDER BY l.chain, l.seq`, laIDs)
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
