package main

import (
	"bufio"
	"bytes"
	"encoding/json"
	"fmt"
	"io"
	"os"
	"os/exec"
	"strings"
)

// proc is one system measured in a process of its own, so that its peak
// memory is its own.
type proc struct {
	name string
	cmd  *exec.Cmd
	in   io.WriteCloser
	out  *bufio.Reader
}

// start runs this program with args and waits until the system is built.
func start(name string, args ...string) (*proc, error) {
	cmd := exec.Command(os.Args[0], args...)
	cmd.Stderr = os.Stderr
	in, err := cmd.StdinPipe()
	if err != nil {
		return nil, err
	}
	out, err := cmd.StdoutPipe()
	if err != nil {
		return nil, err
	}
	if err := cmd.Start(); err != nil {
		return nil, err
	}
	p := &proc{name: name, cmd: cmd, in: in, out: bufio.NewReader(out)}
	if err := p.expect("ready"); err != nil {
		p.kill()
		return nil, fmt.Errorf("build: %w", err)
	}
	return p, nil
}

func (p *proc) expect(want string) error {
	line, err := p.out.ReadString('\n')
	if err != nil {
		return fmt.Errorf("read: %w (see its error above)", err)
	}
	if got := strings.TrimSpace(line); got != want {
		return fmt.Errorf("got %q, want %q", got, want)
	}
	return nil
}

// ask has the system answer question i.
func (p *proc) ask(i int) error {
	if _, err := fmt.Fprintln(p.in, i); err != nil {
		return err
	}
	return p.expect("ok")
}

// finish ends the questions and reads the system's line of the table.
func (p *proc) finish() (result, error) {
	p.in.Close()
	data, err := io.ReadAll(p.out)
	if err != nil {
		return result{}, err
	}
	if err := p.cmd.Wait(); err != nil {
		return result{}, err
	}
	p.cmd = nil
	var r result
	if err := json.Unmarshal(bytes.TrimSpace(data), &r); err != nil {
		return result{}, fmt.Errorf("%w: %s", err, data)
	}
	return r, nil
}

// kill stops a process that has not finished.
func (p *proc) kill() {
	if p.cmd != nil && p.cmd.Process != nil {
		p.cmd.Process.Kill()
		p.cmd.Wait()
		p.cmd = nil
	}
}

// countLines counts the non-empty lines of a file.
func countLines(name string) (int, error) {
	data, err := os.ReadFile(name)
	if err != nil {
		return 0, err
	}
	n := 0
	for line := range strings.Lines(string(data)) {
		if strings.TrimSpace(line) != "" {
			n++
		}
	}
	return n, nil
}
