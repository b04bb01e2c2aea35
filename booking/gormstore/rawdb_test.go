package gormstore

import "gorm.io/gorm"

// DB is the gorm handle for this package's tests, which check rows and
// guards below the Store's methods. The product has no such door; tests of
// other packages open their own handle (storetest.SQL).
func (s *Store) DB() *gorm.DB { return s.db }
