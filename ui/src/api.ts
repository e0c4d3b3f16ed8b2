// Every call into the Rust side goes through this module, typed with the generated bindings.
// Tests replace it wholesale with vi.mock('../src/api'), so nothing else may import Tauri.
import { invoke } from '@tauri-apps/api/core';
import { listen, type UnlistenFn } from '@tauri-apps/api/event';
import type {
  FieldError,
  OrdersRootCheck,
  SettingsDraft,
  SettingsView,
  StatusDto,
  UiTexts,
} from './bindings';

/** The event the shell emits whenever the bot's status changes (src-tauri STATUS_EVENT). */
export const STATUS_EVENT = 'status-changed';

export const uiTexts = () => invoke<UiTexts>('ui_texts');

export const getStatus = () => invoke<StatusDto>('get_status');

/** Pushes each new status to `handler`; the status is never polled. */
export const onStatusChanged = (handler: (status: StatusDto) => void): Promise<UnlistenFn> =>
  listen<StatusDto>(STATUS_EVENT, (event) => handler(event.payload));

export const startBot = () => invoke<void>('start_bot');

export const stopBot = () => invoke<void>('stop_bot');

export const getSettings = () => invoke<SettingsView>('get_settings');

export const validateSettings = (draft: SettingsDraft) =>
  invoke<FieldError[]>('validate_settings', { draft });

/** Saves and restarts the bot; rejects with a CommandError whose `fields` name the bad fields. */
export const saveSettings = (draft: SettingsDraft) =>
  invoke<SettingsView>('save_settings', { draft });

export const checkOrdersRoot = (path: string, closedKeyword: string) =>
  invoke<OrdersRootCheck>('check_orders_root', { path, closedKeyword });

/** The native folder dialog; null when the user cancels it. */
export const pickOrdersFolder = () => invoke<string | null>('pick_orders_folder');

export const getAutostart = () => invoke<boolean>('get_autostart');

export const setAutostart = (enabled: boolean) => invoke<void>('set_autostart', { enabled });
