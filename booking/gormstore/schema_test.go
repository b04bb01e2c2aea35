package gormstore_test

import (
	"fmt"
	"os"
	"strings"
	"testing"

	"gorm.io/gorm"
)

// Schema dumps for comparing databases: every table with its columns
// (type, nullability, default, key), every index, constraint and trigger,
// one line each, sorted, so two dumps are equal exactly when the schemas
// are, however each database got there.

// dumpSchema describes the schema of db, the version table included.
func dumpSchema(t testing.TB, kind string, db *gorm.DB) string {
	t.Helper()
	queries := sqliteSchemaQueries
	if kind == "postgres" {
		queries = postgresSchemaQueries
	}
	var lines []string
	for _, q := range queries() {
		lines = append(lines, queryLines(t, db, q, true)...)
	}
	return strings.Join(lines, "\n")
}

// sqliteSchemaQueries read sqlite_master through the table-valued pragmas,
// so a column added by ALTER TABLE equals one written in CREATE TABLE.
// Trigger and partial index text is compared with whitespace collapsed.
func sqliteSchemaQueries() []string {
	const tables = `(SELECT name AS t, sql FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite_%')`
	return []string{
		`SELECT 'table', t, instr(upper(sql), 'AUTOINCREMENT') > 0 FROM ` + tables + ` ORDER BY t`,
		`SELECT 'column', t, c.cid, c.name, c.type, c."notnull", c.dflt_value, c.pk, c.hidden
		   FROM ` + tables + `, pragma_table_xinfo(t) c ORDER BY t, c.cid`,
		`SELECT 'index', t, i.name, i."unique", i.origin, i.partial,
		        (SELECT group_concat(x.name || ' ' || x."desc" || ' ' || x.coll, ', ') FROM
		           (SELECT * FROM pragma_index_xinfo(i.name) WHERE key ORDER BY seqno) x),
		        CASE WHEN i.partial THEN (SELECT sql FROM sqlite_master WHERE name = i.name) END
		   FROM ` + tables + `, pragma_index_list(t) i ORDER BY t, i.name`,
		`SELECT 'foreign key', t, f.id, f.seq, f."table", f."from", f."to", f.on_update, f.on_delete
		   FROM ` + tables + `, pragma_foreign_key_list(t) f ORDER BY t, f.id, f.seq`,
		`SELECT 'trigger', tbl_name, name, sql FROM sqlite_master WHERE type = 'trigger' ORDER BY name`,
		`SELECT 'view', name, sql FROM sqlite_master WHERE type = 'view' ORDER BY name`,
	}
}

// postgresSchemaQueries read information_schema and pg_catalog of the
// public schema.
func postgresSchemaQueries() []string {
	return []string{
		`SELECT 'extension', extname FROM pg_extension ORDER BY extname`,
		`SELECT 'column', table_name, ordinal_position, column_name, data_type, character_maximum_length,
		        numeric_precision, is_nullable, column_default, is_identity
		   FROM information_schema.columns WHERE table_schema = 'public' ORDER BY table_name, ordinal_position`,
		`SELECT 'constraint', conrelid::regclass::text, conname, contype, pg_get_constraintdef(oid)
		   FROM pg_constraint WHERE connamespace = 'public'::regnamespace ORDER BY 2, 3`,
		`SELECT 'index', tablename, indexname, indexdef FROM pg_indexes WHERE schemaname = 'public' ORDER BY 2, 3`,
		`SELECT 'trigger', tgrelid::regclass::text, tgname, pg_get_triggerdef(oid)
		   FROM pg_trigger WHERE NOT tgisinternal ORDER BY 2, 3`,
		`SELECT 'sequence', sequence_name, data_type, start_value, increment, maximum_value
		   FROM information_schema.sequences WHERE sequence_schema = 'public' ORDER BY 2`,
		`SELECT 'owned sequence', s.relname, t.relname, a.attname FROM pg_depend d
		   JOIN pg_class s ON s.oid = d.objid AND s.relkind = 'S'
		   JOIN pg_class t ON t.oid = d.refobjid JOIN pg_attribute a ON a.attrelid = t.oid AND a.attnum = d.refobjsubid
		   WHERE d.deptype = 'a' ORDER BY 2`,
		`SELECT 'view', table_name, view_definition FROM information_schema.views WHERE table_schema = 'public' ORDER BY 2`,
		`SELECT 'function', p.proname, pg_get_function_identity_arguments(p.oid) FROM pg_proc p
		   WHERE p.pronamespace = 'public'::regnamespace AND p.prokind = 'f'
		     AND NOT EXISTS (SELECT 1 FROM pg_depend d WHERE d.objid = p.oid AND d.deptype = 'e') ORDER BY 2, 3`,
	}
}

// queryLines runs q and renders each row as one line, with each value's
// whitespace collapsed if asked.
func queryLines(t testing.TB, db *gorm.DB, q string, collapse bool) []string {
	t.Helper()
	rows, err := db.Raw(q).Rows()
	if err != nil {
		t.Fatalf("%s: %v", q, err)
	}
	defer rows.Close()
	cols, _ := rows.Columns()
	var out []string
	for rows.Next() {
		vals := make([]any, len(cols))
		ptrs := make([]any, len(cols))
		for i := range vals {
			ptrs[i] = &vals[i]
		}
		if err := rows.Scan(ptrs...); err != nil {
			t.Fatal(err)
		}
		fields := make([]string, len(vals))
		for i, v := range vals {
			if b, ok := v.([]byte); ok {
				v = string(b)
			}
			fields[i] = fmt.Sprint(v)
			if collapse {
				fields[i] = strings.Join(strings.Fields(fields[i]), " ")
			}
		}
		out = append(out, strings.Join(fields, " | "))
	}
	if err := rows.Err(); err != nil {
		t.Fatal(err)
	}
	return out
}

// sqliteMaster lists the text SQLite keeps of each table, index and
// trigger: equal only if the same statements created them.
func sqliteMaster(t testing.TB, db *gorm.DB) string {
	t.Helper()
	return strings.Join(queryLines(t, db, `SELECT type, name, sql FROM sqlite_master
		WHERE name NOT LIKE 'sqlite_%' ORDER BY type, name`, false), "\n")
}

// execScript runs the statements of a schema file (as sqlite3 .schema or
// pg_dump write them: one statement ends with ";" at the end of a line).
func execScript(t testing.TB, db *gorm.DB, path string) {
	t.Helper()
	b, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	var kept []string
	for _, l := range strings.Split(string(b), "\n") {
		if !strings.HasPrefix(l, "--") {
			kept = append(kept, l)
		}
	}
	for _, q := range strings.Split(strings.Join(kept, "\n"), ";\n") {
		if q = strings.TrimSpace(q); q == "" {
			continue
		}
		if err := db.Exec(q).Error; err != nil {
			t.Fatalf("%s: %.80s: %v", path, q, err)
		}
	}
}

// diffLines names the lines only one of two dumps has.
func diffLines(a, b string) string {
	in := func(s string) map[string]bool {
		m := map[string]bool{}
		for _, l := range strings.Split(s, "\n") {
			m[l] = true
		}
		return m
	}
	ma, mb := in(a), in(b)
	var out []string
	for _, l := range strings.Split(a, "\n") {
		if !mb[l] {
			out = append(out, "- "+l)
		}
	}
	for _, l := range strings.Split(b, "\n") {
		if !ma[l] {
			out = append(out, "+ "+l)
		}
	}
	return strings.Join(out, "\n")
}
