/*
 * AHCI 1.3.1 registers and structures as the driver uses them (Genode's ahci.h: Hba and
 * Port registers, the command header, table and PRD), shared with test-ahci_regs.
 */
import { bitfield, register } from '../../../../base/src/util/mmio.js';

/* generic host control */
export const CAP = register(0x00, 4);
export const CAP_NP = bitfield(CAP, 0, 5);
export const CAP_NCS = bitfield(CAP, 8, 5);
export const CAP_SNCQ = bitfield(CAP, 30, 1);
export const CAP_S64A = bitfield(CAP, 31, 1);
export const GHC = register(0x04, 4);
export const GHC_HR = bitfield(GHC, 0, 1);
export const GHC_IE = bitfield(GHC, 1, 1);
export const GHC_AE = bitfield(GHC, 31, 1);
export const IS = register(0x08, 4);
export const PI = register(0x0c, 4);
export const VS = register(0x10, 4);

/* port registers, relative to the port's 0x80 bytes at 0x100 + 0x80 * port */
export const PORT_BASE = 0x100;
export const PORT_SIZE = 0x80;
export const PXCLB = register(0x00, 4);
export const PXCLBU = register(0x04, 4);
export const PXFB = register(0x08, 4);
export const PXFBU = register(0x0c, 4);
export const PXIS = register(0x10, 4);
export const PXIE = register(0x14, 4);
export const PXCMD = register(0x18, 4);
export const PXCMD_ST = bitfield(PXCMD, 0, 1);
export const PXCMD_CLO = bitfield(PXCMD, 3, 1);
export const PXCMD_FRE = bitfield(PXCMD, 4, 1);
export const PXCMD_CCS = bitfield(PXCMD, 8, 5);
export const PXCMD_FR = bitfield(PXCMD, 14, 1);
export const PXCMD_CR = bitfield(PXCMD, 15, 1);
export const PXCMD_ATAPI = bitfield(PXCMD, 24, 1);
export const PXTFD = register(0x20, 4);
export const PXSIG = register(0x24, 4);
export const PXSSTS = register(0x28, 4);
export const PXSSTS_DET = bitfield(PXSSTS, 0, 4);
export const PXSCTL = register(0x2c, 4);
export const PXSCTL_DET = bitfield(PXSCTL, 0, 4);
export const PXSERR = register(0x30, 4);
export const PXSACT = register(0x34, 4);
export const PXCI = register(0x38, 4);

/* PxIS / PxIE bits */
export const IS_DHRS = 1 << 0;
export const IS_PSS = 1 << 1;
export const IS_DSS = 1 << 2;
export const IS_SDBS = 1 << 3;
export const IS_DPS = 1 << 5;
export const IS_IFS = 1 << 27;
export const IS_HBDS = 1 << 28;
export const IS_HBFS = 1 << 29;
export const IS_TFES = 1 << 30;
export const IS_ERRORS = (IS_IFS | IS_HBDS | IS_HBFS | IS_TFES) >>> 0;

/* PxTFD */
export const TFD_ERR = 1 << 0;
export const TFD_DRQ = 1 << 3;
export const TFD_BSY = 1 << 7;

/* signatures */
export const SIG_ATA = 0x101;
export const SIG_ATAPI = 0xeb140101;

/* command header (32 bytes per slot in the command list) */
export const HEADER_SIZE = 32;
export const HEADER_A = 1 << 5;
export const HEADER_W = 1 << 6;
/* command table: FIS at 0, ATAPI command at 0x40, PRDT at 0x80 (16 bytes per PRD) */
export const CT_ACMD = 0x40;
export const CT_PRDT = 0x80;
export const PRD_I = 1 << 31;

/* received FIS area: 256 bytes, the D2H register FIS at 0x40 */
export const RFIS_SIZE = 256;
export const RFIS_D2H = 0x40;

export const FIS_H2D = 0x27;
