// Package sandbox is a local model of the HighLevel API v2: the same paths,
// bodies, status codes, validation messages, token classes and scopes,
// rate-limit headers and server-side normalisation as services.leadconnectorhq.com,
// for the kinds ghlctl manages (locations, tags, custom fields, custom values,
// trigger links, calendars and calendar groups, businesses, users).
//
// It is written from the wire format alone (the official OpenAPI files, the
// recorded traffic and the notes beside them) and shares no code with the
// providers that talk to the real server. When the two disagree about the API,
// a test fails instead of both agreeing on the same mistake.
//
// # Shape of a request
//
// Every API request goes through the same steps, in the order the real server
// (a NestJS application behind an IAM gateway) appears to apply them:
//
//  1. fault injection, when configured (latency, then maybe a dropped
//     connection, an injected 429 or 5xx);
//  2. the bearer token: unknown → 401 "Invalid JWT"; a token of the wrong class
//     (agency token on a sub-account route or the reverse) → 401 "This authClass
//     type is not allowed to access this scope…";
//  3. the rate limit of that token and resource (X-RateLimit-* headers, 429);
//  4. the location the request names in its path, query or body: a sub-account
//     token for another location → 403;
//  5. whitelist validation of query and body (class-validator style): unknown
//     properties → 422 "property X should not exist", missing or mistyped ones →
//     422 with one message per failed rule;
//  6. the handler: 404 for unknown ids, 400 for semantic errors, the result.
//
// Every response is JSON and carries a top-level traceId, errors included.
//
// # State, limits, faults
//
// The store (the agency, its sub-accounts and all they hold, the tokens) is
// one JSON file, rewritten atomically after every successful write and before
// that write is answered; see persist.go for how that stays cheap with
// thousands of sub-accounts. Options.Seed fills an empty store with the demo
// agency of seed.go.
//
// Rate limits follow the documented budgets (100 requests per 10 s and
// 200,000 a day, per token and resource) and can be shrunk for tests or
// turned off. Faults (latency, 429, 5xx, dropped connections, and writes
// committed whose answer is lost) are drawn from one seeded source in request
// order, so a seed replays the same sequence.
//
// Under /_sandbox/ are endpoints for tests and for a CLI talking to a sandbox
// in another process: GET tokens, GET requests (the journal of API requests),
// GET stats, POST reset (clears the journal, the counters and the rate-limit
// windows). They need no token and are never limited, faulted or journalled.
//
// # Choices the model makes where the sources are silent
//
//   - Unknown ids answer 404 {"statusCode":404,"message":"<Kind> not found"}.
//   - Creating a tag whose stored (trimmed, lowercased) name already exists
//     answers 400 {"statusCode":400,"message":"Tag already exists"}; renaming a tag
//     onto another tag's name does the same. The store never holds duplicates.
//   - A custom field or custom value whose derived key collides with an existing
//     one answers 400 "<key> already exists"; a name from which no key can be
//     derived (no letter or digit) answers 400.
//   - Slugs: lowercase, each run of whitespace becomes "_", every character
//     outside [a-z0-9_] is dropped (so "SDR responsável" → "sdr_responsvel",
//     "advisor-vimeo-video-1" → "advisorvimeovideo1").
//   - The body of a 429 is {"statusCode":429,"message":"Too many requests"} with
//     no Retry-After header: the real body is not documented anywhere.
//   - Rate limits use fixed windows that start with the first request of a token;
//     rejected requests do not count against the window.
//   - Nested validation messages carry the path of the nested value, as NestJS
//     prints them: "teamMembers.0.userId must be a string".
//   - Unknown properties are reported in alphabetical order, before the other
//     messages.
//   - Calendars: the key set of a calendar differs between verbs, as recorded.
//     Create, list and get answer the stored document (fields the client set plus
//     about twenty create defaults); get adds "notifications"; update also fills
//     teamMembers, widgetType, slotBuffer, guestType and preBuffer and leaves out
//     an empty "availabilities"; delete answers the whole stored document with
//     the server's bookkeeping fields. A widgetSlug sent empty becomes the id.
//   - GET /users/?locationId= answers the location's users (the real server was
//     once recorded answering an empty list; the cause is unknown).
//   - prospectInfo on a location create or update sets the location's firstName,
//     lastName and email, the only way the API offers to write them.
//   - A companyId other than the agency's (location create, update and search,
//     users search) answers 403 "The token does not have access to this
//     company."
//   - The location search takes the agency token only, like the other
//     sub-account management routes.
//   - A custom field's model defaults to contact; a fieldKey sent on create
//     is used as the key, prefixed with "<model>." when it lacks it. On update
//     fieldKey and model are accepted and ignored: both are fixed at creation.
//   - A calendar's type defaults to event. The type rules answer 400: a
//     personal calendar needs exactly one team member; round_robin, collective,
//     class_booking and service_booking at least one; a collective exactly one
//     primary member; recurring bookings at most one member; every member must
//     be a user of the location and a groupId a group of it.
package sandbox
