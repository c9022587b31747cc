// Package e2e holds ghlctl's end-to-end tests. They build the real binary
// once and drive it as a user would: in a temporary working directory, with
// manifests on disk, against the built-in sandbox either in-process
// (--sandbox) or served over HTTP by `ghlctl sandbox serve` in a child
// process. A served sandbox also answers the tests' own questions: its
// request log shows what ghlctl sent, its API lets a test change objects
// behind ghlctl's back, and its tokens let a test run ghlctl the way it runs
// against HighLevel, with tokens in environment variables.
//
// The tests are the product's acceptance criteria: each checks what a user
// would see (exit codes, plan text, JSON) and what the server saw.
package e2e
