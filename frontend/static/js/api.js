// REST client of the Sprechstunde API (docs/api.md). DOM-free: usable in
// tests and workers. Staff requests carry the CSRF token from login or /auth/me.

/** Error answer of the API: `{"error":{"code","message","fields"}}`. */
export class ApiError extends Error {
  /**
   * @param {number} status HTTP status, 0 for network failures
   * @param {string} code machine-readable code, e.g. "invalid"
   * @param {string} message
   * @param {Object<string,string>} [fields] field name -> problem
   */
  constructor(status, code, message, fields) {
    super(message);
    this.status = status;
    this.code = code;
    this.fields = fields || {};
  }
}

/** @typedef {{id:number,name:string,description:string,duration_minutes:number}} Service */
/** @typedef {{start:string,end:string,available:number}} Slot */
/** @typedef {{id:number,case_number:string,service_id:number,start:string,end:string,status:string,join_url?:string,manage_url?:string}} Booking */
/** @typedef {{id:number,case_number:string,service_id:number,start:string,end:string}} RoomAppointment */
/** @typedef {{role:string,display_name:string,participant_id:string,appointment:RoomAppointment,not_before:string,not_after:string,ws_url:string}} RoomInfo */
/** @typedef {{ticket:string,ws_url:string,room:RoomInfo}} Ticket */
/** @typedef {{name:string,address:string,controller:string,privacy_contact:string,accessibility_contact:string}} Office */
/** @typedef {{user:{id:number,email:string,name:string,role:string},csrf_token:string}} Me */

export class Api {
  /** @param {string} [base] origin-relative API root */
  constructor(base = "/api/v1") {
    this.base = base;
    /** @type {string} */
    this.csrf = "";
  }

  /**
   * @param {string} method
   * @param {string} path below the API root
   * @param {unknown} [body] JSON-encoded when given
   * @returns {Promise<any>} decoded JSON, or null for 204
   */
  async request(method, path, body) {
    /** @type {Record<string,string>} */
    const headers = { Accept: "application/json" };
    if (body !== undefined) headers["Content-Type"] = "application/json";
    if (this.csrf && method !== "GET") headers["X-CSRF-Token"] = this.csrf;
    let res;
    try {
      res = await fetch(this.base + path, {
        method, headers, credentials: "same-origin",
        body: body === undefined ? undefined : JSON.stringify(body),
      });
    } catch (e) {
      throw new ApiError(0, "network", String(e));
    }
    if (res.status === 204) return null;
    const data = await res.json().catch(() => null);
    if (!res.ok) {
      const err = (data && data.error) || {};
      throw new ApiError(res.status, err.code || "http_" + res.status, err.message || res.statusText, err.fields);
    }
    return data;
  }

  // Citizens
  /** @returns {Promise<Office>} who runs the office, for Impressum and privacy notice */
  office() { return this.request("GET", "/office"); }
  /** @returns {Promise<Service[]>} */
  services() { return this.request("GET", "/services"); }
  /** @param {number} id @param {string} from YYYY-MM-DD @param {string} to @returns {Promise<Slot[]>} */
  slots(id, from, to) { return this.request("GET", `/services/${id}/slots?from=${from}&to=${to}`); }
  /** @param {object} req booking request @returns {Promise<Booking>} */
  book(req) { return this.request("POST", "/bookings", req); }
  /** @param {string} token @returns {Promise<Booking>} */
  manage(token) { return this.request("GET", `/bookings/manage/${encodeURIComponent(token)}`); }
  /** @param {string} token */
  cancel(token) { return this.request("DELETE", `/bookings/manage/${encodeURIComponent(token)}`); }
  /** @param {string} token @param {string} start @returns {Promise<Booking>} */
  rebook(token, start) { return this.request("POST", `/bookings/manage/${encodeURIComponent(token)}/rebook`, { start }); }
  /** @param {string} token @returns {string} URL of the booking's .ics file */
  icsURL(token) { return `${this.base}/bookings/manage/${encodeURIComponent(token)}/ics`; }

  // Rooms
  /** @param {string} token @returns {Promise<RoomInfo>} */
  join(token) { return this.request("POST", `/join/${encodeURIComponent(token)}`); }
  /** @param {string} token @param {string} name @returns {Promise<RoomInfo>} */
  guest(token, name) { return this.request("POST", `/guest/${encodeURIComponent(token)}`, { name }); }
  /** @returns {Promise<RoomInfo>} */
  session() { return this.request("GET", "/rooms/session"); }
  /** @returns {Promise<Ticket>} */
  ticket() { return this.request("POST", "/rooms/ticket"); }

  // Staff
  /** @returns {Promise<Me>} */
  async login(email, password) { const me = await this.request("POST", "/auth/login", { email, password }); this.csrf = me.csrf_token; return me; }
  /** @returns {Promise<Me>} */
  async me() { const me = await this.request("GET", "/auth/me"); this.csrf = me.csrf_token; return me; }
  logout() { return this.request("POST", "/auth/logout"); }
  appointments(from, to) { return this.request("GET", `/clerk/appointments?from=${from}&to=${to}`); }
  caseGet(number) { return this.request("GET", `/cases/${encodeURIComponent(number)}`); }
  addNote(number, text) { return this.request("POST", `/cases/${encodeURIComponent(number)}/notes`, { text }); }
  setStatus(number, status) { return this.request("POST", `/cases/${encodeURIComponent(number)}/status`, { status }); }
  /** @returns {Promise<Ticket>} */
  staffTicket(id) { return this.request("POST", `/clerk/appointments/${id}/ticket`); }
  guestLink(id) { return this.request("POST", `/clerk/appointments/${id}/guest-link`); }
  waiting(id) { return this.request("GET", `/clerk/appointments/${id}/waiting`); }
  /** @returns {string} URL of the server-sent waiting stream */
  waitingStreamURL() { return `${this.base}/clerk/waiting/stream`; }

  // Admin
  users() { return this.request("GET", "/admin/users"); }
  createUser(u) { return this.request("POST", "/admin/users", u); }
  updateUser(id, patch) { return this.request("PATCH", `/admin/users/${id}`, patch); }
  adminServices() { return this.request("GET", "/admin/services"); }
  createService(s) { return this.request("POST", "/admin/services", s); }
  updateService(id, s) { return this.request("PUT", `/admin/services/${id}`, s); }
  deleteService(id) { return this.request("DELETE", `/admin/services/${id}`); }
  hours(serviceId) { return this.request("GET", `/admin/services/${serviceId}/hours`); }
  addHours(serviceId, h) { return this.request("POST", `/admin/services/${serviceId}/hours`, h); }
  updateHours(id, h) { return this.request("PUT", `/admin/hours/${id}`, h); }
  deleteHours(id) { return this.request("DELETE", `/admin/hours/${id}`); }
  closures(from, to) { return this.request("GET", `/admin/closures?from=${from}&to=${to}`); }
  addClosure(c) { return this.request("POST", "/admin/closures", c); }
  deleteClosure(id) { return this.request("DELETE", `/admin/closures/${id}`); }
  mailStatus() { return this.request("GET", "/admin/mail"); }
  retryMail(id) { return this.request("POST", `/admin/mail/${id}/retry`); }
}

/** One client per page. */
export const api = new Api();
