/*
 * Registers of the Intel ICH AC'97 controller and its codec, as audio_drv uses them (the
 * emulated card is tool/pc/ac97.ts; the names follow the ICH Programmer's Reference).
 */

/* codec mixer (NAM, I/O BAR 0), 16 bit */
export const NAM_RESET = 0x00;
export const NAM_MASTER_VOLUME = 0x02;
export const NAM_PCM_OUT_VOLUME = 0x18;
export const NAM_POWERDOWN = 0x26;
export const NAM_EXT_AUDIO_ID = 0x28;
export const NAM_EXT_AUDIO_CTRL = 0x2a;
export const NAM_FRONT_DAC_RATE = 0x2c;
export const EXT_VRA = 1 << 0;
export const POWERDOWN_DAC_READY = 1 << 1;

/* bus master (NABM, I/O BAR 1): the PCM-out channel's registers */
export const PO_BDBAR = 0x10;
export const PO_CIV = 0x14;
export const PO_LVI = 0x15;
export const PO_SR = 0x16;
export const PO_PICB = 0x18;
export const PO_CR = 0x1b;
export const GLOB_CNT = 0x2c;
export const GLOB_STA = 0x30;

export const SR_DCH = 1 << 0;
export const SR_CELV = 1 << 1;
export const SR_LVBCI = 1 << 2;
export const SR_BCIS = 1 << 3;
export const SR_FIFOE = 1 << 4;
export const CR_RPBM = 1 << 0;
export const CR_RR = 1 << 1;
export const CR_LVBIE = 1 << 2;
export const CR_FEIE = 1 << 3;
export const CR_IOCE = 1 << 4;
export const GLOB_CNT_COLD = 1 << 1;
export const GLOB_STA_PCR = 1 << 8;

export const BDL_ENTRIES = 32;
export const BD_SIZE = 8;
export const BD_IOC = 1 << 31;
