package sandbox

import (
	"math/rand/v2"
	"time"
)

// The demo agency, seeded into an empty store when Options.Seed is set. Its
// ids are fixed so example manifests can name them; the ids of the objects
// inside are generated from a fixed seed, so they are the same in every
// fresh store. Tokens are random, generated once and kept in the data file.
//
// Northwind Digital (DemoCompanyID) has one agency user, admin@northwind.example
// (agency admin, in no location), and three sub-accounts:
//
// Acme Dental (AcmeDentalID): Austin, TX, America/Chicago, desk@acme.example.
//   - tags: vip, new lead, recall due, insurance pending, no show, referral,
//     whitening lead, do not text, 2023 import, café ☕
//   - custom fields: Insurance Provider (SINGLE_OPTIONS: Delta, Aetna;
//     contact.insurance_provider), Visit Count (TEXT), Last Cleaning Date (DATE),
//     Allergies (LARGE_TEXT), Family Members (NUMERICAL), SMS Consent (CHECKBOX:
//     Yes), Treatment Interests (MULTIPLE_OPTIONS: Whitening, Invisalign,
//     Implants), Treatment Plan Value (NUMERICAL, opportunity)
//   - custom values: Office Phone, Booking URL, Office Hours, Review Link,
//     Horário 🕐 ({{ custom_values.horrio_ }})
//   - users: dr.lopez@acme.example (Maria Lopez, admin), hygienist@acme.example
//     (Hana Kim), hygienist2@acme.example (Priya Shah), frontdesk@acme.example
//     (Tom Becker)
//   - calendar group: Sales (slug sales)
//   - calendars: Cleaning (round_robin, 60 min, hygienist and hygienist2, in
//     Sales), Dr. Lopez Consult (personal, dr.lopez)
//   - trigger links: Book Now, Leave a Review
//   - business: Acme Dental LLC
//
// Bayside Fitness (BaysideFitnessID): San Diego, CA, America/Los_Angeles,
// hello@bayside.example.
//   - tags: vip, new lead, trial member, class pack, personal training,
//     churn risk, lapsed, corporate wellness, yoga, 💪 challenge
//   - custom fields: Membership Tier (SINGLE_OPTIONS: Basic, Plus, Elite),
//     Fitness Goals (MULTIPLE_OPTIONS), Join Date (DATE), Injuries / Notes
//     (LARGE_TEXT; contact.injuries__notes), Classes Attended (NUMERICAL),
//     Waiver Signed (CHECKBOX), Referral Code (TEXT)
//   - custom values: Gym Phone, Class Schedule URL, Front Desk Hours,
//     Promo Code, Manager Name
//   - users: coach@bayside.example (Jordan Reyes, admin), trainer@bayside.example
//     (Sam Ortiz), frontdesk@bayside.example (Lee Park)
//   - calendar group: Sales (slug sales)
//   - calendars: Personal Training (round_robin, coach and trainer, in Sales),
//     Intro Session with Jordan (personal, coach)
//   - trigger links: Free Trial Pass, Class Schedule
//   - business: Bayside Fitness Inc.
//
// Cedar Legal (CedarLegalID): Denver, CO, America/Denver, intake@cedar.example.
//   - tags: client, prospect, vip, estate planning, family law, retainer signed,
//     conflict check, do not contact, referral – attorney, 2023 intake
//   - custom fields: Case Type (SINGLE_OPTIONS: Estate, Family, Business, Other),
//     Matter Number (TEXT), Consultation Date (DATE), Case Summary (LARGE_TEXT),
//     Retainer Amount (NUMERICAL), Conflict Cleared (CHECKBOX), Practice Areas
//     (MULTIPLE_OPTIONS), Billable Hours Estimate (NUMERICAL, opportunity)
//   - custom values: Office Phone, Intake Form URL, Office Address,
//     Lead Attorney, Consultation Fee
//   - users: attorney@cedar.example (Elena Novak, admin), associate@cedar.example
//     (Dana Whitfield), paralegal@cedar.example (Marcus Bell),
//     intake@cedar.example (Riley Chen)
//   - calendar group: Sales (slug sales)
//   - calendars: Free Consultation (round_robin, attorney and associate, in
//     Sales), Strategy Call with Elena (personal, attorney)
//   - trigger links: Schedule Consultation, Client Portal
//   - business: Cedar Legal PLLC
const (
	// DemoCompanyID is the id of the demo agency, Northwind Digital.
	DemoCompanyID = "nwAgency000000000001"
	// DemoCompanyName is the name of the demo agency.
	DemoCompanyName = "Northwind Digital"
	// AcmeDentalID is the id of the Acme Dental sub-account.
	AcmeDentalID = "acmeDental0000000001"
	// BaysideFitnessID is the id of the Bayside Fitness sub-account.
	BaysideFitnessID = "baysideFitness000001"
	// CedarLegalID is the id of the Cedar Legal sub-account.
	CedarLegalID = "cedarLegal0000000001"
	// DemoGroupSlug is the slug of the calendar group of every demo sub-account.
	DemoGroupSlug = "sales"
	// DemoGroupName is the name of that group.
	DemoGroupName = "Sales"
)

type seedField struct {
	name, dataType, model string
	options               []string
}

type seedUser struct{ first, last, email, role string }

type seedCalendar struct {
	name, kind string
	duration   float64
	members    []string // emails
	inGroup    bool
}

type seedAccount struct {
	id                                   string
	name, address, city, state, postal   string
	timezone, email, phone, website      string
	tags                                 []string
	fields                               []seedField
	values                               [][2]string // name, value
	users                                []seedUser
	calendars                            []seedCalendar
	links                                [][2]string // name, redirectTo
	businessName, businessCity, business string      // name, city, email
}

func demoAccounts() []seedAccount {
	return []seedAccount{acmeDental(), baysideFitness(), cedarLegal()}
}

func acmeDental() seedAccount {
	return seedAccount{
		id: AcmeDentalID, name: "Acme Dental", address: "1200 Congress Ave", city: "Austin", state: "TX",
		postal: "78701", timezone: "America/Chicago", email: "desk@acme.example", phone: "+15125550100",
		website: "https://acme.example",
		tags: []string{"vip", "new lead", "recall due", "insurance pending", "no show", "referral",
			"whitening lead", "do not text", "2023 import", "café ☕"},
		fields: []seedField{
			{"Insurance Provider", "SINGLE_OPTIONS", "contact", []string{"Delta", "Aetna"}},
			{"Visit Count", "TEXT", "contact", nil},
			{"Last Cleaning Date", "DATE", "contact", nil},
			{"Allergies", "LARGE_TEXT", "contact", nil},
			{"Family Members", "NUMERICAL", "contact", nil},
			{"SMS Consent", "CHECKBOX", "contact", []string{"Yes"}},
			{"Treatment Interests", "MULTIPLE_OPTIONS", "contact",
				[]string{"Whitening", "Invisalign", "Implants"}},
			{"Treatment Plan Value", "NUMERICAL", "opportunity", nil},
		},
		values: [][2]string{
			{"Office Phone", "+1 512 555 0100"}, {"Booking URL", "https://acme.example/book"},
			{"Office Hours", "Mon–Fri 8am–5pm"}, {"Review Link", "https://g.page/acme-dental/review"},
			{"Horário 🕐", "Seg–Sex 8h–17h"},
		},
		users: []seedUser{
			{"Maria", "Lopez", "dr.lopez@acme.example", "admin"},
			{"Hana", "Kim", "hygienist@acme.example", "user"},
			{"Priya", "Shah", "hygienist2@acme.example", "user"},
			{"Tom", "Becker", "frontdesk@acme.example", "user"},
		},
		calendars: []seedCalendar{
			{"Cleaning", "round_robin", 60,
				[]string{"hygienist@acme.example", "hygienist2@acme.example"}, true},
			{"Dr. Lopez Consult", "personal", 30, []string{"dr.lopez@acme.example"}, false},
		},
		links: [][2]string{
			{"Book Now", "https://acme.example/book"},
			{"Leave a Review", "https://g.page/acme-dental/review"},
		},
		businessName: "Acme Dental LLC", businessCity: "Austin", business: "billing@acme.example",
	}
}

func baysideFitness() seedAccount {
	return seedAccount{
		id: BaysideFitnessID, name: "Bayside Fitness", address: "455 Harbor Dr", city: "San Diego",
		state: "CA", postal: "92101", timezone: "America/Los_Angeles", email: "hello@bayside.example",
		phone: "+16195550142", website: "https://bayside.example",
		tags: []string{"vip", "new lead", "trial member", "class pack", "personal training", "churn risk",
			"lapsed", "corporate wellness", "yoga", "💪 challenge"},
		fields: []seedField{
			{"Membership Tier", "SINGLE_OPTIONS", "contact", []string{"Basic", "Plus", "Elite"}},
			{"Fitness Goals", "MULTIPLE_OPTIONS", "contact",
				[]string{"Weight Loss", "Strength", "Mobility"}},
			{"Join Date", "DATE", "contact", nil},
			{"Injuries / Notes", "LARGE_TEXT", "contact", nil},
			{"Classes Attended", "NUMERICAL", "contact", nil},
			{"Waiver Signed", "CHECKBOX", "contact", []string{"Signed"}},
			{"Referral Code", "TEXT", "contact", nil},
		},
		values: [][2]string{
			{"Gym Phone", "+1 619 555 0142"}, {"Class Schedule URL", "https://bayside.example/classes"},
			{"Front Desk Hours", "5am–10pm daily"},
			{"Promo Code", "SUMMER25"},
			{"Manager Name", "Jordan Reyes"},
		},
		users: []seedUser{
			{"Jordan", "Reyes", "coach@bayside.example", "admin"},
			{"Sam", "Ortiz", "trainer@bayside.example", "user"},
			{"Lee", "Park", "frontdesk@bayside.example", "user"},
		},
		calendars: []seedCalendar{
			{"Personal Training", "round_robin", 45,
				[]string{"coach@bayside.example", "trainer@bayside.example"}, true},
			{"Intro Session with Jordan", "personal", 30, []string{"coach@bayside.example"}, false},
		},
		links: [][2]string{
			{"Free Trial Pass", "https://bayside.example/trial"},
			{"Class Schedule", "https://bayside.example/classes"},
		},
		businessName: "Bayside Fitness Inc.", businessCity: "San Diego",
		business: "accounts@bayside.example",
	}
}

func cedarLegal() seedAccount {
	return seedAccount{
		id: CedarLegalID, name: "Cedar Legal", address: "1700 Lincoln St", city: "Denver", state: "CO",
		postal: "80203", timezone: "America/Denver", email: "intake@cedar.example", phone: "+13035550177",
		website: "https://cedar.example",
		tags: []string{"client", "prospect", "vip", "estate planning", "family law", "retainer signed",
			"conflict check", "do not contact", "referral – attorney", "2023 intake"},
		fields: []seedField{
			{"Case Type", "SINGLE_OPTIONS", "contact", []string{"Estate", "Family", "Business", "Other"}},
			{"Matter Number", "TEXT", "contact", nil},
			{"Consultation Date", "DATE", "contact", nil},
			{"Case Summary", "LARGE_TEXT", "contact", nil},
			{"Retainer Amount", "NUMERICAL", "contact", nil},
			{"Conflict Cleared", "CHECKBOX", "contact", []string{"Cleared"}},
			{"Practice Areas", "MULTIPLE_OPTIONS", "contact",
				[]string{"Estate Planning", "Family Law", "Business"}},
			{"Billable Hours Estimate", "NUMERICAL", "opportunity", nil},
		},
		values: [][2]string{
			{"Office Phone", "+1 303 555 0177"}, {"Intake Form URL", "https://cedar.example/intake"},
			{"Office Address", "1700 Lincoln St, Denver, CO 80203"}, {"Lead Attorney", "Elena Novak"},
			{"Consultation Fee", "$150"},
		},
		users: []seedUser{
			{"Elena", "Novak", "attorney@cedar.example", "admin"},
			{"Dana", "Whitfield", "associate@cedar.example", "user"},
			{"Marcus", "Bell", "paralegal@cedar.example", "user"},
			{"Riley", "Chen", "intake@cedar.example", "user"},
		},
		calendars: []seedCalendar{
			{"Free Consultation", "round_robin", 30,
				[]string{"attorney@cedar.example", "associate@cedar.example"}, true},
			{"Strategy Call with Elena", "personal", 60, []string{"attorney@cedar.example"}, false},
		},
		links: [][2]string{
			{"Schedule Consultation", "https://cedar.example/consult"},
			{"Client Portal", "https://portal.cedar.example"},
		},
		businessName: "Cedar Legal PLLC", businessCity: "Denver", business: "billing@cedar.example",
	}
}

// seeder builds the demo with reproducible ids and dates.
type seeder struct {
	d     *db
	clock time.Time
}

// seedEpoch is when the demo agency was "created".
var seedEpoch = time.Date(2025, 11, 3, 15, 0, 0, 0, time.UTC)

// tick advances the demo clock by a minute per object, so creation order
// shows in the dates.
func (s *seeder) tick() string {
	s.clock = s.clock.Add(time.Minute)
	return isoTime(s.clock)
}

// seedDemo fills an empty store with the demo agency.
func seedDemo(d *db) {
	rng := rand.New(rand.NewPCG(20251103, 1))
	d.idgen = func() string {
		b := make([]byte, 20)
		for i := range b {
			b[i] = idAlphabet[rng.IntN(len(idAlphabet))]
		}
		return string(b)
	}
	defer func() { d.idgen = nil }()

	s := &seeder{d: d, clock: seedEpoch}
	d.Company = company{ID: DemoCompanyID, Name: DemoCompanyName, Token: newToken()}
	d.Generated = isoTime(seedEpoch)
	d.Users = append(d.Users, &user{
		ID: d.newID(), FirstName: "Northwind", LastName: "Admin", Email: "admin@northwind.example",
		Phone: "+13125550199", Type: "agency", Role: "admin", LocationIDs: []string{},
		DateAdded: s.tick(),
	})
	for _, sa := range demoAccounts() {
		s.account(sa)
	}
}

func (s *seeder) account(sa seedAccount) {
	loc := location{
		ID: sa.id, CompanyID: DemoCompanyID, BrandID: s.d.newID(), DateAdded: s.tick(),
		Fields: map[string]string{
			"name": sa.name, "address": sa.address, "city": sa.city, "state": sa.state, "country": "US",
			"postalCode": sa.postal, "website": sa.website, "timezone": sa.timezone, "email": sa.email,
			"phone": sa.phone, "logoUrl": "",
		},
		Settings: map[string]bool{}, Social: map[string]string{},
	}
	a := &account{Location: loc, Token: newToken(), FolderID: s.d.newID()}
	s.d.addAccount(a)
	for _, name := range sa.tags {
		a.Tags = append(a.Tags, &tag{ID: s.d.newID(), Name: normalTagName(name), LocationID: sa.id})
	}
	for _, f := range sa.fields {
		s.field(a, f)
	}
	for _, v := range sa.values {
		a.CustomValues = append(a.CustomValues, &customValue{
			ID: s.d.newID(), Name: v[0], FieldKey: valueKey(v[0]), Value: v[1], LocationID: sa.id,
		})
	}
	emails := s.users(sa)
	g := &group{
		ID: s.d.newID(), LocationID: sa.id, Name: DemoGroupName, Slug: DemoGroupSlug, IsActive: true,
		Description: "Sales calls and consultations of " + sa.name,
	}
	a.Groups = append(a.Groups, g)
	for _, cal := range sa.calendars {
		s.calendar(a, cal, emails, g.ID)
	}
	for _, l := range sa.links {
		a.Links = append(a.Links, &link{ID: s.d.newID(), Name: l[0], RedirectTo: l[1], LocationID: sa.id})
	}
	created := s.tick()
	a.Businesses = append(a.Businesses, &business{
		ID: s.d.newID(), LocationID: sa.id, Name: sa.businessName, CreatedAt: created, UpdatedAt: created,
		Fields: map[string]string{
			"city": sa.businessCity, "state": sa.state, "country": "US", "email": sa.business,
			"phone": sa.phone,
		},
	})
}

func (s *seeder) field(a *account, f seedField) {
	cf := &customField{
		ID: s.d.newID(), Name: f.name, Model: f.model, FieldKey: f.model + "." + slug(f.name),
		DataType: f.dataType, ParentID: a.FolderID, LocationID: a.Location.ID, DateAdded: s.tick(),
		Options: f.options,
	}
	cf.Position = a.nextPosition(cf.ParentID)
	a.CustomFields = append(a.CustomFields, cf)
}

// users adds the sub-account's users and returns their ids by email.
func (s *seeder) users(sa seedAccount) map[string]string {
	ids := map[string]string{}
	for _, su := range sa.users {
		u := &user{
			ID: s.d.newID(), FirstName: su.first, LastName: su.last, Email: su.email, Type: "account",
			Role: su.role, LocationIDs: []string{sa.id}, DateAdded: s.tick(),
		}
		s.d.Users = append(s.d.Users, u)
		ids[su.email] = u.ID
	}
	return ids
}

func (s *seeder) calendar(a *account, sc seedCalendar, userIDs map[string]string, groupID string) {
	cal := &calendar{ID: s.d.newID(), LocationID: a.Location.ID, DateAdded: s.tick()}
	cal.DateUpdated = cal.DateAdded
	doc := createDefaults()
	doc["name"], doc["calendarType"], doc["slotDuration"] = sc.name, sc.kind, sc.duration
	members := []any{}
	for _, email := range sc.members {
		members = append(members, map[string]any{"userId": userIDs[email], "priority": 0.5})
	}
	doc["teamMembers"] = members
	if sc.kind == "round_robin" {
		doc["eventType"] = "RoundRobin_OptimizeForAvailability"
	}
	if sc.inGroup {
		doc["groupId"] = groupID
	}
	normaliseCalendar(cal.ID, doc)
	cal.Doc = doc
	a.Calendars = append(a.Calendars, cal)
}
