package server

import (
	"gorm.io/gorm"

	"github.com/sprechstunde/sprechstunde/booking/gormstore/storetest"
)

// rawSQL is the test's own handle on the server's database, for checks and
// changes below the API; opened once per test environment.
func (e *testEnv) rawSQL() *gorm.DB {
	e.sqlOnce.Do(func() { e.sql = storetest.SQL(e.t, e.cfg.Database) })
	return e.sql
}
