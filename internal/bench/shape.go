package main

import "fmt"

// site is one sub-account of the benchmark fleet.
type site struct {
	Index   int
	Address string // the manifest address, bench-0001
	ID      string
	Token   string
}

func (s site) name() string { return fmt.Sprintf("Bench Clinic %04d", s.Index) }

// content is what a sub-account holds, the same for seeding and for the
// manifests, so that planning the one against the other finds nothing to do.
type content struct {
	tags       []string
	fields     []field
	values     []value
	links      []link
	calendars  []calendar
	businesses []business
}

type field struct {
	name, dataType, model string
	options               []string
}

type value struct{ name, value string }

type link struct{ name, redirectTo string }

type calendar struct {
	name         string
	slotDuration int
}

type business struct{ name, city string }

// objectsPerSite is how many objects contentOf gives a sub-account.
const objectsPerSite = 20 + 15 + 10 + 3 + 2 + 1

// contentOf is a typical sub-account's configuration: 20 tags, 15 custom
// fields of mixed types (some with options, one on opportunities), 10
// custom values, 3 trigger links, 2 event calendars and a business.
func contentOf(s site) content {
	c := content{
		fields: []field{
			{name: "Insurance Provider", dataType: "SINGLE_OPTIONS",
				options: []string{"Delta", "Aetna", "None"}},
			{name: "Visit Count", dataType: "NUMERICAL"},
			{name: "Last Visit", dataType: "DATE"},
			{name: "Allergies", dataType: "LARGE_TEXT"},
			{name: "Preferred Dentist", dataType: "TEXT"},
			{name: "SMS Consent", dataType: "CHECKBOX", options: []string{"Yes"}},
			{name: "Treatment Interests", dataType: "MULTIPLE_OPTIONS",
				options: []string{"Whitening", "Invisalign", "Implants"}},
			{name: "Referral Source", dataType: "RADIO", options: []string{"Google", "Friend", "Other"}},
			{name: "Emergency Phone", dataType: "PHONE"},
			{name: "Billing Email", dataType: "EMAIL"},
			{name: "Next Recall", dataType: "DATE"},
			{name: "Family Members", dataType: "NUMERICAL"},
			{name: "Patient Notes", dataType: "LARGE_TEXT"},
			{name: "Membership Tier", dataType: "SINGLE_OPTIONS",
				options: []string{"Basic", "Plus", "Elite"}},
			{name: "Treatment Plan Value", dataType: "MONETORY", model: "opportunity"},
		},
		links: []link{
			{"Book Now", fmt.Sprintf("https://clinic-%04d.example/book", s.Index)},
			{"Leave a Review", fmt.Sprintf("https://clinic-%04d.example/review", s.Index)},
			{"Financing", fmt.Sprintf("https://clinic-%04d.example/financing", s.Index)},
		},
		calendars:  []calendar{{"Cleaning", 60}, {"Consultation", 30}},
		businesses: []business{{fmt.Sprintf("Bench Clinic %04d LLC", s.Index), "Austin"}},
	}
	for i := range 20 {
		c.tags = append(c.tags, fmt.Sprintf("segment %02d", i+1))
	}
	for i := range 10 {
		c.values = append(c.values,
			value{fmt.Sprintf("Setting %02d", i+1), fmt.Sprintf("value %d of %s", i+1, s.Address)})
	}
	return c
}

// edited is the one change per sub-account the apply phase makes: a new
// value for the first custom value.
func edited(c content) content {
	c.values = append([]value(nil), c.values...)
	c.values[0].value += " (edited)"
	return c
}
