/*
 * The config torture list: init configs that are malformed, hostile or that could never
 * work, each with the error init must report (naming the problem and its position). The
 * unit test (test/init/config_torture.test.ts) feeds them to init's config model, the
 * scenario os/run/init_hostile_config.ts to nested inits on every kernel.
 */

const P = '<parent-provides><service name="LOG"/><service name="ROM"/><service name="PD"/><service name="CPU"/></parent-provides>';

export interface HostileConfig {
  /** Also the name of the nested init that reads it in the scenario. */
  name: string;
  config: string;
  /**
   * What init reports after "Error: " ('parse': reading the config fails; 'start': the
   * config is read, starting the child fails); with 'none' init reports no error and
   * `expect` matches a line it logs instead.
   */
  stage: 'parse' | 'start' | 'none';
  expect: RegExp;
}

const at = (line: number, column: number) => `config of init, line ${line}, column ${column}`;

const start = (attrs: string, body = '') => `<config>\n  ${P}\n  <start ${attrs}>${body}</start>\n</config>`;

/** A config with one node besides <parent-provides>, at line 3, column 3. */
const top = (node: string) => `<config>\n  ${P}\n  ${node}\n</config>`;

/** Two or three children that route service S to each other. */
const ring = (names: string[], binary = '') => `<config>\n  ${P}\n${names.map((n, i) =>
  `  <start name="${n}" ram="1M">${binary}<provides><service name="S"/></provides><route><service name="S"><child name="${names[(i + 1) % names.length]}"/></service></route></start>\n`).join('')}</config>`;

export const hostileConfigs: HostileConfig[] = [
  { name: 'empty_rom', config: '', stage: 'parse', expect: /config of init is empty \(expected an XML document\)/ },
  { name: 'blank_rom', config: ' \n\t ', stage: 'parse', expect: /config of init is empty \(expected an XML document\)/ },
  { name: 'empty_config', config: '<config verbose="yes"/>', stage: 'none', expect: /config version "": 0 children/ },
  { name: 'unquoted', config: '<config>\n  <start name=a ram="1M"/>\n</config>', stage: 'parse', expect: /config of init: malformed XML at line 2, column 3: unquoted attribute value "a"/ },
  { name: 'no_value', config: '<config>\n  <start name="a" ram/>\n</config>', stage: 'parse', expect: /config of init: malformed XML at line 2, column 3: attribute "ram" has no value/ },
  { name: 'no_space', config: '<config>\n  <start name="a"ram="1M"/>\n</config>', stage: 'parse', expect: /config of init: malformed XML at line 2, column 3: no space before the attribute after "name"/ },
  { name: 'bad_entity', config: '<config>\n  <start name="a&bogus;" ram="1M"/>\n</config>', stage: 'parse', expect: /config of init: malformed XML at line 2, column 3: entity not found:&bogus;/ },
  { name: 'label_separator', config: start('name="a -> b" ram="1M"'), stage: 'parse', expect: new RegExp(`${at(3, 3)}: <start>: attribute name="a -> b" contains " -> ", which separates the elements of a label`) },
  { name: 'quote_in_name', config: start('name="a&quot;b" ram="1M"'), stage: 'parse', expect: new RegExp(`${at(3, 3)}: <start>: attribute name="a"b" contains a quote or control character`) },
  { name: 'newline_in_name', config: start('name="a&#10;[init] forged" ram="1M"'), stage: 'parse', expect: new RegExp(`${at(3, 3)}: <start>: attribute name="a\\\\n\\[init\\] forged" contains a quote or control character`) },
  { name: 'escape_in_name', config: start('name="a&#27;[2J" ram="1M"'), stage: 'parse', expect: new RegExp(`${at(3, 3)}: <start>: attribute name="a\\\\x1b\\[2J" contains a quote or control character`) },
  { name: 'empty_name', config: start('name="" ram="1M"'), stage: 'parse', expect: new RegExp(`${at(3, 3)}: <start>: attribute name="" is empty`) },
  { name: 'blank_name', config: start('name="  " ram="1M"'), stage: 'parse', expect: new RegExp(`${at(3, 3)}: <start>: attribute name="  " is empty`) },
  { name: 'long_name', config: start(`name="${'x'.repeat(1 << 20)}" ram="1M"`), stage: 'parse', expect: new RegExp(`${at(3, 3)}: <start>: attribute name="x{64}\\.\\.\\." is too long \\(1048576 bytes, at most 64\\)$`) },
  { name: 'binary_separator', config: start('name="a" ram="1M"', '<binary name="init -> a"/>'), stage: 'parse', expect: new RegExp(`${at(3, 28)}: <binary>: attribute name="init -> a" contains " -> "`) },
  { name: 'quote_in_route_label', config: start('name="a" ram="1M"', '<route><service name="LOG"><parent label="x&quot;, ram_quota=1G"/></service></route>'), stage: 'parse', expect: new RegExp(`${at(3, 55)}: <parent>: attribute label="x", ram_quota=1G" contains a quote or control character`) },
  { name: 'empty_service', config: start('name="a" ram="1M"', '<provides><service name=""/></provides>'), stage: 'parse', expect: new RegExp(`${at(3, 38)}: <service>: attribute name="" is empty \\(expected a service name\\)`) },
  { name: 'ram_not_a_number', config: start('name="a" ram="1.5M"'), stage: 'parse', expect: new RegExp(`${at(3, 3)}: <start>: attribute ram="1.5M" is not a number \\(expected digits with an optional K, M or G\\)`) },
  { name: 'ram_negative', config: start('name="a" ram="-1M"'), stage: 'parse', expect: new RegExp(`${at(3, 3)}: <start>: attribute ram="-1M" is negative`) },
  { name: 'ram_overflow', config: start('name="a" ram="99999999999G"'), stage: 'parse', expect: new RegExp(`${at(3, 3)}: <start>: attribute ram="99999999999G" is out of range \\(at most 9007199254740991\\)`) },
  { name: 'caps_not_a_number', config: start('name="a" ram="1M" caps="many"'), stage: 'parse', expect: new RegExp(`${at(3, 3)}: <start>: attribute caps="many" is not a number`) },
  { name: 'quantum_unit', config: start('name="a"', '<resource name="RAM" quantum="10Q"/>'), stage: 'parse', expect: new RegExp(`${at(3, 19)}: <resource>: attribute quantum="10Q" is not a number`) },
  { name: 'caps_overflow', config: start('name="a" ram="1M"', '<resource name="CAP" quantum="18446744073709551616"/>'), stage: 'parse', expect: new RegExp(`${at(3, 28)}: <resource>: attribute quantum="18446744073709551616" is out of range`) },
  { name: 'maximum_below_quantum', config: start('name="a"', '<resource name="RAM" quantum="2M" maximum="1M"/>'), stage: 'parse', expect: new RegExp(`${at(3, 19)}: <resource>: attribute maximum="1M" is below the quantum \\(2097152\\)`) },
  { name: 'ram_beyond_init', config: start('name="big" ram="1G" caps="20"'), stage: 'start', expect: new RegExp(`start "big" \\(${at(3, 3)}\\): init's RAM quota is used up: the RAM quantum 1073741824 and \\d+ for the child's PD, CPU and ROM sessions exceed what init has left \\(\\d+\\)`) },
  { name: 'caps_beyond_init', config: start('name="greedy" ram="64K" caps="100000"'), stage: 'start', expect: new RegExp(`start "greedy" \\(${at(3, 3)}\\): init's cap quota is used up: 100000 caps and \\d+ for the child's PD, CPU and ROM sessions exceed what init has left \\(\\d+\\)`) },
  { name: 'self_route', config: start('name="a" ram="1M"', '<route><service name="LOG"><child name="a"/></service></route>'), stage: 'parse', expect: new RegExp(`${at(3, 55)}: <child>: start "a" routes service "LOG" to itself`) },
  { name: 'default_self_route', config: `<config>\n  ${P}\n  <default-route><any-service><parent/><child name="srv"/></any-service></default-route>\n  <start name="srv" ram="1M"><provides><service name="S"/></provides></start>\n</config>`, stage: 'parse', expect: new RegExp(`${at(3, 40)}: <child>: start "srv" routes service "S" \\(by the default route\\) to itself`) },
  { name: 'cycle', config: ring(['a', 'b']), stage: 'parse', expect: new RegExp(`${at(3, 93)}: routing cycle for service "S": "a" -> "b" -> "a" \\(routes at line 3, column 93; line 4, column 93\\)`) },
  { name: 'cycle_of_three', config: ring(['a', 'b', 'c']), stage: 'parse', expect: new RegExp(`${at(3, 93)}: routing cycle for service "S": "a" -> "b" -> "c" -> "a"`) },
  { name: 'cycle_through_init', config: ring(['a', 'sub'], '<binary name="init"/>'), stage: 'parse', expect: new RegExp(`${at(3, 114)}: routing cycle for service "S": "a" -> "sub" -> "a"`) },
  { name: 'forward_quote_label', config: top('<service name="LOG"><policy label="x"><child name="a" label="x&quot;, ram_quota=1G"/></policy></service>'), stage: 'parse', expect: /config of init, line 3, column \d+: <child>: attribute label="x", ram_quota=1G" contains a quote or control character/ },
  { name: 'forward_separator_child', config: top('<service name="LOG"><default-policy><child name="a -> b"/></default-policy></service>'), stage: 'parse', expect: /config of init, line 3, column \d+: <child>: attribute name="a -> b" contains " -> "/ },
  { name: 'report_delay_huge', config: top('<report delay_ms="99999999999999999999"/>'), stage: 'parse', expect: new RegExp(`${at(3, 3)}: <report>: attribute delay_ms="99999999999999999999" is out of range`) },
  { name: 'heartbeat_rate_word', config: top('<heartbeat rate_ms="often"/>'), stage: 'parse', expect: new RegExp(`${at(3, 3)}: <heartbeat>: attribute rate_ms="often" is not a number`) },
  { name: 'alias_long_name', config: top(`<alias name="${'y'.repeat(1 << 16)}" child="a"/>`), stage: 'parse', expect: new RegExp(`${at(3, 3)}: <alias>: attribute name="y{64}\\.\\.\\." is too long`) },
];
