package ui

import (
	"slices"
	"sync"
)

// navCache keeps each user's menu for one generation of grants
// (authz.Authorizer.Generation): a reload, on any grant change or every
// minute, empties it, so a revoked role leaves the menu at once.
type navCache struct {
	mu    sync.Mutex
	gen   uint64
	items map[int64][]navItem
}

// get returns a copy of the user's menu, working it out with build if this
// generation has not.
func (c *navCache) get(gen uint64, userID int64, build func(int64) []navItem) []navItem {
	c.mu.Lock()
	if c.gen != gen || c.items == nil {
		c.gen, c.items = gen, map[int64][]navItem{}
	}
	items, ok := c.items[userID]
	c.mu.Unlock()
	if !ok {
		items = build(userID)
		c.mu.Lock()
		if c.gen == gen {
			c.items[userID] = items
		}
		c.mu.Unlock()
	}
	// The caller marks the active section in its own copy.
	return slices.Clone(items)
}
