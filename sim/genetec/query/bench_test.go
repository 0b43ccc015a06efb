package query

import "testing"

func BenchmarkParse(b *testing.B) {
	const q = `entity=NewEntity(Cardholder),FirstName=Bob,LastName=Smith,EmailAddress=bob@example.com,` +
		`Groups@6f1c2a3b-4d5e-4f60-8a9b-0c1d2e3f4a5b,` +
		`ActivationMode=SpecificActivationPeriod(2025-01-01T0:00:00,2025-12-31T23:59:59),` +
		`Format=WiegandStandardCredentialFormat(200,2001),Guid`
	b.ReportAllocs()
	b.SetBytes(int64(len(q)))
	for b.Loop() {
		if _, err := Parse(q); err != nil {
			b.Fatal(err)
		}
	}
}
