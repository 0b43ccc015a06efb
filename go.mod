module github.com/pacsim/pacsim

go 1.26

require (
	github.com/brianvoe/gofakeit/v6 v6.28.0
	github.com/gorilla/mux v1.8.1
	github.com/stretchr/testify v1.12.1
	go.yaml.in/yaml/v3 v3.0.6
)
