// Stand-in for src/api.ts: every command is a vi.fn(), set up per test with `useApi`.
import { vi } from 'vitest';
import type * as Real from '../src/api';

export const STATUS_EVENT = 'status-changed';
export const uiTexts = vi.fn<typeof Real.uiTexts>();
export const getStatus = vi.fn<typeof Real.getStatus>();
export const onStatusChanged = vi.fn<typeof Real.onStatusChanged>();
export const startBot = vi.fn<typeof Real.startBot>();
export const stopBot = vi.fn<typeof Real.stopBot>();
export const getSettings = vi.fn<typeof Real.getSettings>();
export const validateSettings = vi.fn<typeof Real.validateSettings>();
export const saveSettings = vi.fn<typeof Real.saveSettings>();
export const checkOrdersRoot = vi.fn<typeof Real.checkOrdersRoot>();
export const pickOrdersFolder = vi.fn<typeof Real.pickOrdersFolder>();
export const getAutostart = vi.fn<typeof Real.getAutostart>();
export const setAutostart = vi.fn<typeof Real.setAutostart>();
