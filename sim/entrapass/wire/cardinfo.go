package wire

// CardInfo holds the fields CardInfo1..CardInfo40 of a <Card>. Most card
// users have none set, and forty empty strings inline in every card user
// were 640 bytes each: 640 MB on a site of a million users. So the fields
// live in one array, allocated when the first is set, and the zero value is
// forty empty fields.
//
// The array is never written once shared: a Card is copied by value (a
// GET's view is a copy of the stored card), so Set replaces the array
// instead of writing into it.
type CardInfo struct {
	f *[CardInfoFields]string
}

// CardInfoOf returns the CardInfo holding a.
func CardInfoOf(a [CardInfoFields]string) CardInfo {
	var ci CardInfo
	for i, s := range a {
		ci.Set(i, s)
	}
	return ci
}

// Get returns field i (0-based: Get(0) is CardInfo1).
func (ci CardInfo) Get(i int) string {
	if ci.f == nil {
		return ""
	}
	return ci.f[i]
}

// Set stores s in field i (0-based). When every field is empty again the
// array is dropped, so equal contents compare equal (reflect.DeepEqual).
func (ci *CardInfo) Set(i int, s string) {
	if ci.Get(i) == s {
		return
	}
	n := new([CardInfoFields]string)
	if ci.f != nil {
		*n = *ci.f
	}
	n[i] = s
	ci.f = n
	for _, v := range n {
		if v != "" {
			return
		}
	}
	ci.f = nil
}

// Array returns the forty fields.
func (ci CardInfo) Array() [CardInfoFields]string {
	if ci.f == nil {
		return [CardInfoFields]string{}
	}
	return *ci.f
}
