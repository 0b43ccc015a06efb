package fault

import "net/http"

func init() {
	register(&kindSpec{kind: KindEmpty, check: func(*Params) error { return nil }})
}

// answerEmpty answers 200 with an empty body.
func answerEmpty(w http.ResponseWriter) {
	w.Header().Set("Content-Length", "0")
	w.WriteHeader(http.StatusOK)
}
