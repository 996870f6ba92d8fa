package phlebkit_test

import (
	"bufio"
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"go/ast"
	"go/doc/comment"
	"go/importer"
	"go/parser"
	"go/scanner"
	"go/token"
	"go/types"
	"io"
	"io/fs"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"slices"
	"strings"
	"testing"
)

// The Go in the documentation is type-checked like the code: every Go block
// of README.md and every Go code block of a doc comment in the module's
// packages (examples/ aside: those are programs, built by go vet). A block
// is a whole file (it starts with package), declarations, or statements;
// statements are checked as the body of a function returning an error. The
// packages a block names are imported for it. Names a fragment uses without
// declaring them (now, secret, ctx, …) come from the contexts below: in
// README.md, an HTML comment just before the block names them,
//
//	<!-- go: context flow, ctx -->
//
// and the doc comments of a file get theirs from godocContexts. Variables
// and imports a fragment leaves unused are not errors.

// docContexts are the declarations fragments may use without declaring
// them, by name.
var docContexts = map[string]string{
	"ctx": `var ctx context.Context`,
	"flow": `
var (
	now     time.Time
	patient order.Patient
	address order.Address
	phoenix *time.Location
	slot    struct{ Start, End time.Time }
)`,
	"booking": `
var (
	now  time.Time
	body []byte
	slot struct{ Start, End time.Time }
)`,
	"secret": `const secret = "whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw"`,
	"receiver": `
func tellPatient(ctx context.Context, appointmentID string) {}
func alert(ctx context.Context, orderID string)             {}
func rebook(ctx context.Context, orderID string)            {}`,
	"sandbox": `
var (
	receiver http.Handler
	orderID  string
)`,
	"tracksql": `
var event webhook.Event

func notify(ctx context.Context, key string, c track.Change) error { return nil }`,
}

// godocContexts are the contexts of the code blocks in a file's doc
// comments, by the file's slash path from the module root.
var godocContexts = map[string][]string{
	"sandbox/doc.go":        {"secret", "sandbox"},
	"track/tracksql/doc.go": {"ctx", "tracksql"},
}

// docPackages are the standard library packages a block may name without
// importing them; the module's own packages are found on disk.
var docPackages = []string{
	"bytes", "context", "database/sql", "encoding/json", "errors", "fmt", "io", "log", "log/slog",
	"net/http", "net/http/httptest", "os", "os/signal", "strings", "sync", "syscall", "testing", "time",
}

// A docBlock is a piece of Go in the documentation.
type docBlock struct {
	file     string   // slash path from the module root
	line     int      // line of the block's first line of code in file
	contexts []string // names in docContexts
	code     string
}

func (b docBlock) String() string { return fmt.Sprintf("%s:%d", b.file, b.line) }

// TestDocs type-checks every Go block of README.md and of the packages' doc
// comments.
func TestDocs(t *testing.T) {
	readme, err := os.ReadFile("README.md")
	if err != nil {
		t.Fatal(err)
	}
	blocks, err := markdownBlocks("README.md", string(readme))
	if err != nil {
		t.Fatal(err)
	}
	godoc, err := godocBlocks(".")
	if err != nil {
		t.Fatal(err)
	}
	blocks = append(blocks, godoc...)
	pkgs, err := modulePackages(".")
	if err != nil {
		t.Fatal(err)
	}
	results, err := checkBlocks(blocks, pkgs)
	if err != nil {
		t.Fatal(err)
	}
	for i, b := range blocks {
		if errs := results[i]; len(errs) > 0 {
			t.Errorf("the Go block at %s does not compile:\n\t%s", b, strings.Join(errs, "\n\t"))
		}
	}
	t.Logf("%d blocks checked", len(blocks))
}

// TestDocsChecker checks the checker: a block that names what does not
// exist, that does not parse, or that names an unknown context fails, with
// the README line of the fault; fragments with their contexts pass.
func TestDocsChecker(t *testing.T) {
	const readme = "# Title\n" + // line 1
		"\n" +
		"```go\n" + // 3
		"s, err := order.ParseStatus(\"ordered\")\n" + // 4
		"if err != nil {\n" +
		"\treturn err\n" +
		"}\n" +
		"fmt.Println(s.Full(), unused)\n" + // 8
		"```\n" +
		"\n" +
		"<!-- go: context flow, ctx -->\n" + // 11
		"```go\n" +
		"o, hooks, err := scheduling.Place(scheduling.PlaceOrder{ID: \"o\", Patient: patient}, now)\n" + // 13
		"_ = ctx\n" +
		"```\n" +
		"\n" +
		"```go\n" + // 17
		"func f() order.Status { return order.NoSuchStatus }\n" + // 18
		"```\n" +
		"\n" +
		"```go\n" + // 21
		"x := \n" +
		"```\n" +
		"<!-- go: context nowhere -->\n" + // 24
		"```go\n" +
		"var x = 1\n" + // 26
		"```\n" +
		"```sh\n" +
		"go test ./...\n" +
		"```\n" +
		"```go\n" + // 31
		"package main\n" +
		"\n" +
		"func main() { fmt.Println(order.Ordered) }\n" +
		"```\n"
	blocks, err := markdownBlocks("README.md", readme)
	if err != nil {
		t.Fatal(err)
	}
	var lines []int
	for _, b := range blocks {
		lines = append(lines, b.line)
	}
	if want := []int{4, 13, 18, 22, 26, 32}; !slices.Equal(lines, want) {
		t.Fatalf("blocks at lines %v, want %v", lines, want)
	}
	pkgs, err := modulePackages(".")
	if err != nil {
		t.Fatal(err)
	}
	results, err := checkBlocks(blocks, pkgs)
	if err != nil {
		t.Fatal(err)
	}
	want := []string{
		"README.md:8:23: undefined: unused",
		"",
		"README.md:18:38: undefined: order.NoSuchStatus",
		"README.md:23:1: expected operand, found 'return'",
		"README.md:26: unknown context \"nowhere\"",
		"",
	}
	for i, b := range blocks {
		got := strings.Join(results[i], "; ")
		if want[i] == "" && got != "" || !strings.Contains(got, want[i]) {
			t.Errorf("block at %s: errors %q, want %q", b, got, want[i])
		}
	}
	if _, err := markdownBlocks("README.md", "```go\nx := 1\n"); err == nil {
		t.Error("an unterminated block was accepted")
	}
}

// TestGodocBlocks checks which code blocks of doc comments count as Go, and
// the lines they are found at.
func TestGodocBlocks(t *testing.T) {
	dir := t.TempDir()
	src := "// Package p shows code.\n" + // 1
		"//\n" +
		"//	pending → reserved (reserve)\n" + // 3: not Go
		"//\n" +
		"// Go:\n" +
		"//\n" +
		"//	x := p.F()\n" + // 7
		"//	_ = x\n" +
		"package p\n" +
		"\n" +
		"// F returns one, as in\n" +
		"//\n" +
		"//	n := p.F() // 1\n" + // 13
		"func F() int { return 1 }\n" +
		"\n" +
		"// G is broken Go:\n" +
		"//\n" +
		"//	y := p.G(\n" + // 18
		"func G() {}\n"
	if err := os.WriteFile(filepath.Join(dir, "p.go"), []byte(src), 0o644); err != nil {
		t.Fatal(err)
	}
	blocks, err := godocBlocks(dir)
	if err != nil {
		t.Fatal(err)
	}
	var got []string
	for _, b := range blocks {
		got = append(got, fmt.Sprintf("%s %q", b, b.code))
	}
	want := []string{
		`p.go:7 "x := p.F()\n_ = x\n"`,
		`p.go:13 "n := p.F() // 1\n"`,
		`p.go:18 "y := p.G(\n"`,
	}
	if !slices.Equal(got, want) {
		t.Errorf("blocks:\n%s\nwant:\n%s", strings.Join(got, "\n"), strings.Join(want, "\n"))
	}
}

var contextDirective = regexp.MustCompile(`^<!--\s*go:\s*context\s+(.*?)\s*-->$`)

// markdownBlocks returns the Go blocks of a Markdown document, with the
// contexts their directives name.
func markdownBlocks(name, text string) ([]docBlock, error) {
	var (
		blocks   []docBlock
		contexts []string // of the directive on the line before
		cur      *docBlock
		fence    string
	)
	sc := bufio.NewScanner(strings.NewReader(text))
	for n := 1; sc.Scan(); n++ {
		line := sc.Text()
		switch {
		case cur != nil && strings.TrimSpace(line) == fence:
			blocks = append(blocks, *cur)
			cur, fence = nil, ""
		case cur != nil:
			cur.code += line + "\n"
		case fence != "":
			if strings.TrimSpace(line) == fence {
				fence = ""
			}
		case strings.HasPrefix(line, "```"):
			fence = "```"
			if info := strings.Fields(strings.TrimPrefix(line, fence)); len(info) > 0 && info[0] == "go" {
				cur = &docBlock{file: name, line: n + 1, contexts: contexts}
			}
			contexts = nil
		default:
			contexts = nil
			if m := contextDirective.FindStringSubmatch(strings.TrimSpace(line)); m != nil {
				contexts = strings.FieldsFunc(m[1], func(r rune) bool { return r == ',' || r == ' ' })
			}
		}
	}
	if cur != nil || fence != "" {
		return nil, fmt.Errorf("%s: a code block is not closed", name)
	}
	return blocks, sc.Err()
}

// godocBlocks returns the Go code blocks of the doc comments of the
// packages under root, except in examples/, testdata/ and test files.
func godocBlocks(root string) ([]docBlock, error) {
	var blocks []docBlock
	err := filepath.WalkDir(root, func(path string, d fs.DirEntry, err error) error {
		if err != nil {
			return err
		}
		rel := filepath.ToSlash(strings.TrimPrefix(path, root+string(filepath.Separator)))
		if d.IsDir() {
			if path != root && (rel == "examples" || d.Name() == "testdata" || strings.HasPrefix(d.Name(), ".")) {
				return filepath.SkipDir
			}
			return nil
		}
		if !strings.HasSuffix(path, ".go") || strings.HasSuffix(path, "_test.go") {
			return nil
		}
		fset := token.NewFileSet()
		f, err := parser.ParseFile(fset, path, nil, parser.ParseComments|parser.SkipObjectResolution)
		if err != nil {
			return err
		}
		for _, cg := range docComments(f) {
			blocks = append(blocks, commentBlocks(fset, rel, cg)...)
		}
		return nil
	})
	return blocks, err
}

// docComments returns the comments godoc shows: the package's and those of
// declarations, specs and fields.
func docComments(f *ast.File) []*ast.CommentGroup {
	var out []*ast.CommentGroup
	add := func(cg *ast.CommentGroup) {
		if cg != nil {
			out = append(out, cg)
		}
	}
	ast.Inspect(f, func(n ast.Node) bool {
		switch n := n.(type) {
		case *ast.File:
			add(n.Doc)
		case *ast.GenDecl:
			add(n.Doc)
		case *ast.FuncDecl:
			add(n.Doc)
			return false
		case *ast.TypeSpec:
			add(n.Doc)
		case *ast.ValueSpec:
			add(n.Doc)
		case *ast.Field:
			add(n.Doc)
		}
		return true
	})
	return out
}

// commentBlocks returns the code blocks of a doc comment that are Go.
func commentBlocks(fset *token.FileSet, file string, cg *ast.CommentGroup) []docBlock {
	var blocks []docBlock
	doc := new(comment.Parser).Parse(cg.Text())
	from := 0 // comment lines already matched
	for _, c := range doc.Content {
		code, ok := c.(*comment.Code)
		if !ok || !looksLikeGo(code.Text) {
			continue
		}
		first, _, _ := strings.Cut(code.Text, "\n")
		line := fset.Position(cg.Pos()).Line
		for i := from; i < len(cg.List); i++ {
			text := strings.TrimPrefix(cg.List[i].Text, "//")
			if text != strings.TrimLeft(text, " \t") && strings.TrimSpace(text) == strings.TrimSpace(first) {
				line, from = fset.Position(cg.List[i].Pos()).Line, i+1
				break
			}
		}
		blocks = append(blocks, docBlock{file: file, line: line, contexts: godocContexts[file], code: code.Text})
	}
	return blocks
}

var goLike = regexp.MustCompile(`:=|\bfunc\b|^package |\b[a-z]\w*\.[A-Z]\w*\(`)

// looksLikeGo reports whether a code block of a doc comment is Go: it
// parses as Go, or it does not but reads like Go (an assignment, a
// function, a qualified call). Tables, JSON, SQL and commands are not.
func looksLikeGo(code string) bool {
	if _, err := blockFiles(token.NewFileSet(), docBlock{file: "x.go", line: 1, code: code}); err == nil {
		return true
	}
	return goLike.MatchString(code)
}

// modulePackages returns the import paths of the module's public packages
// and of docPackages, by package name.
func modulePackages(root string) (map[string]string, error) {
	mod, err := os.ReadFile(filepath.Join(root, "go.mod"))
	if err != nil {
		return nil, err
	}
	m := regexp.MustCompile(`(?m)^module\s+(\S+)`).FindSubmatch(mod)
	if m == nil {
		return nil, errors.New("go.mod names no module")
	}
	pkgs := make(map[string]string)
	for _, p := range docPackages {
		pkgs[p[strings.LastIndex(p, "/")+1:]] = p
	}
	err = filepath.WalkDir(root, func(path string, d fs.DirEntry, err error) error {
		if err != nil || !d.IsDir() {
			return err
		}
		if path != root && (d.Name() == "examples" || d.Name() == "internal" || d.Name() == "testdata" ||
			strings.HasPrefix(d.Name(), ".")) {
			return filepath.SkipDir
		}
		names, err := filepath.Glob(filepath.Join(path, "*.go"))
		if err != nil {
			return err
		}
		for _, name := range names {
			if strings.HasSuffix(name, "_test.go") {
				continue
			}
			f, err := parser.ParseFile(token.NewFileSet(), name, nil, parser.PackageClauseOnly)
			if err != nil {
				return err
			}
			rel, err := filepath.Rel(root, path)
			if err != nil {
				return err
			}
			imp := string(m[1])
			if rel != "." {
				imp += "/" + filepath.ToSlash(rel)
			}
			pkgs[f.Name.Name] = imp
			break
		}
		return nil
	})
	return pkgs, err
}

// A docFile is the text of a file made for a block: its package clause
// (head), then what follows it (rest), where imports go between.
type docFile struct{ name, head, rest string }

// blockFiles returns the files of the package a block is checked in: the
// block's, as a file, declarations or statements, then its contexts'.
// Positions in the block are those of its documentation.
func blockFiles(fset *token.FileSet, b docBlock) ([]docFile, error) {
	directive := fmt.Sprintf("//line %s:%d:1\n", b.file, b.line)
	var files []docFile
	if strings.HasPrefix(strings.TrimSpace(b.code), "package ") {
		f, err := parser.ParseFile(fset, "doc", directive+b.code, parser.PackageClauseOnly)
		if err != nil {
			return nil, err
		}
		pos := fset.Position(f.Name.End())
		end := fset.File(f.Pos()).Offset(f.Name.End()) - len(directive)
		files = append(files, docFile{"doc", directive + b.code[:end] + "\n",
			fmt.Sprintf("//line %s:%d:%d\n%s", b.file, pos.Line, pos.Column, b.code[end:])})
	} else {
		// Declarations, else statements; where neither parses, the error of
		// the reading that got further.
		code := b.code
		if !strings.HasSuffix(code, "\n") {
			code += "\n"
		}
		decls := docFile{"doc", "package doc\n", directive + b.code}
		stmts := docFile{"doc", "package doc\n", "func _() error {\n" + directive + code + "return nil\n}\n"}
		_, declErr := parseFile(fset, decls, nil)
		_, stmtErr := parseFile(fset, stmts, nil)
		switch {
		case declErr == nil:
			files = append(files, decls)
		case stmtErr == nil:
			files = append(files, stmts)
		case errorPos(stmtErr) > errorPos(declErr):
			return nil, stmtErr
		default:
			return nil, declErr
		}
	}
	for _, name := range b.contexts {
		src, ok := docContexts[name]
		if !ok {
			return nil, fmt.Errorf("%s: unknown context %q", b, name)
		}
		files = append(files, docFile{"context " + name, "package doc\n", "//line [context " + name + "]:1:1\n" + src})
	}
	return files, nil
}

// parseFile parses f with an import of each path of imports.
func parseFile(fset *token.FileSet, f docFile, imports []string) (*ast.File, error) {
	var src strings.Builder
	src.WriteString(f.head)
	for _, p := range imports {
		fmt.Fprintf(&src, "import %q\n", p)
	}
	src.WriteString(f.rest)
	return parser.ParseFile(fset, f.name, src.String(), parser.ParseComments|parser.SkipObjectResolution)
}

// errorPos orders parse errors by how far the parser got.
func errorPos(err error) int {
	var list scanner.ErrorList
	if errors.As(err, &list) && len(list) > 0 {
		return list[0].Pos.Line<<16 + list[0].Pos.Column
	}
	return 0
}

// imports returns the import paths of the packages of pkgs that f names as
// a qualifier and does not import itself.
func imports(f *ast.File, pkgs map[string]string) []string {
	have := make(map[string]bool)
	for _, imp := range f.Imports {
		p := strings.Trim(imp.Path.Value, `"`)
		have[p[strings.LastIndex(p, "/")+1:]] = true
		if imp.Name != nil {
			have[imp.Name.Name] = true
		}
	}
	var need []string
	ast.Inspect(f, func(n ast.Node) bool {
		if sel, ok := n.(*ast.SelectorExpr); ok {
			if x, ok := sel.X.(*ast.Ident); ok && pkgs[x.Name] != "" && !have[x.Name] {
				have[x.Name] = true
				need = append(need, pkgs[x.Name])
			}
		}
		return true
	})
	return need
}

// checkBlocks type-checks each block and returns its errors in the order
// of blocks, each "file:line:col: message".
func checkBlocks(blocks []docBlock, pkgs map[string]string) ([][]string, error) {
	fset := token.NewFileSet()
	results := make([][]string, len(blocks))
	parsed := make([][]*ast.File, len(blocks))
	var paths []string
	for i, b := range blocks {
		files, err := blockFiles(fset, b)
		if err != nil {
			results[i] = errorLines(err)
			continue
		}
		for _, f := range files {
			raw, err := parseFile(fset, f, nil)
			if err != nil {
				results[i] = append(results[i], errorLines(err)...)
				continue
			}
			need := imports(raw, pkgs)
			af, err := parseFile(fset, f, need)
			if err != nil {
				results[i] = append(results[i], errorLines(err)...)
				continue
			}
			parsed[i] = append(parsed[i], af)
			paths = append(paths, need...)
			for _, imp := range raw.Imports {
				paths = append(paths, strings.Trim(imp.Path.Value, `"`))
			}
		}
	}
	imp, err := exportImporter(fset, paths)
	if err != nil {
		return nil, err
	}
	for i, files := range parsed {
		if results[i] != nil {
			continue
		}
		conf := types.Config{
			Importer:  imp,
			GoVersion: "go1.26",
			Error: func(err error) {
				msg := err.Error()
				if !strings.Contains(msg, "declared and not used") && !strings.Contains(msg, "imported and not used") {
					results[i] = append(results[i], msg)
				}
			},
		}
		conf.Check("doc", fset, files, nil) // errors reach conf.Error
	}
	return results, nil
}

// errorLines returns the messages of a parse error, one per error.
func errorLines(err error) []string {
	var list scanner.ErrorList
	if errors.As(err, &list) {
		var out []string
		for _, e := range list {
			out = append(out, e.Error())
		}
		return out
	}
	return []string{err.Error()}
}

// exportImporter returns an importer of the packages at paths and their
// dependencies, from their compiled export data.
func exportImporter(fset *token.FileSet, paths []string) (types.Importer, error) {
	exports, err := exportData(paths)
	if err != nil {
		return nil, err
	}
	return importer.ForCompiler(fset, "gc", func(path string) (io.ReadCloser, error) {
		file, ok := exports[path]
		if problem, bad := strings.CutPrefix(file, "?"); bad {
			return nil, errors.New(problem)
		}
		if !ok || file == "" {
			return nil, fmt.Errorf("no export data for %q", path)
		}
		return os.Open(file)
	}), nil
}

// exported caches exportData's answers: tests share one go list where
// they can.
var exported = make(map[string]string)

// exportData returns the files of the compiled export data of the packages
// at paths and of their dependencies, by import path, from go list.
func exportData(paths []string) (map[string]string, error) {
	var missing []string
	for _, p := range paths {
		if _, ok := exported[p]; !ok && !slices.Contains(missing, p) {
			missing = append(missing, p)
		}
	}
	if len(missing) > 0 {
		args := append([]string{"list", "-e", "-export", "-deps", "-json=ImportPath,Export,Error"}, missing...)
		var stderr bytes.Buffer
		cmd := exec.Command("go", args...)
		cmd.Stderr = &stderr
		out, err := cmd.Output()
		if err != nil {
			return nil, fmt.Errorf("go list: %v\n%s", err, stderr.Bytes())
		}
		for dec := json.NewDecoder(bytes.NewReader(out)); dec.More(); {
			var p struct {
				ImportPath, Export string
				Error              *struct{ Err string }
			}
			if err := dec.Decode(&p); err != nil {
				return nil, fmt.Errorf("go list: %v", err)
			}
			if p.Export == "" && p.Error != nil {
				p.Export = "?" + strings.TrimSpace(p.Error.Err) // for the importer to report
			}
			exported[p.ImportPath] = p.Export
		}
	}
	return exported, nil
}

// TestDocNames checks the names README.md's prose gives in code spans, such
// as `track.Record` or `webhook.Event.ID`: each must be an exported name of
// the module's package, and a field or method of it.
func TestDocNames(t *testing.T) {
	readme, err := os.ReadFile("README.md")
	if err != nil {
		t.Fatal(err)
	}
	pkgs, err := modulePackages(".")
	if err != nil {
		t.Fatal(err)
	}
	refs := nameRefs(string(readme), pkgs)
	if len(refs) == 0 {
		t.Fatal("README.md names nothing")
	}
	for _, msg := range checkNames(t, refs, pkgs) {
		t.Error(msg)
	}
}

// TestDocNamesChecker checks the checker of names.
func TestDocNamesChecker(t *testing.T) {
	pkgs, err := modulePackages(".")
	if err != nil {
		t.Fatal(err)
	}
	const text = "`order.ParseStatus` and `order.Status.Full`\n" + // 1
		"`order.NoSuch(x)`, `order.Status.NoSuch` and `fmt.Println`\n" + // 2
		"```go\norder.Hidden\n```\n" + // 3-5
		"<!-- `order.Hidden` -->\n" + // 6
		"`order.Order.ID` and `order.Ordered.Nope`, `sql\n" + // 7
		"order.Foo`\n" // 8
	refs := nameRefs(text, pkgs)
	var got []string
	for _, r := range refs {
		got = append(got, fmt.Sprintf("%d:%s", r.line, strings.Join(r.name, ".")))
	}
	want := []string{"1:order.ParseStatus", "1:order.Status.Full", "2:order.NoSuch", "2:order.Status.NoSuch",
		"7:order.Order.ID", "7:order.Ordered.Nope", "8:order.Foo"}
	if !slices.Equal(got, want) {
		t.Fatalf("refs %v, want %v", got, want)
	}
	errs := checkNames(t, refs, pkgs)
	wantErrs := []string{
		"README.md:2: `order.NoSuch`: order has no exported NoSuch",
		"README.md:2: `order.Status.NoSuch`: order.Status has no field or method NoSuch",
		"README.md:7: `order.Ordered.Nope`: order.Ordered has no field or method Nope",
		"README.md:8: `order.Foo`: order has no exported Foo",
	}
	if !slices.Equal(errs, wantErrs) {
		t.Errorf("errors:\n%s\nwant:\n%s", strings.Join(errs, "\n"), strings.Join(wantErrs, "\n"))
	}
}

// A nameRef is a qualified name in README.md's prose: package, name, and
// maybe a field or method.
type nameRef struct {
	line int
	name []string
}

var (
	codeSpan      = regexp.MustCompile("`[^`]+`")
	qualifiedName = regexp.MustCompile(`\b([a-z]\w*)\.([A-Z]\w*)(?:\.([A-Z]\w*))?`)
	htmlComment   = regexp.MustCompile(`(?s)<!--.*?-->`)
	fencedBlock   = regexp.MustCompile("(?ms)^```.*?^```")
)

// nameRefs returns the qualified names of the module's packages in the
// code spans of a Markdown text, outside code blocks and HTML comments.
func nameRefs(text string, pkgs map[string]string) []nameRef {
	blank := func(s string) string { return strings.Repeat("\n", strings.Count(s, "\n")) }
	text = htmlComment.ReplaceAllStringFunc(text, blank)
	text = fencedBlock.ReplaceAllStringFunc(text, blank)
	var refs []nameRef
	for _, span := range codeSpan.FindAllStringIndex(text, -1) {
		code := text[span[0]:span[1]]
		for _, m := range qualifiedName.FindAllStringSubmatchIndex(code, -1) {
			part := func(k int) string {
				if m[2*k] < 0 {
					return ""
				}
				return code[m[2*k]:m[2*k+1]]
			}
			if !strings.HasPrefix(pkgs[part(1)], "github.com/phlebkit/phlebkit/") {
				continue
			}
			name := []string{part(1), part(2)}
			if part(3) != "" {
				name = append(name, part(3))
			}
			line := 1 + strings.Count(text[:span[0]+m[0]], "\n")
			refs = append(refs, nameRef{line, name})
		}
	}
	return refs
}

// checkNames returns what is wrong with each reference.
func checkNames(t *testing.T, refs []nameRef, pkgs map[string]string) []string {
	t.Helper()
	var paths []string
	for _, r := range refs {
		paths = append(paths, pkgs[r.name[0]])
	}
	imp, err := exportImporter(token.NewFileSet(), paths)
	if err != nil {
		t.Fatal(err)
	}
	var errs []string
	for _, r := range refs {
		where := fmt.Sprintf("README.md:%d: `%s`", r.line, strings.Join(r.name, "."))
		pkg, err := imp.Import(pkgs[r.name[0]])
		if err != nil {
			t.Fatal(err)
		}
		obj := pkg.Scope().Lookup(r.name[1])
		if obj == nil || !obj.Exported() {
			errs = append(errs, fmt.Sprintf("%s: %s has no exported %s", where, r.name[0], r.name[1]))
			continue
		}
		if len(r.name) == 3 {
			typ := obj.Type()
			if _, ok := obj.(*types.TypeName); !ok {
				if _, ok := obj.(*types.Func); ok {
					errs = append(errs, fmt.Sprintf("%s: %s.%s is a function", where, r.name[0], r.name[1]))
					continue
				}
			}
			if sel, _, _ := types.LookupFieldOrMethod(typ, true, pkg, r.name[2]); sel == nil {
				errs = append(errs, fmt.Sprintf("%s: %s.%s has no field or method %s", where, r.name[0], r.name[1], r.name[2]))
			}
		}
	}
	return errs
}

// TestDocLinksChecker checks the checker of doc links.
func TestDocLinksChecker(t *testing.T) {
	dir := t.TempDir()
	src := "// Package order says [Status] and [order.Status.Full], [*DecodeError],\n" + // 1
		"// [Status.NoSuch], [NoSuch], and [HIGH-LEVEL].[MODALITY], [fmt.Println].\n" + // 2
		"package order\n" +
		"\n" +
		"// F returns a [tier.Tier]\n" + // 5
		"// or a [tier.Nope].\n" + // 6
		"func F() {}\n"
	if err := os.WriteFile(filepath.Join(dir, "order.go"), []byte(src), 0o644); err != nil {
		t.Fatal(err)
	}
	pkgs, err := modulePackages(".")
	if err != nil {
		t.Fatal(err)
	}
	links, err := docLinks(dir, pkgs)
	if err != nil {
		t.Fatal(err)
	}
	var got []string
	for _, l := range links {
		got = append(got, fmt.Sprintf("%s %s %s.%s", l.at, l.importPath, l.recv, l.name))
	}
	want := []string{
		"order.go:1 github.com/phlebkit/phlebkit/order .Status",
		"order.go:1 github.com/phlebkit/phlebkit/order Status.Full",
		"order.go:1 github.com/phlebkit/phlebkit/order .DecodeError",
		"order.go:2 github.com/phlebkit/phlebkit/order Status.NoSuch",
		"order.go:2 github.com/phlebkit/phlebkit/order .NoSuch",
		"order.go:5 github.com/phlebkit/phlebkit/tier .Tier",
		"order.go:6 github.com/phlebkit/phlebkit/tier .Nope",
	}
	if !slices.Equal(got, want) {
		t.Fatalf("links:\n%s\nwant:\n%s", strings.Join(got, "\n"), strings.Join(want, "\n"))
	}
	errs := checkLinks(t, links)
	wantErrs := []string{
		"order.go:2: [Status.NoSuch]: order.Status has no field or method NoSuch",
		"order.go:2: [NoSuch]: order has no exported NoSuch",
		"order.go:6: [Nope]: tier has no exported Nope",
	}
	if !slices.Equal(errs, wantErrs) {
		t.Errorf("errors:\n%s\nwant:\n%s", strings.Join(errs, "\n"), strings.Join(wantErrs, "\n"))
	}
}

// TestDocLinks checks the doc links of every doc comment in the module's
// packages ([Name], [Name.Method], [pkg.Name], [*Name]): each must name an
// exported name of its package, and a field or method of it.
func TestDocLinks(t *testing.T) {
	pkgs, err := modulePackages(".")
	if err != nil {
		t.Fatal(err)
	}
	links, err := docLinks(".", pkgs)
	if err != nil {
		t.Fatal(err)
	}
	for _, msg := range checkLinks(t, links) {
		t.Error(msg)
	}
	t.Logf("%d doc links checked", len(links))
}

// A docLinkRef is a doc link to a name of a package of the module.
type docLinkRef struct {
	at         string // file:line
	importPath string
	recv, name string
}

// docLinks returns the doc links to exported names of the module's
// packages in the doc comments under root, examples/ aside.
func docLinks(root string, pkgs map[string]string) ([]docLinkRef, error) {
	var links []docLinkRef
	err := filepath.WalkDir(root, func(path string, d fs.DirEntry, err error) error {
		if err != nil {
			return err
		}
		rel := filepath.ToSlash(strings.TrimPrefix(path, root+string(filepath.Separator)))
		if d.IsDir() {
			if path != root && (rel == "examples" || d.Name() == "testdata" || strings.HasPrefix(d.Name(), ".")) {
				return filepath.SkipDir
			}
			return nil
		}
		if !strings.HasSuffix(path, ".go") || strings.HasSuffix(path, "_test.go") {
			return nil
		}
		fset := token.NewFileSet()
		f, err := parser.ParseFile(fset, path, nil, parser.ParseComments|parser.SkipObjectResolution)
		if err != nil {
			return err
		}
		self := pkgs[f.Name.Name]
		if self == "" { // an internal package
			self = "github.com/phlebkit/phlebkit/" + filepath.ToSlash(filepath.Dir(rel))
		}
		imports := make(map[string]string)
		for _, imp := range f.Imports {
			p := strings.Trim(imp.Path.Value, `"`)
			imports[p[strings.LastIndex(p, "/")+1:]] = p
		}
		p := comment.Parser{
			LookupPackage: func(name string) (string, bool) {
				if p, ok := imports[name]; ok {
					return p, true
				}
				p, ok := pkgs[name]
				return p, ok
			},
			LookupSym: func(recv, name string) bool { return true },
		}
		for _, cg := range docComments(f) {
			var walk func(texts []comment.Text)
			walk = func(texts []comment.Text) {
				for _, x := range texts {
					switch x := x.(type) {
					case *comment.DocLink:
						// Words in capitals ([HIGH-LEVEL].[MODALITY]) are
						// text, not links.
						if !token.IsExported(x.Name) || strings.ToUpper(x.Name) == x.Name ||
							x.ImportPath != "" && !strings.HasPrefix(x.ImportPath, "github.com/phlebkit/phlebkit/") {
							continue
						}
						ip := x.ImportPath
						if ip == "" {
							ip = self
						}
						links = append(links, docLinkRef{fmt.Sprintf("%s:%d", rel, linkLine(fset, cg, x)), ip, x.Recv, x.Name})
					case *comment.Link:
						walk(x.Text)
					case *comment.Italic, comment.Plain:
					}
				}
			}
			for _, b := range p.Parse(cg.Text()).Content {
				switch b := b.(type) {
				case *comment.Paragraph:
					walk(b.Text)
				case *comment.Heading:
					walk(b.Text)
				case *comment.List:
					for _, item := range b.Items {
						for _, ib := range item.Content {
							if para, ok := ib.(*comment.Paragraph); ok {
								walk(para.Text)
							}
						}
					}
				}
			}
		}
		return nil
	})
	return links, err
}

// linkLine returns the line of a doc comment that holds a link: the first
// that has its name in brackets, else the comment's first.
func linkLine(fset *token.FileSet, cg *ast.CommentGroup, l *comment.DocLink) int {
	name := l.Name + "]"
	if l.Recv != "" {
		name = strings.TrimPrefix(l.Recv, "*") + "." + name
	}
	for _, c := range cg.List {
		if i := strings.Index(c.Text, name); i > 0 && strings.ContainsRune("[.*", rune(c.Text[i-1])) {
			return fset.Position(c.Pos()).Line
		}
	}
	return fset.Position(cg.Pos()).Line
}

// checkLinks returns what is wrong with each doc link.
func checkLinks(t *testing.T, links []docLinkRef) []string {
	t.Helper()
	var paths []string
	for _, l := range links {
		paths = append(paths, l.importPath)
	}
	imp, err := exportImporter(token.NewFileSet(), paths)
	if err != nil {
		t.Fatal(err)
	}
	var errs []string
	for _, l := range links {
		pkg, err := imp.Import(l.importPath)
		if err != nil {
			t.Fatal(err)
		}
		text := "[" + l.name + "]"
		if l.recv != "" {
			text = "[" + l.recv + "." + l.name + "]"
		}
		if l.recv == "" {
			if pkg.Scope().Lookup(l.name) == nil {
				errs = append(errs, fmt.Sprintf("%s: %s: %s has no exported %s", l.at, text, pkg.Name(), l.name))
			}
			continue
		}
		obj, ok := pkg.Scope().Lookup(strings.TrimPrefix(l.recv, "*")).(*types.TypeName)
		if !ok {
			errs = append(errs, fmt.Sprintf("%s: %s: %s has no type %s", l.at, text, pkg.Name(), l.recv))
			continue
		}
		if sel, _, _ := types.LookupFieldOrMethod(obj.Type(), true, pkg, l.name); sel == nil {
			errs = append(errs, fmt.Sprintf("%s: %s: %s.%s has no field or method %s", l.at, text, pkg.Name(), l.recv, l.name))
		}
	}
	return errs
}

// TestDocPackages checks that the package documentation and README.md's
// table of packages name every public package of the module.
func TestDocPackages(t *testing.T) {
	pkgDoc, err := os.ReadFile("doc.go")
	if err != nil {
		t.Fatal(err)
	}
	readme, err := os.ReadFile("README.md")
	if err != nil {
		t.Fatal(err)
	}
	pkgs, err := modulePackages(".")
	if err != nil {
		t.Fatal(err)
	}
	const module = "github.com/phlebkit/phlebkit/"
	n := 0
	for _, p := range pkgs {
		rel, ok := strings.CutPrefix(p, module)
		if !ok {
			continue
		}
		n++
		if link := "[" + p + "]"; !bytes.Contains(pkgDoc, []byte(link)) {
			t.Errorf("doc.go does not list package %s (as %s)", rel, link)
		}
		if row := "| [`" + rel + "`](" + rel + ") |"; !bytes.Contains(readme, []byte(row)) {
			t.Errorf("README.md's table of packages has no row for %s (%s)", rel, row)
		}
	}
	if n < 8 {
		t.Errorf("found %d packages, want at least 8", n)
	}
}
