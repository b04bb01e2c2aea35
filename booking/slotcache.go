package booking

import (
	"slices"
	"sync"
	"time"
)

// slotCache keeps computed grids per service and day for a short time, so
// that a rush of citizens browsing slots does not recompute them from the
// database on every request. Staleness is harmless for correctness: Reserve
// re-checks under lock, so a stale "free" only turns into a 409.
//
// Writes in this process invalidate the affected day at once; the TTL bounds
// staleness caused by other server processes on the same database.
type slotCache struct {
	ttl time.Duration
	mu  sync.Mutex
	// gen counts invalidations per day; all counts invalidations of
	// everything. A computation stores its result only if neither moved
	// since it started reading, so a slow reader cannot cache old data.
	gen map[Date]uint64
	all uint64
	// journal lists the recent bookings in this process, numbered by seq. A computation that overlapped bookings replays those made since
	// it started instead of being thrown away: under a rush every grid
	// computation overlaps some booking, and discarding them all would leave
	// the day uncached exactly when it is busiest. Replaying is idempotent,
	// so a booking the computation already saw does no harm.
	seq          uint64
	journal      []journalEntry
	journalFloor uint64 // bookings up to this seq were pruned
	entries      map[slotKey]slotEntry
	hours        map[int64]hoursEntry // active clerks' opening hours per service
	services     map[int64]serviceEntry
	loads        map[Date]loadsEntry // booked appointments per clerk and day
	// flights shares one computation among concurrent misses of the same
	// range, so a burst of listings during a booking rush (which keeps
	// invalidating the day) costs one database read at a time, not one each.
	flights map[flightKey]*flight
	// refreshing marks keys with a background refresh under way.
	refreshing map[flightKey]bool
}

// journalKeep bounds the journal: a computation older than this cannot
// replay and is discarded, as before.
const journalKeep = 10 * time.Second

type journalEntry struct {
	seq              uint64
	day              Date
	clerk            int64
	start, busyUntil time.Time
	at               time.Time
}

type flightKey struct {
	service  int64
	from, to Date
}

type flight struct {
	done  chan struct{}
	slots []Slot
	err   error
}

type hoursEntry struct {
	hours   []OpeningHours
	expires time.Time
}

// loadsEntry is never modified in place (copy on write), so a map handed
// out stays valid while bookings add to the cached one.
type loadsEntry struct {
	byClerk map[int64]int
	expires time.Time
}

type serviceEntry struct {
	service Service
	expires time.Time
}

type slotKey struct {
	service int64
	day     Date
}

type slotEntry struct {
	slots   []Slot
	step    time.Duration // the service's duration plus buffer
	expires time.Time     // wall clock, independent of the office's injected clock
}

// cacheStamp captures the generations before a computation reads the database.
type cacheStamp struct {
	all  uint64
	seq  uint64
	days map[Date]uint64
}

func newSlotCache(ttl time.Duration) *slotCache {
	return &slotCache{ttl: ttl, gen: map[Date]uint64{}, entries: map[slotKey]slotEntry{}, hours: map[int64]hoursEntry{}, services: map[int64]serviceEntry{}, loads: map[Date]loadsEntry{}, flights: map[flightKey]*flight{}, refreshing: map[flightKey]bool{}}
}

func (c *slotCache) enabled() bool { return c != nil && c.ttl > 0 }

// get returns the cached grid of every day in from..to, or false if any is
// missing. stale reports that some day is past its TTL (but within a second
// TTL of grace): the caller serves it and has it recomputed in the
// background, so a rush never waits on an expiry.
func (c *slotCache) get(service int64, from, to Date) (slots []Slot, stale, ok bool) {
	days, missing, stale := c.days(service, from, to)
	if slices.Contains(missing, true) {
		return nil, false, false
	}
	if len(days) == 1 {
		return days[0], stale, true // shared with the cache, as the callers expect
	}
	return slices.Concat(days...), stale, true
}

// days returns the cached grid of each day in from..to (nil where a day is
// missing) and whether any is stale, so a range that is partly cached
// computes only the days it lacks.
func (c *slotCache) days(service int64, from, to Date) (days [][]Slot, missing []bool, stale bool) {
	n := to.DaysSince(from) + 1
	days, missing = make([][]Slot, n), make([]bool, n)
	if !c.enabled() {
		for i := range missing {
			missing[i] = true
		}
		return days, missing, false
	}
	now := time.Now()
	c.mu.Lock()
	defer c.mu.Unlock()
	for i := range days {
		e, ok := c.entries[slotKey{service, from.AddDays(i)}]
		if !ok || now.After(e.expires.Add(c.ttl)) {
			missing[i] = true
			continue
		}
		stale = stale || now.After(e.expires)
		days[i] = e.slots
	}
	return days, missing, stale
}

func (c *slotCache) stamp(from, to Date) cacheStamp {
	if !c.enabled() {
		return cacheStamp{}
	}
	c.mu.Lock()
	defer c.mu.Unlock()
	s := cacheStamp{all: c.all, seq: c.seq, days: map[Date]uint64{}}
	for d := from; !to.Before(d); d = d.AddDays(1) {
		s.days[d] = c.gen[d]
	}
	return s
}

// put stores a computed grid of from..to, split by day, unless the data it
// was computed from has been invalidated meanwhile. Bookings made since st
// are applied to it first.
func (c *slotCache) put(service int64, step time.Duration, from, to Date, st cacheStamp, slots []Slot, loc *time.Location) {
	if !c.enabled() {
		return
	}
	byDay := map[Date][]Slot{}
	for _, s := range slots {
		d := DateOf(s.Start.In(loc))
		byDay[d] = append(byDay[d], s)
	}
	expires := time.Now().Add(c.ttl)
	c.mu.Lock()
	defer c.mu.Unlock()
	if c.all != st.all {
		return
	}
	if len(c.entries) > 50_000 { // bound memory under odd access patterns
		clear(c.entries)
	}
	if st.seq < c.journalFloor {
		return // bookings it missed are no longer known
	}
	for _, j := range c.journal {
		if j.seq > st.seq && byDay[j.day] != nil {
			byDay[j.day] = withoutClerk(byDay[j.day], step, j.clerk, j.start, j.busyUntil)
		}
	}
	for d := from; !to.Before(d); d = d.AddDays(1) {
		if c.gen[d] != st.days[d] {
			continue
		}
		c.entries[slotKey{service, d}] = slotEntry{slots: byDay[d], step: step, expires: expires}
	}
}

// invalidateDay drops every service's grid of day d (the same clerks serve
// several services, so one booking changes them all).
func (c *slotCache) invalidateDay(d Date) {
	if !c.enabled() {
		return
	}
	c.mu.Lock()
	defer c.mu.Unlock()
	c.dropGrids(d)
	delete(c.loads, d)
}

// booked records a new appointment of clerk on day d, busy over
// [start, busyUntil): every cached grid of the day loses that clerk at the
// starts the span overlaps (what a recomputation would find, without the
// database), and the cached loads grow by one. Entries are replaced, never
// modified, because readers may hold the old slices.
func (c *slotCache) booked(d Date, clerk int64, start, busyUntil time.Time) {
	if !c.enabled() {
		return
	}
	now := time.Now()
	c.mu.Lock()
	defer c.mu.Unlock()
	c.seq++
	drop := 0
	for drop < len(c.journal) && now.Sub(c.journal[drop].at) > journalKeep {
		c.journalFloor = c.journal[drop].seq
		drop++
	}
	c.journal = append(c.journal[drop:], journalEntry{seq: c.seq, day: d, clerk: clerk, start: start, busyUntil: busyUntil, at: now})
	for k, e := range c.entries {
		if k.day == d {
			c.entries[k] = slotEntry{slots: withoutClerk(e.slots, e.step, clerk, start, busyUntil), step: e.step, expires: e.expires}
		}
	}
	if e, ok := c.loads[d]; ok {
		next := make(map[int64]int, len(e.byClerk)+1)
		for k, v := range e.byClerk {
			next[k] = v
		}
		next[clerk]++
		c.loads[d] = loadsEntry{byClerk: next, expires: e.expires}
	}
}

// taken records that none of clerks is free at start for service: the
// database said so when a booking for that start failed. Only that slot of
// that service is certain; the rest of the day stays (the TTL bounds what
// another server process may have changed).
func (c *slotCache) taken(service int64, d Date, start time.Time, clerks []int64) {
	if !c.enabled() {
		return
	}
	c.mu.Lock()
	defer c.mu.Unlock()
	k := slotKey{service, d}
	e, ok := c.entries[k]
	if !ok {
		return
	}
	slots := slices.Clone(e.slots)
	for i := range slots {
		s := &slots[i]
		if !s.Start.Equal(start) {
			continue
		}
		s.free = slices.DeleteFunc(slices.Clone(s.free), func(id int64) bool { return slices.Contains(clerks, id) })
		s.Available = len(s.free)
	}
	c.entries[k] = slotEntry{slots: slots, step: e.step, expires: e.expires}
}

// withoutClerk copies slots, taking clerk out of the free ones wherever
// [slot start, slot start + step) overlaps [start, end).
func withoutClerk(slots []Slot, step time.Duration, clerk int64, start, end time.Time) []Slot {
	out := make([]Slot, len(slots))
	copy(out, slots)
	for i := range out {
		s := &out[i]
		if !s.Start.Before(end) || !start.Before(s.Start.Add(step)) || !containsID(s.free, clerk) {
			continue
		}
		free := make([]int64, 0, len(s.free)-1)
		for _, id := range s.free {
			if id != clerk {
				free = append(free, id)
			}
		}
		s.free, s.Available = free, len(free)
	}
	return out
}

// dropGrids forgets the grids of day d; callers hold mu.
func (c *slotCache) dropGrids(d Date) {
	c.gen[d]++ // computations that started before cannot be stored
	for k := range c.entries {
		if k.day == d {
			delete(c.entries, k)
		}
	}
}

// loadsOf returns the cached loads of day d; the map must not be modified.
func (c *slotCache) loadsOf(d Date) (map[int64]int, bool) {
	if !c.enabled() {
		return nil, false
	}
	c.mu.Lock()
	defer c.mu.Unlock()
	e, ok := c.loads[d]
	if !ok || time.Now().After(e.expires) {
		return nil, false
	}
	return e.byClerk, true
}

// putLoads caches the loads of day d unless the day changed since st.
func (c *slotCache) putLoads(d Date, st cacheStamp, byClerk map[int64]int) {
	if !c.enabled() {
		return
	}
	c.mu.Lock()
	defer c.mu.Unlock()
	if c.gen[d] == st.days[d] {
		c.loads[d] = loadsEntry{byClerk: byClerk, expires: time.Now().Add(c.ttl)}
	}
}

// invalidateAll drops everything, after changes to services, hours or closures.
func (c *slotCache) invalidateAll() {
	if !c.enabled() {
		return
	}
	c.mu.Lock()
	defer c.mu.Unlock()
	c.all++
	clear(c.entries)
	clear(c.hours)
	clear(c.services)
	clear(c.loads)
}

func (c *slotCache) serviceOf(id int64) (Service, bool) {
	if !c.enabled() {
		return Service{}, false
	}
	c.mu.Lock()
	defer c.mu.Unlock()
	e, ok := c.services[id]
	if !ok || time.Now().After(e.expires) {
		return Service{}, false
	}
	return e.service, true
}

func (c *slotCache) putService(st cacheStamp, s Service) {
	if !c.enabled() {
		return
	}
	c.mu.Lock()
	defer c.mu.Unlock()
	if c.all == st.all {
		c.services[s.ID] = serviceEntry{service: s, expires: time.Now().Add(c.ttl)}
	}
}

// hoursOf returns the cached opening hours of a service.
func (c *slotCache) hoursOf(service int64) ([]OpeningHours, bool) {
	if !c.enabled() {
		return nil, false
	}
	c.mu.Lock()
	defer c.mu.Unlock()
	e, ok := c.hours[service]
	if !ok || time.Now().After(e.expires) {
		return nil, false
	}
	return e.hours, true
}

// putHours caches a service's hours unless the schedule changed since st.
func (c *slotCache) putHours(service int64, st cacheStamp, hours []OpeningHours) {
	if !c.enabled() {
		return
	}
	c.mu.Lock()
	defer c.mu.Unlock()
	if c.all == st.all {
		c.hours[service] = hoursEntry{hours: hours, expires: time.Now().Add(c.ttl)}
	}
}

// share runs compute once for concurrent callers with the same key; later
// callers wait for the running computation and get its result.
func (c *slotCache) share(k flightKey, compute func() ([]Slot, error)) ([]Slot, error) {
	if !c.enabled() {
		return compute()
	}
	c.mu.Lock()
	if f, ok := c.flights[k]; ok {
		c.mu.Unlock()
		<-f.done
		return f.slots, f.err
	}
	f := &flight{done: make(chan struct{})}
	c.flights[k] = f
	c.mu.Unlock()
	defer func() {
		c.mu.Lock()
		delete(c.flights, k)
		c.mu.Unlock()
		close(f.done)
	}()
	f.slots, f.err = compute()
	return f.slots, f.err
}

// inFlight counts running computations (for tests).
func (c *slotCache) inFlight() int {
	c.mu.Lock()
	defer c.mu.Unlock()
	return len(c.flights)
}

// startRefresh claims the background refresh of k; false if one runs.
func (c *slotCache) startRefresh(k flightKey) bool {
	c.mu.Lock()
	defer c.mu.Unlock()
	if c.refreshing[k] {
		return false
	}
	c.refreshing[k] = true
	return true
}

func (c *slotCache) endRefresh(k flightKey) {
	c.mu.Lock()
	defer c.mu.Unlock()
	delete(c.refreshing, k)
}
