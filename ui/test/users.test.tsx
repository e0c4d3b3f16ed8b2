import { describe, expect, it, vi } from 'vitest';
import * as api from '../src/api';
import type { UserRow, UsersPageDto } from '../src/bindings';
import { $, byTestId, click, get, input, mountApp, resetBetweenTests, settle, type, useApi } from './support';

vi.mock('../src/api', () => import('./api-mock'));

resetBetweenTests();

const user = (id: number, change: Partial<UserRow> = {}): UserRow => ({
  telegram_id: id,
  display_name: null,
  telegram_name: `Пользователь ${id}`,
  username: `user${id}`,
  phone: '+7 912 345-67-89',
  level: 3,
  active: true,
  blocked_bot: false,
  last_seen: '2026-03-09T10:00:00+03:00',
  created: '2026-03-01T10:00:00+03:00',
  ...change,
});

const page = (users: UserRow[], change: Partial<UsersPageDto> = {}): UsersPageDto => ({
  total: users.length,
  offset: 0,
  limit: 25,
  users,
  needs_first_admin: false,
  ...change,
});

async function openUsers() {
  await mountApp();
  await click(byTestId('nav-users'));
  await settle(200);
}

describe('Пользователи', () => {
  it('lists users and searches after a pause in typing', async () => {
    useApi();
    vi.mocked(api.usersPage).mockResolvedValue(page([user(1, { level: 1 }), user(2)]));
    await openUsers();
    expect(get('[data-page="users"]')).toBeTruthy();
    expect(byTestId('user-name-2').textContent).toBe('Пользователь 2');
    expect(byTestId('users-total').textContent).toBe('Всего: 2');
    await type(input('users-search'), 'Ив');
    await type(input('users-search'), 'Иван');
    await settle(200);
    expect(api.usersPage).toHaveBeenLastCalledWith('Иван', 0, 25);
    expect(vi.mocked(api.usersPage).mock.calls.filter((c) => c[0] === 'Ив')).toHaveLength(0);
  });

  it('changes a level inline and shows the last-admin refusal as its message', async () => {
    useApi();
    vi.mocked(api.usersPage).mockResolvedValue(page([user(1, { level: 1 }), user(2)]));
    vi.mocked(api.editUser).mockImplementation(async (id, edit) => user(id, { level: edit.level ?? 3 }));
    await openUsers();
    const level = get<HTMLSelectElement>('[data-field="user-level-2"]');
    level.value = '2';
    level.dispatchEvent(new Event('change', { bubbles: true }));
    await settle();
    expect(api.editUser).toHaveBeenCalledWith(2, { display_name: null, level: 2, active: null });
    expect(get<HTMLSelectElement>('[data-field="user-level-2"]').value).toBe('2');

    vi.mocked(api.editUser).mockRejectedValueOnce({
      code: 'last_admin',
      message: 'Нельзя снять последнего активного администратора.',
      details: 'Пользователь 1 is the last active admin',
      fields: [],
    });
    await click(byTestId('user-toggle-1'));
    expect(byTestId('command-error').querySelector('.error-message')?.textContent).toBe(
      'Нельзя снять последнего активного администратора.',
    );
    expect(byTestId('user-active-1').textContent).toBe('активен');
  });

  it('offers to appoint the first admin on a fresh install', async () => {
    useApi();
    vi.mocked(api.usersPage)
      .mockResolvedValueOnce(page([user(5)], { needs_first_admin: true }))
      .mockResolvedValue(page([user(5, { level: 1 })]));
    vi.mocked(api.appointAdmin).mockResolvedValue(user(5, { level: 1 }));
    await openUsers();
    expect(byTestId('first-admin')).toBeTruthy();
    await type(input('first-admin-who'), '+7 912 345-67-89');
    await click(byTestId('first-admin-appoint'));
    await settle(200);
    expect(api.appointAdmin).toHaveBeenCalledWith('+7 912 345-67-89');
    expect($('[data-testid="first-admin"]')).toBeNull();
  });
});
