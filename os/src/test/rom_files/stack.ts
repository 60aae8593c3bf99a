/*
 * Pieces of the iso9660 and tar_rom scenarios (and their interoperability tests): the
 * start nodes of a file ROM server stack and its checking client, with the reference
 * contents as ROM modules "ref/<stack>/<n>" from core.
 */
import { timerDriver } from '../../../../base/src/scenario.js';
import { ahciDrivers } from '../ahci_drivers.js';

export interface ExpectedFile { path: string; data: Uint8Array; label?: string; scribble?: boolean }

const esc = (s: string) => s.replace(/&/g, '&amp;').replace(/"/g, '&quot;').replace(/</g, '&lt;').replace(/>/g, '&gt;');

/** Deterministic file content. */
export function fileBytes(seed: number, size: number): Uint8Array {
  const b = new Uint8Array(size);
  let x = (seed * 2654435761) >>> 0 || 1;
  for (let i = 0; i < size; i++) {
    x ^= x << 13; x >>>= 0; x ^= x >>> 17; x ^= x << 5; x >>>= 0;
    b[i] = x & 0xff;
  }
  return b;
}

/** The client's start node and the reference ROM modules it compares with. */
export function clientStart(name: string, server: string, files: ExpectedFile[], missing: string[], opts: { verbose?: boolean; ram?: string } = {}): { start: string; roms: Record<string, Uint8Array> } {
  const roms: Record<string, Uint8Array> = {};
  const lines = files.map((f, i) => {
    /* a file named "config" would be the client's own config ROM (init answers that label) */
    if (f.label === undefined && f.path === 'config') f = { ...f, label: '/config' };
    if (f.data.length === 0) return `<file rom="${esc(f.label ?? f.path)}" size="0"/>`;
    const ref = `ref/${name}/${i}`;
    roms[ref] = f.data;
    return `<file rom="${esc(f.label ?? f.path)}" ref="${ref}"${f.scribble ? ' scribble="yes"' : ''}/>`;
  });
  for (const m of missing) lines.push(`<missing rom="${esc(m)}"/>`);
  const start = `
  <start name="${name}" caps="100">
    <binary name="test-rom_files"/>
    <resource name="RAM" quantum="${opts.ram ?? '2M'}"/>
    <config verbose="${opts.verbose === false ? 'no' : 'yes'}">
      ${lines.join('\n      ')}
    </config>
    <route>
      <service name="ROM" label_prefix="ref/"><parent/></service>
      <service name="ROM"><child name="${server}"/></service>
      <any-service><parent/></any-service>
    </route>
  </start>`;
  return { start, roms };
}

/** rom_block serving `image` in 2048-byte blocks (or `blockSize`), and iso9660 on it. */
export function isoServers(prefix: string, image: string, ram = '4M', config = '<config/>', blockSize = 2048): string {
  return `
  <start name="${prefix}_block" caps="100">
    <binary name="rom_block"/>
    <resource name="RAM" quantum="2M"/>
    <provides><service name="Block"/></provides>
    <config file="${image}" block_size="${blockSize}"/>
    <route><any-service><parent/></any-service></route>
  </start>
  <start name="${prefix}" caps="100">
    <binary name="iso9660"/>
    <resource name="RAM" quantum="${ram}"/>
    <provides><service name="ROM"/></provides>
    ${config}
    <route>
      <service name="Block"><child name="${prefix}_block"/></service>
      <any-service><parent/></any-service>
    </route>
  </start>`;
}

export function tarServer(name: string, archive: string, ram = '4M'): string {
  return `
  <start name="${name}" caps="100">
    <binary name="tar_rom"/>
    <resource name="RAM" quantum="${ram}"/>
    <provides><service name="ROM"/></provides>
    <config><archive name="${archive}"/></config>
    <route><any-service><parent/></any-service></route>
  </start>`;
}

/** Flattens a tree of files to paths. */
export function flatten(tree: { [name: string]: Uint8Array | object }, prefix = ''): ExpectedFile[] {
  const out: ExpectedFile[] = [];
  for (const [name, v] of Object.entries(tree)) {
    const path = prefix ? `${prefix}/${name}` : name;
    if (v instanceof Uint8Array) out.push({ path, data: v });
    else out.push(...flatten(v as { [name: string]: Uint8Array | object }, path));
  }
  return out;
}

/**
 * timer, platform_drv and ahci_drv serving the AHCI's CD drive (port `cdPort`, after the disks) to
 * iso9660 `prefix`: the ISO image on a real ATAPI drive instead of rom_block.
 */
export function ahciIsoServers(prefix: string, cdPort = 0, ram = '4M', config = '<config/>'): string {
  return `${timerDriver()}${ahciDrivers(`<policy label="${prefix}" device="${cdPort}"/>`)}
  <start name="${prefix}" caps="100">
    <binary name="iso9660"/>
    <resource name="RAM" quantum="${ram}"/>
    <provides><service name="ROM"/></provides>
    ${config}
    <route>
      <service name="Block"><child name="ahci_drv"/></service>
      <any-service><parent/></any-service>
    </route>
  </start>`;
}
