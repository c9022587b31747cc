package cli

import "github.com/northwind/ghlctl/spec"

var (
	specRender = spec.Render
	specSchema = spec.Schema
)
