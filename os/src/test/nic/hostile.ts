/*
 * test-nic_hostile: a NIC client that misbehaves towards its server (nic_drv) while others
 * use it: it submits descriptors outside its tx buffer, with garbage numbers, overlapping
 * ones, frames shorter than a header and longer than Ethernet allows, then floods frames
 * to an address no one has, never takes a frame from its rx stream, and finally writes
 * garbage into its submit queue's index. The server must refuse each with a log line and
 * go on serving everyone else.
 *   <config flood="2000"/>
 */
import { AttachedRomDataspace } from '../../../../base/src/lib/attached_dataspace.js';
import type { Env } from '../../../../base/src/lib/env.js';
import { XmlNode } from '../../../../base/src/util/xml_node.js';
import { describeError, openLog } from '../../lib/log.js';
import { NicConnection } from '../../session/nic/connection.js';

const NOBODY = Uint8Array.of(0x02, 0, 0, 0, 0, 0x99);

export async function construct(env: Env): Promise<void> {
  const log = await openLog(env);
  const c = XmlNode.parse((await AttachedRomDataspace.open(env, 'config')).text(), 'config');
  const flood = c.numberAttr('flood', 2000, 1_000_000);
  try {
    const nic = await NicConnection.open(env, { label: 'hostile' });
    const { bulkOffset, dsSize } = nic.tx.layout;
    const p = nic.tx.allocPacket(1514)!;
    const forged = [
      { offset: -4096, size: 100 },
      { offset: 1e15, size: 100 },
      { offset: bulkOffset, size: 1e9 },
      { offset: Number.NaN, size: 60 },
      { offset: dsSize - 10, size: 60 },
      { offset: p.offset, size: 5 },
      { offset: p.offset, size: 4000 },
    ];
    for (const d of forged) nic.tx.submitPacket(d);
    await log(`${forged.length} forged descriptors submitted`);
    const frame = new Uint8Array(1514).fill(0xee);
    frame.set(NOBODY, 0);
    frame.set(nic.mac, 6);
    frame[12] = 0x88;
    frame[13] = 0xb6;
    for (let i = 0; i < flood; i++) await nic.send(frame);
    await log(`${flood} flood frames submitted`);
    /* garbage in the submit queue's head index: the server must notice and stop reading it */
    new DataView(nic.tx.memory.buffer, nic.tx.memory.byteOffset).setUint32(nic.tx.layout.submitQueue, 0x7fffffff, true);
    nic.tx.packetAvail.fire();
    await log('submit queue index corrupted');
  } catch (e) {
    await log(`Error: ${describeError(e)}`);
  }
}
