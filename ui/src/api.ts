// Every call into the Rust side goes through this module, typed with the generated bindings.
// Tests replace it wholesale with vi.mock('../src/api'), so nothing else may import Tauri.
import { invoke } from '@tauri-apps/api/core';
import { listen, type UnlistenFn } from '@tauri-apps/api/event';
import type {
  CalendarMonthDto,
  ExportDto,
  FieldError,
  FileChecks,
  InviteDto,
  OrderDetail,
  OrdersPageDto,
  TimelineDto,
  UnansweredDto,
  UserEdit,
  UserRow,
  UsersPageDto,
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

/** The event the shell emits when the window is brought up (src-tauri BROUGHT_UP_EVENT). */
export const BROUGHT_UP_EVENT = 'brought-up';

/** Calls `handler` whenever the window is brought up: the tray, a second launch, a clicked
 * notification. */
export const onBroughtUp = (handler: () => void): Promise<UnlistenFn> =>
  listen<null>(BROUGHT_UP_EVENT, () => handler());

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

export const usersPage = (query: string, offset: number, limit: number) =>
  invoke<UsersPageDto>('users_page', { query, offset, limit });

export const editUser = (telegramId: number, edit: UserEdit) =>
  invoke<UserRow>('edit_user', { telegramId, edit });

export const appointAdmin = (who: string) => invoke<UserRow>('appoint_admin', { who });

export const ordersPage = (query: string, offset: number, limit: number) =>
  invoke<OrdersPageDto>('orders_page', { query, offset, limit });

export const ordersOfDay = (date: string, offset: number, limit: number) =>
  invoke<OrdersPageDto>('orders_of_day', { date, offset, limit });

export const calendarMonth = (month: string) => invoke<CalendarMonthDto>('calendar_month', { month });

export const orderDetail = (folder: string) => invoke<OrderDetail>('order_detail', { folder });

export const orderInvite = (folder: string) => invoke<InviteDto>('order_invite', { folder });

export const orderTimeline = (folder: string) => invoke<TimelineDto>('order_timeline', { folder });

/** A `data:` URL of a recorded picture, named relative to the orders folder. */
export const thumbnail = (path: string) => invoke<string>('thumbnail', { path });

export const checkOrderFiles = (folder: string) => invoke<FileChecks>('check_order_files', { folder });

/** Into the order folder, or (choose) through the save dialog; null when cancelled. */
export const exportOrder = (folder: string, choose: boolean, suggestedName: string | null) =>
  invoke<ExportDto | null>('export_order', { folder, choose, suggestedName });

export const openOrderFolder = (folder: string) => invoke<void>('open_order_folder', { folder });

export const unanswered = () => invoke<UnansweredDto[]>('unanswered');

/** The order of the notification the manager clicked, once; null when none was clicked. */
export const takeAlertOrder = () => invoke<string | null>('take_alert_order');
