import { scenario, parentProvides, timerDriver, uartDriver } from '../../base/src/scenario.js';

/*
 * shell (libports' noux): the POSIX-like runtime runs a shell script from its VFS (pipes,
 * redirections < > >> 2>&1, && ||, variables, the utilities and lua inside), output to
 * LOG; a second instance runs the interactive shell on the UART's Terminal session, fed
 * the lines a demo user would type.
 */
const script = `# the shell scenario's script
echo "hello from noux" > greeting.txt
cat greeting.txt
mkdir -p docs/notes
echo one > docs/a.txt
echo two >> docs/a.txt
echo three >> docs/a.txt
cat docs/a.txt | wc -l
cat docs/a.txt | grep -n t | head -1
cp docs/a.txt docs/notes/b.txt
mv greeting.txt docs/
ls docs
ls -l docs/notes
wc -c < docs/a.txt
grep -c o docs/a.txt docs/notes/b.txt
rm docs/notes/b.txt && echo removed
cat nothing.txt || echo "cat failed with status $?"
export NAME=genode
echo "name is $NAME" | wc -w
lua -e "print(6*7)"
echo 'for l in io.lines() do print(#l, l:upper()) end' > up.lua
cat docs/a.txt | lua up.lua | head -2
lua -e 'io.write(io.read("a"))' < docs/a.txt > copy.txt 2>&1
cat copy.txt | wc -c
nosuchcmd arg
echo 'unterminated
rm -r docs
ls
`;

export default scenario({
  description: 'shell (libports noux): a POSIX-like runtime running a shell script with pipes, redirections, && and ||, variables, ls/cat/echo/cp/mv/rm/mkdir/wc/grep/head and lua, checked output; the interactive shell on the UART',
  modules: ['timer', 'uart_drv', 'noux'],
  config: `<config>
  ${parentProvides(['IO_PORT', 'IRQ'])}${timerDriver()}${uartDriver()}
  <start name="shell" caps="200">
    <binary name="noux"/>
    <resource name="RAM" quantum="16M"/>
    <config epoch="1700000000">
      <vfs>
        <dir name="dev"> <log/> </dir>
        <dir name="tmp"> <ram/> </dir>
        <dir name="etc"> <inline name="test.sh">${script.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;')}</inline> </dir>
      </vfs>
      <libc stdout="/dev/log" stderr="/dev/log" cwd="/tmp"/>
      <env name="HOME" value="/tmp"/>
      <start name="sh"> <arg value="/etc/test.sh"/> </start>
    </config>
    <route>
      <service name="Timer"><child name="timer"/></service>
      <any-service><parent/></any-service>
    </route>
  </start>
  <start name="terminal_shell" caps="200">
    <binary name="noux"/>
    <resource name="RAM" quantum="16M"/>
    <config>
      <vfs> <dir name="dev"> <log/> <terminal/> </dir> <dir name="tmp"> <ram/> </dir> </vfs>
      <libc stdin="/dev/terminal" stdout="/dev/terminal" stderr="/dev/terminal" cwd="/tmp"/>
      <start name="sh"/>
    </config>
    <route>
      <service name="Terminal"><child name="uart_drv"/></service>
      <service name="Timer"><child name="timer"/></service>
      <any-service><parent/></any-service>
    </route>
  </start>
</config>`,
  serialOutput: true,
  input: [
    { after: /\[init -> uart_drv\] UART at/, serial: 'ls\necho hi > x.txt\nls\ncat x.txt | wc -c\nlua -e "print(6*7)"\nexit 5\n' },
  ],
  /* the script's output, line by line, in order (the run's output is deterministic) */
  succeed: [
    /^\[init -> shell\] hello from noux$/,
    /^\[init -> shell\] 3$/,
    /^\[init -> shell\] 2:two$/,
    /^\[init -> shell\] a.txt$/,
    /^\[init -> shell\] greeting.txt$/,
    /^\[init -> shell\] notes$/,
    /^\[init -> shell\] - +14 b.txt$/,
    /^\[init -> shell\] 14$/,
    /^\[init -> shell\] docs\/a.txt:2$/,
    /^\[init -> shell\] docs\/notes\/b.txt:2$/,
    /^\[init -> shell\] removed$/,
    /^\[init -> shell\] cat: nothing.txt: ENOENT: .*$/,
    /^\[init -> shell\] cat failed with status 1$/,
    /^\[init -> shell\] 3$/,
    /^\[init -> shell\] 42$/,
    /^\[init -> shell\] 3\tONE$/,
    /^\[init -> shell\] 3\tTWO$/,
    /^\[init -> shell\] 14$/,
    /^\[init -> shell\] sh: nosuchcmd: command not found$/,
    /^\[init -> shell\] sh: line 26: unterminated quote \(\'\)$/,
    /^\[init -> shell\] sh exited with status 2$/,
    /^\[uart\] \$ \$ \$ x\.txt$/,
    /^\[uart\] \$ 3$/,
    /^\[uart\] \$ 42$/,
    /\[init -> terminal_shell\] sh exited with status 5/,
  ],
  fail: /\] Error: /,
  timeout: '60s',
});
