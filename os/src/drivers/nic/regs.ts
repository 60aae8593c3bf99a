/*
 * Intel 8254x (82540EM) registers and legacy descriptors as nic_drv uses them (names as in
 * the 8254x Software Developer's Manual and Genode's ported drivers).
 */
import { bitfield, register } from '../../../../base/src/util/mmio.js';

export const CTRL = register(0x0000, 4);
export const CTRL_SLU = bitfield(CTRL, 6, 1);
export const CTRL_RST = bitfield(CTRL, 26, 1);
export const STATUS = register(0x0008, 4);
export const STATUS_LU = bitfield(STATUS, 1, 1);
export const EERD = register(0x0014, 4);
export const EERD_START = 1 << 0;
export const EERD_DONE = 1 << 4;
export const ICR = register(0x00c0, 4);
export const IMS = register(0x00d0, 4);
export const IMC = register(0x00d8, 4);
export const ICR_TXDW = 1 << 0;
export const ICR_LSC = 1 << 2;
export const ICR_RXO = 1 << 6;
export const ICR_RXT0 = 1 << 7;
export const RCTL = register(0x0100, 4);
export const RCTL_EN = 1 << 1;
export const RCTL_BAM = 1 << 15;
export const RCTL_SECRC = 1 << 26;
export const TCTL = register(0x0400, 4);
export const TCTL_EN = 1 << 1;
export const TCTL_PSP = 1 << 3;
/** Collision threshold and distance, the values the manual recommends for full duplex. */
export const TCTL_CT_COLD = (0x0f << 4) | (0x40 << 12);
export const TIPG = register(0x0410, 4);
export const RDBAL = register(0x2800, 4);
export const RDBAH = register(0x2804, 4);
export const RDLEN = register(0x2808, 4);
export const RDH = register(0x2810, 4);
export const RDT = register(0x2818, 4);
export const TDBAL = register(0x3800, 4);
export const TDBAH = register(0x3804, 4);
export const TDLEN = register(0x3808, 4);
export const TDH = register(0x3810, 4);
export const TDT = register(0x3818, 4);
export const MTA = 0x5200;
export const RAL0 = register(0x5400, 4);
export const RAH0 = register(0x5404, 4);
export const RAH_AV = 0x80000000;

/* legacy descriptors, 16 bytes */
export const DESC_SIZE = 16;
export const RXD_LENGTH = 8;
export const RXD_STATUS = 12;
export const RXD_ERRORS = 13;
export const RXD_STAT_DD = 1 << 0;
export const RXD_STAT_EOP = 1 << 1;
export const TXD_LENGTH = 8;
export const TXD_CMD = 11;
export const TXD_STATUS = 12;
export const TXD_CMD_EOP = 1 << 0;
export const TXD_CMD_IFCS = 1 << 1;
export const TXD_CMD_RS = 1 << 3;
export const TXD_STAT_DD = 1 << 0;
