-- Schema of a new database as created by the code at commit 8cc0c91 (schema version 4),
-- dumped with: pg_dump --schema-only --no-owner --no-comments (less SET lines). Frozen: do not edit.

CREATE EXTENSION IF NOT EXISTS btree_gist WITH SCHEMA public;

CREATE TABLE public.appointments (
    id bigint NOT NULL,
    case_id bigint NOT NULL,
    service_id bigint NOT NULL,
    clerk_id bigint NOT NULL,
    start_unix bigint NOT NULL,
    end_unix bigint NOT NULL,
    busy_until_unix bigint NOT NULL,
    status character varying(16) NOT NULL,
    citizen_name character varying(200) NOT NULL,
    citizen_email character varying(254) NOT NULL,
    topic text DEFAULT ''::text NOT NULL,
    language character varying(8) NOT NULL,
    consent_at bigint NOT NULL,
    join_token_hash character varying(64) NOT NULL,
    join_expires_at bigint NOT NULL,
    manage_token_hash character varying(64) NOT NULL,
    manage_expires_at bigint NOT NULL,
    created_at bigint NOT NULL,
    sequence bigint DEFAULT 0 NOT NULL,
    scheduled_at bigint DEFAULT 0 NOT NULL,
    join_token_sealed text DEFAULT ''::text NOT NULL,
    joined_at bigint DEFAULT 0 NOT NULL,
    anonymised_at bigint DEFAULT 0 NOT NULL
);

CREATE SEQUENCE public.appointments_id_seq
    START WITH 1
    INCREMENT BY 1
    NO MINVALUE
    NO MAXVALUE
    CACHE 1;

ALTER SEQUENCE public.appointments_id_seq OWNED BY public.appointments.id;

CREATE TABLE public.audit_log (
    seq bigint NOT NULL,
    at bigint NOT NULL,
    actor_id bigint NOT NULL,
    action character varying(64) NOT NULL,
    object character varying(128) NOT NULL,
    detail character varying(200) NOT NULL,
    prev_hash character varying(64) NOT NULL,
    hash character varying(64) NOT NULL
);

CREATE TABLE public.calendar_feeds (
    user_id bigint NOT NULL,
    token_hash character varying(64) NOT NULL,
    created_at bigint NOT NULL
);

CREATE TABLE public.case_events (
    id bigint NOT NULL,
    case_id bigint NOT NULL,
    type character varying(32) NOT NULL,
    at bigint NOT NULL,
    actor_id bigint DEFAULT 0 NOT NULL,
    detail character varying(200) DEFAULT ''::character varying NOT NULL
);

CREATE SEQUENCE public.case_events_id_seq
    START WITH 1
    INCREMENT BY 1
    NO MINVALUE
    NO MAXVALUE
    CACHE 1;

ALTER SEQUENCE public.case_events_id_seq OWNED BY public.case_events.id;

CREATE TABLE public.cases (
    id bigint NOT NULL,
    number character varying(32),
    clerk_id bigint NOT NULL,
    created_at bigint NOT NULL,
    archive_offered_at bigint DEFAULT 0 NOT NULL,
    archived_at bigint DEFAULT 0 NOT NULL
);

CREATE SEQUENCE public.cases_id_seq
    START WITH 1
    INCREMENT BY 1
    NO MINVALUE
    NO MAXVALUE
    CACHE 1;

ALTER SEQUENCE public.cases_id_seq OWNED BY public.cases.id;

CREATE TABLE public.closures (
    id bigint NOT NULL,
    day character varying(10) NOT NULL,
    clerk_id bigint DEFAULT 0 NOT NULL,
    reason character varying(200) DEFAULT ''::character varying NOT NULL
);

CREATE SEQUENCE public.closures_id_seq
    START WITH 1
    INCREMENT BY 1
    NO MINVALUE
    NO MAXVALUE
    CACHE 1;

ALTER SEQUENCE public.closures_id_seq OWNED BY public.closures.id;

CREATE TABLE public.mail_outbox (
    id bigint NOT NULL,
    kind character varying(32) NOT NULL,
    appointment_id bigint NOT NULL,
    dedup_key character varying(128) NOT NULL,
    recipient_masked character varying(254) DEFAULT ''::character varying NOT NULL,
    payload text DEFAULT ''::text NOT NULL,
    status character varying(16) NOT NULL,
    attempts bigint DEFAULT 0 NOT NULL,
    next_attempt_at bigint NOT NULL,
    lease_owner character varying(64) DEFAULT ''::character varying NOT NULL,
    lease_until bigint DEFAULT 0 NOT NULL,
    last_error character varying(500) DEFAULT ''::character varying NOT NULL,
    created_at bigint NOT NULL,
    sent_at bigint DEFAULT 0 NOT NULL,
    updated_at bigint NOT NULL
);

CREATE SEQUENCE public.mail_outbox_id_seq
    START WITH 1
    INCREMENT BY 1
    NO MINVALUE
    NO MAXVALUE
    CACHE 1;

ALTER SEQUENCE public.mail_outbox_id_seq OWNED BY public.mail_outbox.id;

CREATE TABLE public.notes (
    id bigint NOT NULL,
    case_id bigint NOT NULL,
    author_id bigint NOT NULL,
    text text NOT NULL,
    created_at bigint NOT NULL
);

CREATE SEQUENCE public.notes_id_seq
    START WITH 1
    INCREMENT BY 1
    NO MINVALUE
    NO MAXVALUE
    CACHE 1;

ALTER SEQUENCE public.notes_id_seq OWNED BY public.notes.id;

CREATE TABLE public.opening_hours (
    id bigint NOT NULL,
    service_id bigint NOT NULL,
    clerk_id bigint NOT NULL,
    weekday bigint NOT NULL,
    start_min bigint NOT NULL,
    end_min bigint NOT NULL
);

CREATE SEQUENCE public.opening_hours_id_seq
    START WITH 1
    INCREMENT BY 1
    NO MINVALUE
    NO MAXVALUE
    CACHE 1;

ALTER SEQUENCE public.opening_hours_id_seq OWNED BY public.opening_hours.id;

CREATE TABLE public.schema_migrations (
    version bigint NOT NULL,
    applied_at bigint NOT NULL
);

CREATE TABLE public.services (
    id bigint NOT NULL,
    name character varying(200) NOT NULL,
    description text DEFAULT ''::text NOT NULL,
    duration_minutes bigint NOT NULL,
    buffer_minutes bigint NOT NULL,
    min_notice_minutes bigint NOT NULL,
    horizon_days bigint NOT NULL,
    published boolean NOT NULL
);

CREATE SEQUENCE public.services_id_seq
    START WITH 1
    INCREMENT BY 1
    NO MINVALUE
    NO MAXVALUE
    CACHE 1;

ALTER SEQUENCE public.services_id_seq OWNED BY public.services.id;

CREATE TABLE public.sessions (
    token_hash character varying(64) NOT NULL,
    user_id bigint NOT NULL,
    csrf_token character varying(64) NOT NULL,
    created_at bigint NOT NULL,
    expires_at bigint NOT NULL
);

CREATE TABLE public.settings (
    name character varying(64) NOT NULL,
    value text NOT NULL
);

CREATE TABLE public.users (
    id bigint NOT NULL,
    email character varying(254) NOT NULL,
    name character varying(200) NOT NULL,
    role character varying(16) NOT NULL,
    password_hash character varying(200) NOT NULL,
    active boolean NOT NULL,
    created_at bigint NOT NULL
);

CREATE SEQUENCE public.users_id_seq
    START WITH 1
    INCREMENT BY 1
    NO MINVALUE
    NO MAXVALUE
    CACHE 1;

ALTER SEQUENCE public.users_id_seq OWNED BY public.users.id;

ALTER TABLE ONLY public.appointments ALTER COLUMN id SET DEFAULT nextval('public.appointments_id_seq'::regclass);

ALTER TABLE ONLY public.case_events ALTER COLUMN id SET DEFAULT nextval('public.case_events_id_seq'::regclass);

ALTER TABLE ONLY public.cases ALTER COLUMN id SET DEFAULT nextval('public.cases_id_seq'::regclass);

ALTER TABLE ONLY public.closures ALTER COLUMN id SET DEFAULT nextval('public.closures_id_seq'::regclass);

ALTER TABLE ONLY public.mail_outbox ALTER COLUMN id SET DEFAULT nextval('public.mail_outbox_id_seq'::regclass);

ALTER TABLE ONLY public.notes ALTER COLUMN id SET DEFAULT nextval('public.notes_id_seq'::regclass);

ALTER TABLE ONLY public.opening_hours ALTER COLUMN id SET DEFAULT nextval('public.opening_hours_id_seq'::regclass);

ALTER TABLE ONLY public.services ALTER COLUMN id SET DEFAULT nextval('public.services_id_seq'::regclass);

ALTER TABLE ONLY public.users ALTER COLUMN id SET DEFAULT nextval('public.users_id_seq'::regclass);

ALTER TABLE ONLY public.appointments
    ADD CONSTRAINT appointments_no_overlap EXCLUDE USING gist (clerk_id WITH =, int8range(start_unix, busy_until_unix) WITH &&) WHERE (((status)::text = 'booked'::text));

ALTER TABLE ONLY public.appointments
    ADD CONSTRAINT appointments_pkey PRIMARY KEY (id);

ALTER TABLE ONLY public.audit_log
    ADD CONSTRAINT audit_log_pkey PRIMARY KEY (seq);

ALTER TABLE ONLY public.calendar_feeds
    ADD CONSTRAINT calendar_feeds_pkey PRIMARY KEY (user_id);

ALTER TABLE ONLY public.case_events
    ADD CONSTRAINT case_events_pkey PRIMARY KEY (id);

ALTER TABLE ONLY public.cases
    ADD CONSTRAINT cases_pkey PRIMARY KEY (id);

ALTER TABLE ONLY public.closures
    ADD CONSTRAINT closures_pkey PRIMARY KEY (id);

ALTER TABLE ONLY public.mail_outbox
    ADD CONSTRAINT mail_outbox_pkey PRIMARY KEY (id);

ALTER TABLE ONLY public.notes
    ADD CONSTRAINT notes_pkey PRIMARY KEY (id);

ALTER TABLE ONLY public.opening_hours
    ADD CONSTRAINT opening_hours_pkey PRIMARY KEY (id);

ALTER TABLE ONLY public.schema_migrations
    ADD CONSTRAINT schema_migrations_pkey PRIMARY KEY (version);

ALTER TABLE ONLY public.services
    ADD CONSTRAINT services_pkey PRIMARY KEY (id);

ALTER TABLE ONLY public.sessions
    ADD CONSTRAINT sessions_pkey PRIMARY KEY (token_hash);

ALTER TABLE ONLY public.settings
    ADD CONSTRAINT settings_pkey PRIMARY KEY (name);

ALTER TABLE ONLY public.users
    ADD CONSTRAINT users_pkey PRIMARY KEY (id);

CREATE UNIQUE INDEX idx_appointments_case_id ON public.appointments USING btree (case_id);

CREATE INDEX idx_appointments_citizen_email ON public.appointments USING btree (citizen_email);

CREATE UNIQUE INDEX idx_appointments_join_token_hash ON public.appointments USING btree (join_token_hash);

CREATE UNIQUE INDEX idx_appointments_manage_token_hash ON public.appointments USING btree (manage_token_hash);

CREATE INDEX idx_appt_clerk_start ON public.appointments USING btree (clerk_id, start_unix, busy_until_unix, status);

CREATE INDEX idx_appt_start ON public.appointments USING btree (start_unix, status, clerk_id);

CREATE UNIQUE INDEX idx_calendar_feeds_token_hash ON public.calendar_feeds USING btree (token_hash);

CREATE INDEX idx_case_events_case_id ON public.case_events USING btree (case_id);

CREATE INDEX idx_cases_clerk_id ON public.cases USING btree (clerk_id);

CREATE UNIQUE INDEX idx_cases_number ON public.cases USING btree (number);

CREATE INDEX idx_closures_day ON public.closures USING btree (day);

CREATE INDEX idx_mail_outbox_appointment_id ON public.mail_outbox USING btree (appointment_id);

CREATE UNIQUE INDEX idx_mail_outbox_dedup_key ON public.mail_outbox USING btree (dedup_key);

CREATE INDEX idx_notes_case_id ON public.notes USING btree (case_id);

CREATE INDEX idx_opening_hours_clerk_id ON public.opening_hours USING btree (clerk_id);

CREATE INDEX idx_opening_hours_service_id ON public.opening_hours USING btree (service_id);

CREATE INDEX idx_outbox_due ON public.mail_outbox USING btree (status, next_attempt_at);

CREATE INDEX idx_services_published ON public.services USING btree (published);

CREATE INDEX idx_sessions_expires_at ON public.sessions USING btree (expires_at);

CREATE INDEX idx_sessions_user_id ON public.sessions USING btree (user_id);

CREATE UNIQUE INDEX idx_users_email ON public.users USING btree (email);

