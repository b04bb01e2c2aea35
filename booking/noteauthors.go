package booking

import (
	"context"
	"errors"
	"fmt"
)

// NoteAuthors names the staff who wrote a case's notes, so the case file
// says who wrote what. An author whose account is gone has no name.
func (o *Office) NoteAuthors(ctx context.Context, c Case) (map[int64]string, error) {
	out := map[int64]string{}
	for _, n := range c.Notes {
		if _, seen := out[n.AuthorID]; seen || n.AuthorID == 0 {
			continue
		}
		u, err := o.store.User(ctx, n.AuthorID)
		if errors.Is(err, ErrNotFound) {
			out[n.AuthorID] = ""
			continue
		}
		if err != nil {
			return nil, fmt.Errorf("booking: author of a note on %s: %w", c.Number, err)
		}
		out[n.AuthorID] = u.Name
	}
	return out, nil
}
