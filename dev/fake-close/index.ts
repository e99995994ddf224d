// Fake Close API: in-process (FakeClose.handle, synchronous) or over HTTP (startFakeCloseServer).
// See README.md in this folder for the defaults, the reproduced quirks and the exact error strings.

export {
  ACTIVITY_ENDPOINTS,
  type Activity,
  generateActivities,
  listActivities,
  TRICKY_ACTIVITY_TEXTS,
} from './activities';
export { buildBulkOrg } from './bulk-org';
export { EVENT_RETENTION_MS, EventLog, type FakeEvent } from './events';
export {
  DEFAULT_MAX_LIMIT,
  FakeClose,
  type FakeCloseOptions,
  type FaultSpec,
  type LogEntry,
  METHOD_NOT_ALLOWED_MESSAGE,
  NOT_FOUND_MESSAGE,
  RATE_LIMIT_MESSAGE,
  UNAUTHORIZED_MESSAGE,
} from './fake-close';
export { DEFAULT_RATE_LIMITS, type RateLimitRule } from './rate-limit';
export {
  buildSampleOrg,
  INDUSTRY_CHOICES,
  NBSP_NAME,
  SAMPLE_API_KEY,
  SAMPLE_FIELDS,
  TRICKY_TEXT_VALUES,
  XSS_NAME,
} from './sample-org';
export { WAYNE_LEAD_ID, wayneLead } from './seed-lead';
export { type FakeCloseServer, startFakeCloseServer } from './server';
export type {
  Contact,
  CustomField,
  CustomFieldType,
  FakeOrg,
  FakeRequest,
  FakeResponse,
  JsonObject,
  JsonValue,
  Lead,
  LeadStatus,
  Opportunity,
  OpportunityStatus,
  Organization,
  Pipeline,
  SavedSearch,
  User,
} from './types';
export { MESSAGES } from './validation';
